import { createScheduler, retryDelayMs } from '../../src/use-cases/scheduler';
import type { Job } from '../../src/use-cases/ports/store';
import { T0, useCaseDeps } from '../fakes/deps';

describe('the durable scheduler', () => {
  test('runs each due job once, re-arms what asks for it, and leaves the rest for later', async () => {
    const deps = useCaseDeps();
    const scheduler = createScheduler(deps, { owner: 'A' });
    const ran: string[] = [];
    scheduler.register('reminder', async (job) => {
      ran.push(job.key);
      return { kind: 'done' };
    });
    scheduler.register('watch-poll', async (job) => {
      ran.push(job.key);
      return { kind: 'again', atMs: deps.clock.nowMs() + 30_000, payload: { round: Number((job.payload as { round: number }).round) + 1 } };
    });
    await deps.store.jobs.schedule({ key: 'r1', kind: 'reminder', dueAtMs: T0 });
    await deps.store.jobs.schedule({ key: 'poll', kind: 'watch-poll', dueAtMs: T0, payload: { round: 1 } });
    await deps.store.jobs.schedule({ key: 'r2', kind: 'reminder', dueAtMs: T0 + 60_000 });

    expect(await scheduler.runDue()).toBe(2);
    expect(ran.sort()).toEqual(['poll', 'r1']);
    expect(await scheduler.runDue()).toBe(0);
    expect(await scheduler.nextDueAtMs()).toBe(T0 + 30_000);
    expect((await deps.store.jobs.get('poll'))?.payload).toEqual({ round: 2 });

    deps.clock.advance(60_000);
    expect(await scheduler.runDue()).toBe(2);
    expect(ran.slice(2).sort()).toEqual(['poll', 'r2']);
    expect((await deps.store.jobs.listPending()).map((job) => job.key)).toEqual(['poll']);
  });

  test('a failing job is tried again later with a growing delay, never dropped', async () => {
    const deps = useCaseDeps();
    const scheduler = createScheduler(deps, { owner: 'A' });
    let failures = 2;
    scheduler.register('expiry', async () => {
      if (failures-- > 0) throw new Error('SORACOM is down');
      return { kind: 'done' };
    });
    await deps.store.jobs.schedule({ key: 'e', kind: 'expiry', dueAtMs: T0 });
    await scheduler.runDue();
    expect((await deps.store.jobs.get('e'))?.dueAtMs).toBe(T0 + retryDelayMs(1));
    deps.clock.advance(retryDelayMs(1));
    await scheduler.runDue();
    expect((await deps.store.jobs.get('e'))?.dueAtMs).toBe(T0 + retryDelayMs(1) + retryDelayMs(2));
    expect(retryDelayMs(2)).toBeGreaterThan(retryDelayMs(1));
    deps.clock.advance(retryDelayMs(2));
    await scheduler.runDue();
    expect((await deps.store.jobs.get('e'))?.doneAtMs).toBeDefined();
  });

  test('two processes never run the same job, and a dead owner’s job runs again once its lease ran out', async () => {
    const deps = useCaseDeps();
    const a = createScheduler(deps, { owner: 'A', leaseMs: 60_000 });
    const b = createScheduler(deps, { owner: 'B', leaseMs: 60_000 });
    const runs: string[] = [];
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    a.register('reminder', async (job: Job) => {
      runs.push(`A:${job.key}`);
      await held;
      return { kind: 'done' };
    });
    b.register('reminder', async (job: Job) => {
      runs.push(`B:${job.key}`);
      return { kind: 'done' };
    });
    await deps.store.jobs.schedule({ key: 'r', kind: 'reminder', dueAtMs: T0 });
    const running = a.runDue();
    await new Promise((resolve) => setImmediate(resolve));
    expect(await b.runDue()).toBe(0);
    // A hangs past its lease (as a process killed mid-job would): B takes the job over, and A's late word is refused.
    deps.clock.advance(60_000);
    expect(await b.runDue()).toBe(1);
    release();
    await running;
    expect(runs).toEqual(['A:r', 'B:r']);
    expect(deps.logs.some((line) => line.includes('outlived its lease'))).toBe(true);
  });

  test('reports how late the oldest due job is, and stops claiming once stopped', async () => {
    const deps = useCaseDeps();
    const scheduler = createScheduler(deps, { owner: 'A' });
    await deps.store.jobs.schedule({ key: 'r', kind: 'reminder', dueAtMs: T0 });
    await deps.store.jobs.schedule({ key: 'late', kind: 'expiry', dueAtMs: T0 + 1_000 });
    expect(scheduler.schedulerLagMs()).toBe(0);
    // Another owner holds the oldest one (running, or dead with its lease still on): it is due, and late.
    deps.clock.advance(500);
    await deps.store.jobs.claimDue('B', 60_000, 1);
    deps.clock.advance(4_500);
    await scheduler.stop();
    expect(await scheduler.runDue()).toBe(0);
    expect(scheduler.schedulerLagMs()).toBe(5_000);
    deps.clock.advance(1_000);
    expect(scheduler.schedulerLagMs()).toBe(6_000);
    scheduler.register('expiry', async () => ({ kind: 'done' }));
    await scheduler.stop();
    expect(await scheduler.runDue()).toBe(0);
    expect((await deps.store.jobs.get('late'))?.doneAtMs).toBeUndefined();
  });
});
