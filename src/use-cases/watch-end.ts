import type { Clock } from '../common/clock';
import type { MappingEnd } from '../domain/mapping-end';
import { endWatch } from '../domain/watch/index';
import type { Store } from './ports/store';
import { outboxOf } from './watch-poll';
import { storedWatchRecord, watchedMapping, watchRecordOf } from './watch-records';

/**
 * Ends a mapping's watch outside a read: the bot closed it, Extend replaced it, or the start's reconciliation
 * found it gone. Told once, whoever notices first (`endWatch`): with `tell`, the requester hears of it; the card
 * is redrawn either way. False when there is no watch or it had ended already.
 */
export async function endWatchOf(
  deps: { readonly store: Store; readonly clock: Clock },
  mappingId: string,
  end: MappingEnd,
  options: { readonly tell: boolean },
): Promise<boolean> {
  const row = await deps.store.watches.get(mappingId);
  const record = row === undefined ? undefined : watchRecordOf(row.state);
  const mapping = await deps.store.mappings.get(mappingId);
  if (record === undefined || mapping === undefined) return false;
  const ended = endWatch(watchedMapping(mapping, record, []), record.watch, end);
  if (ended === undefined) return false;
  const nowMs = deps.clock.nowMs();
  const outbox = outboxOf(options.tell ? ended.update : { ...ended.update, changes: [] }, end.atMs, nowMs);
  await deps.store.watches.commit({ states: [{ mappingId, state: storedWatchRecord({ ...record, watch: ended.state }) }], finished: [], jobs: outbox });
  return true;
}
