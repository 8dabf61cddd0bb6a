import { hostname } from 'node:os';
import type { Clock } from '../common/clock';
import type { Scheduler } from '../use-cases/scheduler';

/**
 * The scheduler's only timer: runs due jobs, then sleeps until the next one is due, at most `beatMs` (another
 * replica may have scheduled something, or the clock may be a simulated one), and at once when poked (a job
 * was just scheduled here). `stop` ends the loop and waits for the round under way.
 */
export interface SchedulerLoop {
  poke(): void;
  /** Whether the last round could read the jobs: every round asks the store, so this is the store's health too. */
  storeReachable(): boolean;
  stop(): Promise<void>;
}

export const SCHEDULER_BEAT_MS = 1_000;
/** Between rounds, so that a job due again at once cannot spin the loop. */
const MIN_SLEEP_MS = 10;

export function startSchedulerLoop(
  scheduler: Scheduler,
  options: { readonly clock: Clock; readonly beatMs?: number; readonly onError: (error: unknown) => void },
): SchedulerLoop {
  const beatMs = options.beatMs ?? SCHEDULER_BEAT_MS;
  let stopped = false;
  let lastRoundFailed = false;
  let wake: (() => void) | undefined;
  let timer: NodeJS.Timeout | undefined;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      wake = resolve;
      timer = setTimeout(resolve, ms);
      timer.unref();
    }).finally(() => {
      clearTimeout(timer);
      wake = undefined;
    });

  const loop = (async () => {
    while (!stopped) {
      try {
        await scheduler.runDue();
        const nextMs = await scheduler.nextDueAtMs();
        lastRoundFailed = false;
        if (stopped) break;
        await sleep(nextMs === undefined ? beatMs : Math.min(beatMs, Math.max(MIN_SLEEP_MS, nextMs - options.clock.nowMs())));
      } catch (error) {
        lastRoundFailed = true;
        options.onError(error);
        await sleep(beatMs);
      }
    }
  })();

  return {
    poke() {
      wake?.();
    },
    storeReachable: () => !lastRoundFailed,
    async stop() {
      stopped = true;
      wake?.();
      await scheduler.stop();
      await loop;
    },
  };
}

/** This process as the owner of its leases: host, pid and a part of its own (two apps in one process differ). */
export function processOwnerId(unique: string): string {
  return `${hostname()}:${process.pid}:${unique}`;
}

/** Whether a lease's owner is a process of this host that no longer runs (a killed bot): its leases can go. */
export function isGoneLocalOwner(owner: string): boolean {
  const [host, pidText] = owner.split(':');
  const pid = Number(pidText);
  if (host !== hostname() || !Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as { code?: unknown }).code === 'ESRCH';
  }
}
