import { armHousekeeping, HOUSEKEEPING_KEY, housekeepingJob, JOB_RETENTION_MS, SETTLED_RETENTION_MS } from '../../src/use-cases/housekeeping';
import { createScheduler } from '../../src/use-cases/scheduler';
import { T0, useCaseDeps } from '../fakes/deps';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The daily clearing of rows nobody needs: armed once at start, run by the scheduler, back a day later. */
describe('housekeeping', () => {
  test('clears finished jobs after a week and settled work, ended watches and expired IP links after a month, keeps the rest, and comes back daily', async () => {
    const deps = useCaseDeps();
    const scheduler = createScheduler(deps, { owner: 'A' });
    scheduler.register('housekeeping', housekeepingJob(deps));
    scheduler.register('reminder', async () => ({ kind: 'done' }));
    await armHousekeeping(deps);
    await armHousekeeping(deps);
    expect((await deps.store.jobs.listPending('housekeeping')).map((job) => job.key)).toEqual([HOUSEKEEPING_KEY]);

    // A reminder that ran at T0, a watch ended and a user told at T0; a watch and a wait still going on.
    await deps.store.jobs.schedule({ key: 'reminder:M1', kind: 'reminder', dueAtMs: T0 });
    await scheduler.runDue();
    await deps.store.watches.start('M1', {}, []);
    await deps.store.watches.start('M2', {}, []);
    await deps.store.watches.commit({ states: [], finished: ['M1'], jobs: [] });
    const flight = { kind: 'open', requestKey: 'k', teamId: 'T1', userId: 'U1', channelId: 'C1', state: 'started', params: {} } as const;
    const told = await deps.store.inflight.begin(flight);
    await deps.store.inflight.settle(told.id);
    const waiting = await deps.store.inflight.begin(flight);
    const link = await deps.store.ipCaptures.create({ teamId: 'T1', userId: 'U1', channelId: 'C1', lang: 'en', request: {} });

    deps.clock.advance(JOB_RETENTION_MS + 1);
    await scheduler.runDue();
    expect(await deps.store.jobs.get('reminder:M1')).toBeUndefined();
    expect(await deps.store.watches.get('M1')).toBeDefined();
    expect(await deps.store.inflight.get(told.id)).toBeDefined();
    expect(await deps.store.ipCaptures.get(link.capture.id)).toBeDefined();
    const next = (await deps.store.jobs.get(HOUSEKEEPING_KEY))?.dueAtMs;
    expect(next).toBe(deps.clock.nowMs() + DAY_MS);

    deps.clock.advance(SETTLED_RETENTION_MS - JOB_RETENTION_MS);
    expect(await scheduler.runDue()).toBe(1);
    expect(await deps.store.watches.get('M1')).toBeUndefined();
    expect(await deps.store.watches.get('M2')).toBeDefined();
    expect(await deps.store.inflight.get(told.id)).toBeUndefined();
    expect(await deps.store.inflight.get(waiting.id)).toBeDefined();
    // The link expired ten minutes after T0: a month after that, the next daily round forgets it.
    expect(await deps.store.ipCaptures.get(link.capture.id)).toBeDefined();
    deps.clock.advance(DAY_MS);
    expect(await scheduler.runDue()).toBe(1);
    expect(await deps.store.ipCaptures.get(link.capture.id)).toBeUndefined();
    expect((await deps.store.jobs.get(HOUSEKEEPING_KEY))?.doneAtMs).toBeUndefined();
  });
});
