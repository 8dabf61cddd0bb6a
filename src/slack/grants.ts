import type { Store } from '../use-cases/ports/store';

/**
 * One-off permissions the bot hands to one person with something only they were shown (a modal, an
 * ephemeral question). Slack signs each request, but the values a click or a view carries back are the
 * bot's own words: what the bot acts on is checked against what it remembers giving, and to whom.
 * Kept in the store, so they survive a restart and expire on their own.
 */
export async function grant(store: Store, key: string, ttlMs: number, value: Readonly<Record<string, string>>): Promise<void> {
  await store.remembered.remember(key, ttlMs, value);
}

/** What was granted under `key`, or undefined when nothing (or nothing any more) was. Never creates one. */
export async function grantedValue(store: Store, key: string): Promise<Readonly<Record<string, unknown>> | undefined> {
  const value = await store.remembered.recall(key);
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
}
