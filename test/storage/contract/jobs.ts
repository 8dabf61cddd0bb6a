import type { ManualClock } from '../../../src/common/clock';
import type { Store } from '../../../src/use-cases/ports/store';
import { captureLinkInput, T0 } from './fixtures';

/**
 * The scheduler's jobs: scheduled once per key, claimed with a lease before they run, and never handed to a
 * second owner while the lease holds (the same code runs on several replicas over another database later).
 */
export function describeJobsContract(fresh: () => { store: Store; clock: ManualClock; connect(): Promise<Store> }): void {
  describe('scheduled jobs', () => {
    const LEASE_MS = 30_000;

    test('schedule is idempotent by key; a finished job keeps its key unless rearmed', async () => {
      const { store, clock } = fresh();
      const first = await store.jobs.schedule({ key: 'reminder:M1', kind: 'reminder', dueAtMs: T0 + 1000, payload: { mappingId: 'M1' } });
      expect(first.how).toBe('created');
      expect(first.job).toMatchObject({ key: 'reminder:M1', kind: 'reminder', dueAtMs: T0 + 1000, payload: { mappingId: 'M1' }, attempts: 0, createdAtMs: T0 });
      const again = await store.jobs.schedule({ key: 'reminder:M1', kind: 'reminder', dueAtMs: T0 + 9000, payload: { other: true } });
      expect(again).toEqual({ how: 'exists', job: first.job });

      clock.advance(1000);
      const [claimed] = await store.jobs.claimDue('A', LEASE_MS, 10);
      expect(await store.jobs.complete(claimed?.id ?? '', { token: claimed?.lease?.token ?? '' })).toBe(true);
      expect((await store.jobs.get('reminder:M1'))?.doneAtMs).toBe(T0 + 1000);
      expect((await store.jobs.schedule({ key: 'reminder:M1', kind: 'reminder', dueAtMs: T0 + 5000 })).how).toBe('exists');
      expect(await store.jobs.listPending()).toEqual([]);

      const rearmed = await store.jobs.schedule({ key: 'reminder:M1', kind: 'reminder', dueAtMs: T0 + 5000, payload: { n: 2 } }, { rearm: true });
      expect(rearmed.how).toBe('rearmed');
      expect(rearmed.job).toMatchObject({ dueAtMs: T0 + 5000, payload: { n: 2 } });
      expect(rearmed.job.doneAtMs).toBeUndefined();
      expect(rearmed.job.lease).toBeUndefined();
      // A pending job is not moved by a rearm.
      expect((await store.jobs.schedule({ key: 'reminder:M1', kind: 'reminder', dueAtMs: T0 + 1 }, { rearm: true })).how).toBe('exists');
    });

    test('claims due jobs oldest first, up to the limit, each with a lease of its own', async () => {
      const { store, clock } = fresh();
      await store.jobs.schedule({ key: 'late', kind: 'expiry', dueAtMs: T0 + 3000 });
      await store.jobs.schedule({ key: 'b', kind: 'reminder', dueAtMs: T0 + 2000 });
      await store.jobs.schedule({ key: 'a', kind: 'watch-poll', dueAtMs: T0 + 1000 });
      await store.jobs.schedule({ key: 'future', kind: 'expiry', dueAtMs: T0 + 60_000 });
      clock.advance(3000);
      const first = await store.jobs.claimDue('A', LEASE_MS, 2);
      expect(first.map((job) => job.key)).toEqual(['a', 'b']);
      expect(first[0]?.lease).toMatchObject({ owner: 'A', untilMs: T0 + 3000 + LEASE_MS });
      expect(first[0]?.attempts).toBe(1);
      expect(first[0]?.lease?.token).not.toBe(first[1]?.lease?.token);
      expect((await store.jobs.claimDue('A', LEASE_MS, 10)).map((job) => job.key)).toEqual(['late']);
      expect(await store.jobs.claimDue('A', LEASE_MS, 10)).toEqual([]);
    });

    test('a job whose lease holds is never handed to a second owner, even on another connection; an expired lease is reclaimed', async () => {
      const { store, clock, connect } = fresh();
      const other = await connect();
      await store.jobs.schedule({ key: 'poll', kind: 'watch-poll', dueAtMs: T0 });
      const [mine] = await store.jobs.claimDue('A', LEASE_MS, 10);
      expect(mine?.lease?.owner).toBe('A');
      expect(await other.jobs.nextDueAtMs()).toBe(T0 + LEASE_MS);
      expect(await other.jobs.claimDue('B', LEASE_MS, 10)).toEqual([]);
      clock.advance(LEASE_MS - 1);
      expect(await other.jobs.claimDue('B', LEASE_MS, 10)).toEqual([]);

      clock.advance(1);
      const [theirs] = await other.jobs.claimDue('B', LEASE_MS, 10);
      expect(theirs).toMatchObject({ key: 'poll', attempts: 2, lease: { owner: 'B' } });
      // The first owner's lease is gone: what it says afterwards changes nothing.
      expect(await store.jobs.complete(mine?.id ?? '', { token: mine?.lease?.token ?? '' })).toBe(false);
      expect(await store.jobs.reschedule(mine?.id ?? '', { token: mine?.lease?.token ?? '' }, T0 + 999_999)).toBe(false);
      expect((await store.jobs.get('poll'))?.lease?.owner).toBe('B');
      expect(await other.jobs.complete(theirs?.id ?? '', { token: theirs?.lease?.token ?? '' })).toBe(true);
    });

    test('of two connections claiming at once, exactly one gets each job', async () => {
      const { store, connect } = fresh();
      const other = await connect();
      for (let index = 0; index < 20; index += 1) await store.jobs.schedule({ key: `j${index}`, kind: 'watch-notify', dueAtMs: T0 });
      const [a, b] = await Promise.all([store.jobs.claimDue('A', LEASE_MS, 15), other.jobs.claimDue('B', LEASE_MS, 15)]);
      const keys = [...(a ?? []), ...(b ?? [])].map((job) => job.key);
      expect(keys).toHaveLength(20);
      expect(new Set(keys).size).toBe(20);
    });

    test('reschedule drops the lease and sets the next due time (and payload when given); cancel finishes by key', async () => {
      const { store, clock } = fresh();
      await store.jobs.schedule({ key: 'poll', kind: 'watch-poll', dueAtMs: T0, payload: { n: 1 } });
      const [job] = await store.jobs.claimDue('A', LEASE_MS, 1);
      const token = { token: job?.lease?.token ?? '' };
      expect(await store.jobs.reschedule(job?.id ?? '', token, T0 + 30_000)).toBe(true);
      expect(await store.jobs.get('poll')).toMatchObject({ dueAtMs: T0 + 30_000, payload: { n: 1 } });
      expect((await store.jobs.get('poll'))?.lease).toBeUndefined();
      expect(await store.jobs.complete(job?.id ?? '', token)).toBe(false);
      expect(await store.jobs.nextDueAtMs()).toBe(T0 + 30_000);
      expect(await store.jobs.oldestDueAtMs(T0 + 29_999)).toBeUndefined();

      clock.advance(40_000);
      expect(await store.jobs.oldestDueAtMs(clock.nowMs())).toBe(T0 + 30_000);
      const [again] = await store.jobs.claimDue('A', LEASE_MS, 1);
      expect(await store.jobs.reschedule(again?.id ?? '', { token: again?.lease?.token ?? '' }, T0 + 90_000, { n: 2 })).toBe(true);
      expect((await store.jobs.get('poll'))?.payload).toEqual({ n: 2 });
      expect((await store.jobs.listPending('watch-poll')).map((pending) => pending.key)).toEqual(['poll']);
      expect(await store.jobs.listPending('reminder')).toEqual([]);

      expect(await store.jobs.cancel('poll')).toBe(true);
      expect(await store.jobs.cancel('poll')).toBe(false);
      expect(await store.jobs.cancel('missing')).toBe(false);
      expect(await store.jobs.nextDueAtMs()).toBeUndefined();
      clock.advance(100_000);
      expect(await store.jobs.claimDue('A', LEASE_MS, 10)).toEqual([]);
    });
  });

  describe('watches', () => {
    const poll = { job: { key: 'watch-poll', kind: 'watch-poll' as const, dueAtMs: T0 }, rearm: true };

    test('start writes the watch and its jobs once; a second start changes nothing', async () => {
      const { store } = fresh();
      expect(await store.watches.start('M1', { v: 1 }, [poll, { job: { key: 'reminder:M1', kind: 'reminder', dueAtMs: T0 + 60_000 } }])).toBe(true);
      expect(await store.watches.start('M1', { v: 2 }, [{ job: { key: 'other', kind: 'expiry', dueAtMs: T0 } }])).toBe(false);
      expect(await store.watches.get('M1')).toEqual({ mappingId: 'M1', state: { v: 1 }, startedAtMs: T0, updatedAtMs: T0 });
      expect((await store.jobs.listPending()).map((job) => job.key)).toEqual(['watch-poll', 'reminder:M1']);
      expect(await store.watches.get('M2')).toBeUndefined();
    });

    test('a commit writes the cursor, the states, the finished watches and the outbox together', async () => {
      const { store, clock, connect } = fresh();
      await store.watches.start('M1', { n: 0 }, []);
      clock.advance(10);
      await store.watches.start('M2', { n: 0 }, []);
      expect(await store.watches.cursor('operator')).toBeUndefined();
      clock.advance(1000);
      await store.watches.commit({
        cursor: { id: 'operator', value: { readToMs: T0 } },
        states: [{ mappingId: 'M1', state: { n: 1 } }],
        finished: ['M2'],
        jobs: [{ job: { key: 'watch-notify:M1:1', kind: 'watch-notify', dueAtMs: T0 + 1010, payload: { mappingId: 'M1' } } }],
      });
      const next = await connect();
      expect(await next.watches.cursor('operator')).toEqual({ readToMs: T0 });
      expect(await next.watches.get('M1')).toMatchObject({ state: { n: 1 }, updatedAtMs: T0 + 1010 });
      expect((await next.watches.listActive()).map((watch) => watch.mappingId)).toEqual(['M1']);
      expect((await next.watches.get('M2'))?.finishedAtMs).toBe(T0 + 1010);
      expect((await next.jobs.get('watch-notify:M1:1'))?.payload).toEqual({ mappingId: 'M1' });
      await next.watches.commit({ cursor: { id: 'operator', value: { readToMs: T0 + 5 } }, states: [], finished: [], jobs: [] });
      expect(await store.watches.cursor('operator')).toEqual({ readToMs: T0 + 5 });
    });

    test('a commit writes its ledger rows with the rest, and a commit that fails writes none of it', async () => {
      const { store, connect } = fresh();
      await store.watches.start('M1', { n: 0 }, []);
      const ended = { kind: 'ended' as const, teamId: 'T1', userId: 'U1', mappingId: 'M1', details: { how: 'expired' } };
      await store.watches.commit({ states: [{ mappingId: 'M1', state: { n: 1 } }], finished: ['M1'], jobs: [], ledger: [ended] });
      const next = await connect();
      expect(await next.ledger.list({ mappingId: 'M1' })).toEqual([expect.objectContaining({ kind: 'ended', details: { how: 'expired' } })]);

      await store.watches.start('M2', { n: 0 }, []);
      // A row the store refuses (no team) takes the state change and the job of its commit with it.
      const refused = { ...ended, mappingId: 'M2', teamId: undefined as unknown as string };
      await expect(
        store.watches.commit({
          states: [{ mappingId: 'M2', state: { n: 1 } }],
          finished: [],
          jobs: [{ job: { key: 'x', kind: 'expiry', dueAtMs: T0 } }],
          ledger: [refused],
        }),
      ).rejects.toMatchObject({ message: expect.any(String) });
      expect((await next.watches.get('M2'))?.state).toEqual({ n: 0 });
      expect(await next.jobs.get('x')).toBeUndefined();
      expect(await next.ledger.list({ mappingId: 'M2' })).toEqual([]);
    });
    test('old rows go: jobs finished before the cut (their keys free again), finished watches, settled work in flight, IP links expired; the rest stays', async () => {
      const { store, clock } = fresh();
      const LEASE_MS = 30_000;
      const DAY_MS = 24 * 60 * 60 * 1000;
      await store.jobs.schedule({ key: 'old', kind: 'reminder', dueAtMs: T0 });
      await store.jobs.schedule({ key: 'pending', kind: 'expiry', dueAtMs: T0 + 10 * DAY_MS });
      const [old] = await store.jobs.claimDue('A', LEASE_MS, 10);
      await store.jobs.complete(old?.id ?? '', { token: old?.lease?.token ?? '' });
      await store.watches.start('ended', {}, []);
      await store.watches.start('active', {}, []);
      await store.watches.commit({ states: [], finished: ['ended'], jobs: [] });
      const flightInput = { kind: 'open', requestKey: 'k', teamId: 'T1', userId: 'U1', channelId: 'C1', state: 'started', params: {} } as const;
      const told = await store.inflight.begin(flightInput);
      await store.inflight.settle(told.id);
      const waiting = await store.inflight.begin(flightInput);
      const expired = await store.ipCaptures.create(captureLinkInput);

      clock.advance(DAY_MS);
      await store.jobs.schedule({ key: 'recent', kind: 'reminder', dueAtMs: T0 + DAY_MS });
      const [recent] = await store.jobs.claimDue('A', LEASE_MS, 10);
      await store.jobs.complete(recent?.id ?? '', { token: recent?.lease?.token ?? '' });
      clock.advance(DAY_MS);

      const later = await store.ipCaptures.create(captureLinkInput);
      const cut = T0 + DAY_MS / 2;
      expect(await store.jobs.pruneDone(cut)).toBe(1);
      expect(await store.jobs.get('old')).toBeUndefined();
      expect(await store.jobs.get('recent')).toBeDefined();
      expect((await store.jobs.listPending()).map((job) => job.key)).toEqual(['pending']);
      expect((await store.jobs.schedule({ key: 'old', kind: 'reminder', dueAtMs: T0 + 3 * DAY_MS })).how).toBe('created');

      expect(await store.watches.pruneFinished(cut)).toBe(1);
      expect(await store.watches.get('ended')).toBeUndefined();
      expect((await store.watches.listActive()).map((watch) => watch.mappingId)).toEqual(['active']);

      expect(await store.inflight.pruneSettled(cut)).toBe(1);
      expect(await store.inflight.get(told.id)).toBeUndefined();
      expect(await store.inflight.get(waiting.id)).toBeDefined();
      expect(await store.jobs.pruneDone(cut)).toBe(0);

      expect(await store.ipCaptures.pruneExpired(cut)).toBe(1);
      expect(await store.ipCaptures.get(expired.capture.id)).toBeUndefined();
      expect(await store.ipCaptures.peek(expired.token)).toEqual({ error: 'unknown' });
      expect(await store.ipCaptures.get(later.capture.id)).toBeDefined();
    });
  });
}
