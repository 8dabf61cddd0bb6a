import type { Clock } from '../common/clock';
import type { MappingEnd } from '../domain/mapping-end';
import { endWatch } from '../domain/watch/index';
import type { LedgerInput, Store, StoredMapping } from './ports/store';
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
  const states = [{ mappingId, state: storedWatchRecord({ ...record, watch: ended.state }) }];
  await deps.store.watches.commit({ states, finished: [], jobs: outbox, ledger: endedRows(mapping, end) });
  return true;
}

/**
 * The ledger keeps how a watched mapping ended (expired, deleted outside), beyond Napter's 24-hour log; a close has
 * its own row. Written with the watch's end, in its commit.
 */
export function endedRows(mapping: StoredMapping, end: MappingEnd): LedgerInput[] {
  if (end.how === 'closed') return [];
  return [
    {
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
    },
  ];
}
