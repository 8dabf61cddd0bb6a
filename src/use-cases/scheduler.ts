import { errorCodeOf } from '../common/errors';
import type { UseCaseDeps } from './deps';
import type { Job, JobKind } from './ports/store';

/**
 * The one durable scheduler: jobs are rows in the store, and a due job is claimed with a lease (this process as
 * owner, until `leaseMs` from now) before it runs, so no two processes ever run it at once; a process that dies
 * mid-job leaves a lease that runs out, and the job runs again then. A handler says what comes next: done, or
 * again at a time. Nothing here sets a timer: the adapter calls `runDue` when work may be due (and on a beat).
 */

export type JobResult = { readonly kind: 'done' } | { readonly kind: 'again'; readonly atMs: number; readonly payload?: unknown };
export type JobHandler = (job: Job) => Promise<JobResult>;

export interface SchedulerOptions {
  /** This process among the replicas: the leases' owner. */
  readonly owner: string;
  /** Longer than any job runs: past it, another owner may take the job. */
  readonly leaseMs?: number;
  /** Jobs claimed per round. */
  readonly batch?: number;
}

export interface Scheduler {
  /** Handlers live beside what they touch (the Slack adapter registers the ones that deliver). */
  register(kind: JobKind, handler: JobHandler): void;
  /** Claims and runs what is due, round after round, until nothing due is left or `stop` was called. How many ran. */
  runDue(): Promise<number>;
  /** When the next job is due (for the adapter's timer); undefined when none is waiting. */
  nextDueAtMs(): Promise<number | undefined>;
  /** How late the oldest due job is, as of the last round (0 when nothing is late): for metrics. */
  schedulerLagMs(): number;
  /** No new claims; a round under way finishes its jobs. Resolves once it has. */
  stop(): Promise<void>;
}

export const DEFAULT_LEASE_MS = 2 * 60_000;
const DEFAULT_BATCH = 20;
/** A failing job waits this long, doubled per attempt, up to the cap: it is tried again, never dropped. */
const RETRY_BASE_MS = 5_000;
const RETRY_MAX_MS = 10 * 60_000;
/** A job whose kind this process has no handler for (a newer replica's): put back for another owner. */
const UNHANDLED_RETRY_MS = 60_000;

export function retryDelayMs(attempts: number): number {
  return Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** Math.max(0, attempts - 1));
}

export function createScheduler(deps: Pick<UseCaseDeps, 'store' | 'clock' | 'logger'>, options: SchedulerOptions): Scheduler {
  const handlers = new Map<JobKind, JobHandler>();
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const batch = options.batch ?? DEFAULT_BATCH;
  let oldestDueMs: number | undefined;
  let stopped = false;
  let round: Promise<number> | undefined;

  const runOne = async (job: Job): Promise<void> => {
    const lease = { token: job.lease?.token ?? '' };
    const handler = handlers.get(job.kind);
    if (handler === undefined) {
      deps.logger.warn(`No handler for scheduled job kind ${job.kind}; leaving ${job.key} for another process`);
      await deps.store.jobs.reschedule(job.id, lease, deps.clock.nowMs() + UNHANDLED_RETRY_MS);
      return;
    }
    let result: JobResult;
    try {
      result = await handler(job);
    } catch (error) {
      const delayMs = retryDelayMs(job.attempts);
      deps.logger.warn(`Scheduled job ${job.key} failed (${errorCodeOf(error)}); trying again in ${Math.round(delayMs / 1000)} s`, error);
      await deps.store.jobs.reschedule(job.id, lease, deps.clock.nowMs() + delayMs);
      return;
    }
    const kept =
      result.kind === 'done' ? await deps.store.jobs.complete(job.id, lease) : await deps.store.jobs.reschedule(job.id, lease, result.atMs, result.payload);
    if (!kept) deps.logger.warn(`Scheduled job ${job.key} outlived its lease; another process took it over`);
  };

  const rounds = async (): Promise<number> => {
    let ran = 0;
    while (!stopped) {
      const jobs = await deps.store.jobs.claimDue(options.owner, leaseMs, batch);
      if (jobs.length === 0) break;
      // Different jobs touch different things; one slow job (a SORACOM read) does not hold up the others.
      await Promise.all(jobs.map(runOne));
      ran += jobs.length;
    }
    oldestDueMs = await deps.store.jobs.oldestDueAtMs(deps.clock.nowMs());
    return ran;
  };

  return {
    register(kind, handler) {
      handlers.set(kind, handler);
    },
    runDue() {
      // One round at a time per process: a second call joins the one under way.
      if (round === undefined) {
        round = rounds().finally(() => {
          round = undefined;
        });
      }
      return round;
    },
    nextDueAtMs: () => deps.store.jobs.nextDueAtMs(),
    schedulerLagMs: () => (oldestDueMs === undefined ? 0 : Math.max(0, deps.clock.nowMs() - oldestDueMs)),
    async stop() {
      stopped = true;
      await round?.catch(() => undefined);
    },
  };
}

/**
 * At start: leases held by a process that is gone (killed on this host) are handed back at once instead of running
 * out, so its jobs run again now, once. `isGone` is the adapter's (it alone knows processes); others' leases hold.
 */
export async function releaseLeasesOfGone(deps: Pick<UseCaseDeps, 'store' | 'clock'>, isGone: (owner: string) => boolean): Promise<number> {
  let released = 0;
  for (const job of await deps.store.jobs.listPending()) {
    const lease = job.lease;
    if (lease === undefined || lease.untilMs <= deps.clock.nowMs() || !isGone(lease.owner)) continue;
    if (await deps.store.jobs.reschedule(job.id, lease, job.dueAtMs)) released += 1;
  }
  return released;
}
