import { reminderDecision } from '../domain/expiry';
import { summariseWatch, type WatchSummary } from '../domain/watch/index';
import type { UseCaseDeps } from './deps';
import type { SlackMessageRef, StoredMapping } from './ports/store';
import { watchedMapping, watchRecordOf } from './watch-records';

/** A watched mapping as its card and its requester's notices show it. */
export interface WatchView {
  readonly mapping: StoredMapping;
  readonly simLabel: string;
  readonly summary: WatchSummary;
}

/** Undefined when the bot does not watch the mapping (or no longer knows it). */
export async function watchView(deps: Pick<UseCaseDeps, 'store'>, mappingId: string): Promise<WatchView | undefined> {
  const [mapping, row] = await Promise.all([deps.store.mappings.get(mappingId), deps.store.watches.get(mappingId)]);
  const record = row === undefined ? undefined : watchRecordOf(row.state);
  if (mapping === undefined || record === undefined) return undefined;
  return {
    mapping,
    simLabel: record.simLabel ?? mapping.simId ?? mapping.imsi ?? '?',
    summary: summariseWatch(watchedMapping(mapping, record, []), record.watch),
  };
}

/**
 * The mapping whose channel card this is now (an Extend moves a card to its new mapping), with its watch when the
 * bot watches it; undefined when no mapping owns the card.
 */
export async function cardOwner(
  deps: Pick<UseCaseDeps, 'store'>,
  card: SlackMessageRef,
): Promise<{ readonly mapping: StoredMapping; readonly view: WatchView | undefined } | undefined> {
  const owner = await deps.store.mappings.findByCard(card);
  if (owner === undefined) return undefined;
  const view = await watchView(deps, owner.id);
  return { mapping: view?.mapping ?? owner, view };
}

/**
 * When the mapping ended, as far as the bot knows (closed by it, its watch saw the end, or its time is up);
 * undefined while it is alive.
 */
export async function mappingEndOf(deps: Pick<UseCaseDeps, 'store' | 'clock'>, mapping: StoredMapping): Promise<number | undefined> {
  if (mapping.closed !== undefined) return mapping.closed.atMs;
  const row = await deps.store.watches.get(mapping.id);
  const ended = row === undefined ? undefined : watchRecordOf(row.state)?.watch.ended;
  if (ended !== undefined) return ended.atMs;
  return deps.clock.nowMs() >= mapping.expiresAtMs ? mapping.expiresAtMs : undefined;
}

export type ReminderDue = { readonly kind: 'send'; readonly view: WatchView } | { readonly kind: 'wait'; readonly untilMs: number } | { readonly kind: 'skip' };

/** What a reminder job does when it runs (possibly late, after a restart): send, wait, or let it go. */
export async function reminderDue(deps: Pick<UseCaseDeps, 'store' | 'clock'>, mappingId: string, leadSec: number): Promise<ReminderDue> {
  const view = await watchView(deps, mappingId);
  if (view === undefined) return { kind: 'skip' };
  const ended = (await mappingEndOf(deps, view.mapping)) !== undefined;
  const decision = reminderDecision({ mapping: view.mapping, ended, nowMs: deps.clock.nowMs(), leadSec });
  if (decision.kind === 'send') return { kind: 'send', view };
  return decision.kind === 'wait' ? decision : { kind: 'skip' };
}
