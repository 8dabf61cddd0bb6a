import { errorCodeOf } from '../common/errors';
import { endFromListing } from '../domain/mapping-end';
import type { PortMapping } from '../domain/soracom';
import type { UseCaseDeps } from './deps';
import { endWatchOf } from './watch-end';
import { reminderLeadOf, startWatching, WATCH_POLL_KEY, watchRecordOf } from './watch-records';

export interface WatchReconciliation {
  /** Watches whose mapping SORACOM no longer lists: ended now, and told. */
  readonly ended: number;
  /** Mappings the bot opened that had no watch (a crash between the two writes): watched now. */
  readonly rearmed: number;
  /** Watches still alive: their poll runs again. */
  readonly alive: number;
}

/**
 * At start: the watches are checked against SORACOM's listing (one call for the operator). Those gone are ended
 * (told once: `endWatch`), the bot's open mappings without a watch get one, and the shared poll is armed again
 * when anything is watched. Reminders and notices are jobs already; a lease of the dead process runs out (or is
 * released at start) and they run once. SORACOM out of reach: nothing changes, the poll settles it later.
 */
export async function reconcileWatches(deps: Pick<UseCaseDeps, 'api' | 'store' | 'clock' | 'logger' | 'watch'>): Promise<WatchReconciliation> {
  const nowMs = deps.clock.nowMs();
  const active = await deps.store.watches.listActive();
  const open = await deps.store.mappings.list({ activeAtMs: nowMs });
  // Nothing the bot opened is alive or watched: SORACOM is not asked.
  if (active.length === 0 && open.length === 0) return { ended: 0, rearmed: 0, alive: 0 };
  let listed: PortMapping[];
  try {
    listed = await deps.api.listPortMappings();
  } catch (error) {
    deps.logger.warn('Could not list the mappings at start; the watches settle it at their next poll', errorCodeOf(error));
    return { ended: 0, rearmed: 0, alive: active.length };
  }
  let ended = 0;
  let alive = 0;
  const watched = new Set<string>();
  for (const row of active) {
    watched.add(row.mappingId);
    const mapping = await deps.store.mappings.get(row.mappingId);
    const record = watchRecordOf(row.state);
    if (mapping === undefined || record === undefined || record.watch.ended !== undefined) continue;
    const end = mapping.closed === undefined ? endFromListing(mapping, listed, nowMs) : undefined;
    if (end !== undefined && (await endWatchOf(deps, mapping.id, end, { tell: true }))) ended += 1;
    else alive += 1;
  }
  let rearmed = 0;
  for (const mapping of open) {
    if (watched.has(mapping.id) || (await deps.store.watches.get(mapping.id)) !== undefined) continue;
    if (endFromListing(mapping, listed, nowMs) !== undefined) continue;
    await startWatching(deps.store, mapping, {}, { reminderLeadSec: reminderLeadOf(deps) });
    rearmed += 1;
  }
  // Ended watches still collect their connections' last events for a while: the poll runs while any is unfinished.
  if ((await deps.store.watches.listActive()).length > 0) {
    await deps.store.jobs.schedule({ key: WATCH_POLL_KEY, kind: 'watch-poll', dueAtMs: nowMs }, { rearm: true });
  }
  return { ended, rearmed, alive };
}
