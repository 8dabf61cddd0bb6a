import type { Clock } from '../common/clock';
import type { MappingEnd } from '../domain/mapping-end';
import { endWatch } from '../domain/watch/index';
import type { Store, StoredMapping } from './ports/store';
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
  const outbox = outboxOf(options.tell ? ended.update : { ...ended.update, changes: [] }, `end-${end.atMs}`, nowMs);
  await deps.store.watches.commit({ states: [{ mappingId, state: storedWatchRecord({ ...record, watch: ended.state }) }], finished: [], jobs: outbox });
  await recordEnd(deps.store, mapping, end);
  return true;
}

/** The ledger keeps how a watched mapping ended (expired, deleted outside), beyond Napter's 24-hour log; a close has its own row. */
export async function recordEnd(store: Store, mapping: StoredMapping, end: MappingEnd): Promise<void> {
  if (end.how === 'closed') return;
  await store.ledger.record({
    kind: 'ended',
    teamId: mapping.openedBy.teamId,
    userId: mapping.openedBy.userId,
    channelId: mapping.channelId,
    simId: mapping.simId,
    imsi: mapping.imsi,
    mappingId: mapping.id,
    devicePort: mapping.devicePort,
    sourceCidr: mapping.sourceCidr,
    details: { how: end.how, atMs: end.atMs, evidence: end.evidence },
  });
}
