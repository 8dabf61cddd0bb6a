import type { UseCaseDeps } from './deps';
import type { JobHandler } from './scheduler';

/**
 * What the store may forget, once a day: rows that only ever served work long finished. The ledger (the audit trail
 * `/napter history` reads) and the diagnoses are kept; nothing here is needed by a job, a watch or a user still
 * waiting. IP links (who asked, from which channel, with which response_url) go a month after they expired. A finished job's key is free again after `JOB_RETENTION_MS`: every key names a mapping, a capture or a
 * watch step, none of which is scheduled again days after it finished.
 */
export const HOUSEKEEPING_KEY = 'housekeeping';
const DAY_MS = 24 * 60 * 60 * 1000;
export const JOB_RETENTION_MS = 7 * DAY_MS;
/**
 * Work in flight the user was told about, ended watches (a diagnosis over a longer window reads the audit log and the
 * ledger), and IP links after they expired.
 */
export const SETTLED_RETENTION_MS = 30 * DAY_MS;
/** The first clearing waits a little after a start, which has work of its own. */
const FIRST_RUN_DELAY_MS = 10 * 60 * 1000;

export interface Cleared {
  readonly jobs: number;
  readonly watches: number;
  readonly inFlight: number;
  readonly ipLinks: number;
}

export async function clearOldRows(deps: Pick<UseCaseDeps, 'store' | 'clock'>): Promise<Cleared> {
  const nowMs = deps.clock.nowMs();
  return {
    jobs: await deps.store.jobs.pruneDone(nowMs - JOB_RETENTION_MS),
    watches: await deps.store.watches.pruneFinished(nowMs - SETTLED_RETENTION_MS),
    inFlight: await deps.store.inflight.pruneSettled(nowMs - SETTLED_RETENTION_MS),
    ipLinks: await deps.store.ipCaptures.pruneExpired(nowMs - SETTLED_RETENTION_MS),
  };
}

/** The daily job: clears, says what when anything went, and comes back a day later (it never finishes). */
export function housekeepingJob(deps: Pick<UseCaseDeps, 'store' | 'clock' | 'logger'>): JobHandler {
  return async () => {
    const cleared = await clearOldRows(deps);
    if (Object.values(cleared).some((count) => count > 0)) deps.logger.info('Cleared rows nobody needs any more', cleared);
    return { kind: 'again', atMs: deps.clock.nowMs() + DAY_MS };
  };
}

/** At start: the daily job exists (once, whichever replica arms it first). */
export async function armHousekeeping(deps: Pick<UseCaseDeps, 'store' | 'clock'>): Promise<void> {
  await deps.store.jobs.schedule({ key: HOUSEKEEPING_KEY, kind: 'housekeeping', dueAtMs: deps.clock.nowMs() + FIRST_RUN_DELAY_MS }, { rearm: true });
}
