import { systemClock } from '../../src/common/clock';
import { startSchedulerLoop } from '../../src/slack/scheduler-loop';
import type { Scheduler } from '../../src/use-cases/scheduler';

/** The loop's view of the store, which /readyz reports as the database's readiness: a failed round turns it false. */
describe('scheduler loop', () => {
  it('says the store is unreachable while its rounds fail, and reachable again once one succeeds', async () => {
    let failing = true;
    let rounds = 0;
    const scheduler: Scheduler = {
      register: () => undefined,
      runDue: async () => {
        rounds += 1;
        if (failing) throw new Error('SQLITE_IOERR: disk I/O error');
        return 0;
      },
      nextDueAtMs: async () => undefined,
      schedulerLagMs: () => 0,
      stop: async () => undefined,
    };
    const errors: unknown[] = [];
    const loop = startSchedulerLoop(scheduler, { clock: systemClock, beatMs: 5, onError: (error) => errors.push(error) });
    try {
      const until = async (check: () => boolean) => {
        for (let waited = 0; !check(); waited += 5) {
          if (waited > 5_000) throw new Error('timed out');
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      };
      await until(() => rounds >= 1 && errors.length >= 1);
      expect(loop.storeReachable()).toBe(false);
      failing = false;
      const before = rounds;
      await until(() => rounds > before + 1);
      expect(loop.storeReachable()).toBe(true);
    } finally {
      await loop.stop();
    }
  });
});
