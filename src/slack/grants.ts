import type { NapterStore } from '../storage/types';

/**
 * One-off permissions the bot hands to one person with something only they were shown (a modal, an
 * ephemeral question). Slack signs each request, but the values a click or a view carries back are the
 * bot's own words: what the bot acts on is checked against what it remembers giving, and to whom.
 * Kept as completed idempotency keys, so they survive a restart and expire on their own.
 */
export function grant(store: NapterStore, key: string, ttlMs: number, value: Readonly<Record<string, string>>): void {
  store.releaseIdempotencyKey(key);
  store.claimIdempotencyKey(key, ttlMs);
  store.completeIdempotencyKey(key, value);
}

/** What was granted under `key`, or undefined when nothing (or nothing any more) was. Never creates one. */
export function grantedValue(store: NapterStore, key: string): Readonly<Record<string, unknown>> | undefined {
  const claim = store.claimIdempotencyKey(key, 1);
  if (claim.claimed) {
    store.releaseIdempotencyKey(key);
    return undefined;
  }
  const result = claim.result;
  return typeof result === 'object' && result !== null ? (result as Record<string, unknown>) : undefined;
}
