import { errorCodeOf } from '../common/errors';
import { endFromListing } from '../domain/mapping-end';
import type { OperatorAuditLogReader } from '../domain/napter-api';
import type { AuditEvent } from '../domain/soracom';
import {
  applyAuditRead,
  EMPTY_AUDIT_CURSOR,
  endWatch,
  nextAuditWindow,
  nextPoll,
  parseAuditCursor,
  type PollOutcome,
  type WatchChange,
  type WatchInput,
  type WatchState,
  type WatchUpdate,
} from '../domain/watch/index';
import type { UseCaseDeps } from './deps';
import type { Job, JobInput, LedgerInput, StoredMapping, WatchCommit } from './ports/store';
import type { JobResult } from './scheduler';
import { endedRows } from './watch-end';
import { storedWatchRecord, WATCH_CURSOR_ID, type WatchRecord, watchCardKey, watchedMapping, watchRecordOf } from './watch-records';

export type WatchDeps = Pick<UseCaseDeps, 'api' | 'store' | 'clock' | 'logger'> & { readonly auditLog: OperatorAuditLogReader };

/** What the requester is told about one mapping (the `watch-notify` job's payload). */
export interface WatchNotice {
  readonly mappingId: string;
  readonly changes: readonly WatchChange[];
}

interface Watched {
  readonly mapping: StoredMapping;
  readonly record: WatchRecord;
  readonly input: WatchInput;
}

const failuresOf = (payload: unknown): number =>
  typeof payload === 'object' && payload !== null && typeof (payload as { failures?: unknown }).failures === 'number'
    ? (payload as { failures: number }).failures
    : 0;

/**
 * The shared poll: one read of the operator's audit log for every watch (the whole window, every IMSI), routed to
 * the watches by the core; then, in one transaction, the cursor, the watches' states and the outbox (a notice to
 * the requester per watch with news, one card redraw per card). Re-armed after `nextPoll`: backs off on a low
 * budget, a 429 or failures, and stops when nothing is watched (the next watch arms it again).
 */
export async function runWatchPoll(deps: WatchDeps, job: Job): Promise<JobResult> {
  const nowMs = deps.clock.nowMs();
  const { watched, unreadable, closed } = await loadWatches(deps);
  const cursor = parseAuditCursor(await deps.store.watches.cursor(WATCH_CURSOR_ID)) ?? EMPTY_AUDIT_CURSOR;
  const window = nextAuditWindow(
    cursor,
    watched.map((watch) => watch.input.mapping),
    nowMs,
  );
  if (window === undefined) {
    if (unreadable.length > 0) await deps.store.watches.commit({ states: [], finished: unreadable, jobs: [] });
    return { kind: 'done' };
  }

  let read: Awaited<ReturnType<OperatorAuditLogReader['readOperatorAuditLog']>>;
  try {
    read = await deps.auditLog.readOperatorAuditLog(window);
  } catch (error) {
    const failures = failuresOf(job.payload) + 1;
    deps.logger.warn(`Could not read the Napter audit log for ${watched.length} watched mappings (${errorCodeOf(error)}); trying again later`);
    return again(deps, nextPoll(watched.length, { kind: 'failed', consecutive: failures }), { failures });
  }
  if (read.kind === 'rate-limited') {
    return again(deps, nextPoll(watched.length, { kind: 'rate-limited', rateLimit: read.rateLimit }), { failures: 0 });
  }
  const outcome: PollOutcome = { kind: 'read', pages: read.pages, rateLimit: read.rateLimit };

  const result = applyAuditRead({ cursor, window, events: read.events, watches: watched.map((watch) => watch.input), nowMs });
  const states = new Map<string, WatchState>([...closed, ...result.states.map((entry) => [entry.watchId, entry.state] as const)]);
  const updates = new Map<string, WatchUpdate>(result.updates.map((update) => [update.watchId, update]));
  await checkListings(deps, watched, result.checkListing, states, updates, nowMs);

  const byId = new Map(watched.map((watch) => [watch.mapping.id, watch]));
  const stamp = window.toMs;
  const commit: WatchCommit = {
    cursor: { id: WATCH_CURSOR_ID, value: result.cursor },
    states: [...states].flatMap(([mappingId, state]) => {
      const watch = byId.get(mappingId);
      if (watch === undefined) return [];
      const seen = [...(watch.record.seen ?? []), ...(updates.get(mappingId)?.events ?? [])];
      return [{ mappingId, state: storedWatchRecord({ ...watch.record, watch: state, seen }) }];
    }),
    finished: [...result.finished, ...unreadable],
    jobs: [...updates.values()].flatMap((update) => outboxOf(update, stamp, nowMs)),
    ledger: endedRowsOf(byId, [...updates.values()]),
  };
  await deps.store.watches.commit(commit);
  const active = watched.length - result.finished.length;
  return again(deps, nextPoll(active, outcome), { failures: 0 });
}

