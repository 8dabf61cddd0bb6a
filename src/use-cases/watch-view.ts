import { summariseWatch, type WatchSummary } from '../domain/watch/index';
import type { UseCaseDeps } from './deps';
import type { StoredMapping } from './ports/store';
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