function again(deps: Pick<WatchDeps, 'clock'>, next: ReturnType<typeof nextPoll>, payload: { failures: number }): JobResult {
  return next.kind === 'stop' ? { kind: 'done' } : { kind: 'again', atMs: deps.clock.nowMs() + next.delayMs, payload };
}

/** A notice to the requester when something changed for them, and a redraw of the card (one pending per card). */
export function outboxOf(update: Pick<WatchUpdate, 'watchId' | 'changes'>, stamp: number | string, nowMs: number): { job: JobInput; rearm?: boolean }[] {
  const notice: WatchNotice = { mappingId: update.watchId, changes: update.changes };
  return [
    ...(update.changes.length > 0
      ? [{ job: { key: `watch-notify:${update.watchId}:${stamp}`, kind: 'watch-notify' as const, dueAtMs: nowMs, payload: notice } }]
      : []),
    { job: { key: watchCardKey(update.watchId), kind: 'watch-card' as const, dueAtMs: nowMs, payload: { mappingId: update.watchId } }, rearm: true },
  ];
}

/**
 * Every unfinished watch with its mapping. One whose mapping the bot closed meanwhile (a close racing a read) is
 * ended here as `closed` first, so that the close's own DELETED in the log is never told as someone else's delete.
 */
async function loadWatches(deps: WatchDeps): Promise<{ watched: Watched[]; unreadable: string[]; closed: [string, WatchState][] }> {
  const watched: Watched[] = [];
  const unreadable: string[] = [];
  const closed: [string, WatchState][] = [];
  for (const row of await deps.store.watches.listActive()) {
    const record = watchRecordOf(row.state);
    const mapping = await deps.store.mappings.get(row.mappingId);
    if (record === undefined || mapping === undefined) {
      deps.logger.warn('A watch could not be read back; it is stopped', row.mappingId);
      unreadable.push(row.mappingId);
      continue;
    }
    const last = await deps.store.lastIps.get(mapping.openedBy.teamId, mapping.openedBy.userId);
    const routed = watchedMapping(mapping, record, last === undefined ? [] : [last.ip]);
    const ended = mapping.closed === undefined ? undefined : endWatch(routed, record.watch, { how: 'closed', atMs: mapping.closed.atMs, evidence: 'bot' });
    if (ended !== undefined) closed.push([mapping.id, ended.state]);
    watched.push({ mapping, record, input: { mapping: routed, state: ended?.state ?? record.watch } });
  }
  return { watched, unreadable, closed };
}

/** A DELETED the log cannot pin on one watch: SORACOM's listing of the SIM says which of them ended (one call per SIM). */
async function checkListings(
  deps: WatchDeps,
  watched: readonly Watched[],
  watchIds: readonly string[],
  states: Map<string, WatchState>,
  updates: Map<string, WatchUpdate>,
  nowMs: number,
): Promise<void> {
  const listings = new Map<string, Awaited<ReturnType<WatchDeps['api']['listPortMappingsForSim']>>>();
  for (const watchId of watchIds) {
    const watch = watched.find((candidate) => candidate.mapping.id === watchId);
    const simId = watch?.mapping.simId;
    if (watch === undefined || simId === undefined) continue;
    let listed = listings.get(simId);
    if (listed === undefined) {
      try {
        listed = await deps.api.listPortMappingsForSim(simId);
      } catch (error) {
        deps.logger.info('Could not list the mappings of a SIM to tell which one was deleted; next poll', errorCodeOf(error));
        continue;
      }
      listings.set(simId, listed);
    }
    const end = endFromListing(watch.mapping, listed, nowMs);
    const state = states.get(watchId) ?? watch.record.watch;
    const ended = end === undefined ? undefined : endWatch(watch.input.mapping, state, end);
    if (ended === undefined) continue;
    states.set(watchId, ended.state);
    const earlier = updates.get(watchId);
    updates.set(
      watchId,
      earlier === undefined ? ended.update : { ...earlier, changes: [...earlier.changes, ...ended.update.changes], summary: ended.update.summary },
    );
  }
}

function endedRowsOf(byId: ReadonlyMap<string, Watched>, updates: readonly WatchUpdate[]): LedgerInput[] {
  return updates.flatMap((update) => {
    const mapping = byId.get(update.watchId)?.mapping;
    return mapping === undefined ? [] : update.changes.flatMap((change) => (change.kind === 'ended' ? endedRows(mapping, change.end) : []));
  });
}

/** What the watches of a SIM's mappings saw in the audit log: a diagnosis of the SIM starts from it. */
export async function seenBySimWatches(deps: Pick<UseCaseDeps, 'store'>, simId: string): Promise<AuditEvent[]> {
  const seen: AuditEvent[] = [];
  for (const row of await deps.store.watches.listActive()) {
    const mapping = await deps.store.mappings.get(row.mappingId);
    if (mapping?.simId !== simId) continue;
    seen.push(...(watchRecordOf(row.state)?.seen ?? []));
  }
  return seen;
}
