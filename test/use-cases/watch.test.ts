import { DEFAULT_CADENCE } from '../../src/domain/watch/index';
import type { AuditEvent } from '../../src/domain/soracom';
import { extend } from '../../src/use-cases/extend';
import { requestOpen } from '../../src/use-cases/open';
import type { Job } from '../../src/use-cases/ports/store';
import { reconcileWatches } from '../../src/use-cases/reconcile-watches';
import { gatherEvidence } from '../../src/use-cases/gather-evidence';
import { runWatchPoll, seenBySimWatches, type WatchNotice } from '../../src/use-cases/watch-poll';
import { WATCH_POLL_KEY } from '../../src/use-cases/watch-records';
import { actor, useCaseDeps } from '../fakes/deps';

/** Watching, Extend and the start's reconciliation as the use-cases decide them: a fake SORACOM, the real store. */
const HANAKO = actor('U0HANAKO');
const SOURCE = '198.51.100.20';

async function setup(options: { policyText?: string; mappings?: number; durationSec?: number } = {}) {
  const deps = useCaseDeps(options.policyText === undefined ? {} : { policyText: options.policyText });
  const sims = Array.from({ length: options.mappings ?? 1 }, (_, index) => deps.api.addSim({ name: `gw-${index}` }));
  const mappings = [];
  for (const [index, sim] of sims.entries()) {
    const outcome = await requestOpen(deps, {
      actor: HANAKO,
      channelId: 'C0OPS',
      sim,
      intent: {
        devicePort: 22,
        protocol: 'ssh',
        durationSec: options.durationSec ?? 3600,
        tlsRequired: false,
        source: { kind: 'cidr', cidr: `${SOURCE}/32` },
        reason: 'open',
      },
      requestKey: `trigger-${index}`,
      responseUrl: undefined,
    });
    if (outcome.kind !== 'opened') throw new Error(outcome.kind);
    mappings.push(outcome.mapping);
  }
  const watchDeps = { ...deps, auditLog: deps.api };
  const pollJob = async (): Promise<Job> => {
    const job = await deps.store.jobs.get(WATCH_POLL_KEY);
    if (job === undefined) throw new Error('No poll job');
    return job;
  };
  return { deps, watchDeps, sims, mappings, pollJob };
}

const event = (imsi: string, type: AuditEvent['type'], atMs: number, sourceIp: string, connectionId: string): AuditEvent => ({
  connectionId,
  atMs,
  type,
  imsi,
  tls: false,
  sourceIp,
  sourcePort: 50_000,
  destinationIp: '10.0.0.1',
  destinationPort: 22,
});

describe('the shared watch poll', () => {
  test('one read serves every watch, whatever their number; news goes out as one notice and one card redraw per mapping', async () => {
    const { deps, watchDeps, sims, mappings, pollJob } = await setup({ mappings: 20 });
    expect((await deps.store.watches.listActive()).length).toBe(20);
    deps.clock.advance(10_000);
    const first = sims[0];
    if (first?.imsi === undefined) throw new Error('no IMSI');
    deps.api.events.push(
      event(first.imsi, 'ACCESS', deps.clock.nowMs() - 5000, SOURCE, 'c1'),
      event(first.imsi, 'CONNECTED', deps.clock.nowMs() - 4990, SOURCE, 'c1'),
    );

    const result = await runWatchPoll(watchDeps, await pollJob());
    expect(deps.api.operatorReads).toHaveLength(1);
    expect(result).toEqual({ kind: 'again', atMs: deps.clock.nowMs() + DEFAULT_CADENCE.baseIntervalMs, payload: { failures: 0 } });
    const notices = await deps.store.jobs.listPending('watch-notify');
    expect(notices).toHaveLength(1);
    const notice = notices[0]?.payload as WatchNotice | undefined;
    expect(notice?.mappingId).toBe(mappings[0]?.id);
    expect(notice?.changes.map((change) => change.kind)).toEqual(['connected']);
    expect((await deps.store.jobs.listPending('watch-card')).map((job) => job.key)).toEqual([`watch-card:${mappings[0]?.id}`]);

    // Read again: nothing new, nothing told.
    deps.clock.advance(30_000);
    await runWatchPoll(watchDeps, await pollJob());
    expect(deps.api.operatorReads).toHaveLength(2);
    expect(await deps.store.jobs.listPending('watch-notify')).toHaveLength(1);
  });

  test('backs off on a 429 until SORACOM’s refresh and on failures, and stops once nothing is watched', async () => {
    const { deps, watchDeps, pollJob } = await setup({ durationSec: 600 });
    deps.api.nextOperatorReads.push({ kind: 'rate-limited', pages: 0, rateLimit: { limit: 100, remaining: 0, secondsBeforeRefresh: 90 } });
    expect(await runWatchPoll(watchDeps, await pollJob())).toMatchObject({ kind: 'again', atMs: deps.clock.nowMs() + 90_000 });
    deps.api.nextOperatorReads.push(new Error('SORACOM is down'));
    expect(await runWatchPoll(watchDeps, { ...(await pollJob()), payload: { failures: 1 } })).toMatchObject({
      kind: 'again',
      atMs: deps.clock.nowMs() + 2 * DEFAULT_CADENCE.baseIntervalMs,
      payload: { failures: 2 },
    });

    // The mapping expires; its watch ends (told once), lingers for late events, then finishes and the poll stops.
    deps.clock.advance(601_000);
    await runWatchPoll(watchDeps, await pollJob());
    const ended = (await deps.store.jobs.listPending('watch-notify')).map((job) => (job.payload as WatchNotice).changes.map((change) => change.kind));
    expect(ended).toEqual([['ended']]);
    expect((await deps.store.ledger.list()).map((entry) => entry.kind)).toContain('ended');
    deps.clock.advance(5 * 60_000);
    expect(await runWatchPoll(watchDeps, await pollJob())).toEqual({ kind: 'done' });
    expect(await deps.store.watches.listActive()).toEqual([]);
  });
});

describe('a close racing a read', () => {
  test('the bot’s own delete is never told as someone else’s', async () => {
    const { deps, watchDeps, sims, mappings, pollJob } = await setup();
    const sim = sims[0];
    const mapping = mappings[0];
    if (sim?.imsi === undefined || mapping === undefined) throw new Error('no mapping');
    deps.clock.advance(60_000);
    // Closed by the bot between two reads, its watch not yet told (as when the read had already loaded it).
    await deps.store.mappings.markClosed(mapping.id, { byUserId: HANAKO.userId, atMs: deps.clock.nowMs() - 1000 });
    deps.api.events.push({ ...event(sim.imsi, 'DELETED', deps.clock.nowMs() - 900, SOURCE, mapping.id), sourceIp: undefined, sourcePort: undefined });
    await runWatchPoll(watchDeps, await pollJob());
    expect(await deps.store.jobs.listPending('watch-notify')).toEqual([]);
    expect((await deps.store.ledger.list({ mappingId: mapping.id })).map((entry) => entry.kind)).not.toContain('ended');
  });
});

describe('what the watch saw feeds a diagnosis', () => {
  test('a connection the watch routed is evidence even when the per-IMSI read no longer returns it', async () => {
    const { deps, watchDeps, sims, pollJob } = await setup();
    const sim = sims[0];
    if (sim?.imsi === undefined) throw new Error('no IMSI');
    deps.clock.advance(60_000);
    deps.api.events.push(
      event(sim.imsi, 'ACCESS', deps.clock.nowMs() - 5000, '192.0.2.9', 'c9'),
      event(sim.imsi, 'DENIED', deps.clock.nowMs() - 4990, '192.0.2.9', 'c9'),
    );
    await runWatchPoll(watchDeps, await pollJob());
    // The log loses them (a read that missed them, or the 24 hours passed for a longer window).
    deps.api.events.length = 0;
    const gathered = await gatherEvidence(deps, {
      sim: { kind: 'simId', simId: sim.simId },
      windowSec: 3600,
      seen: (found) => seenBySimWatches(deps, found.simId),
    });
    expect(gathered.input.events.map((seen) => seen.type).sort()).toEqual(['ACCESS', 'DENIED']);
    const without = await gatherEvidence(deps, { sim: { kind: 'simId', simId: sim.simId }, windowSec: 3600 });
    expect(without.input.events).toEqual([]);
  });
});

describe('Extend', () => {
  const POLICY = `
rules:
  - who: everyone
    actions: [open, close, diagnose, list]
    maxDurationSec: 6000
`;

  test('a new mapping for the same device, port and source, then the old one deleted; bounded by the policy from the chain’s start', async () => {
    const { deps, mappings } = await setup({ policyText: POLICY, durationSec: 3600 });
    const old = mappings[0];
    if (old === undefined) throw new Error('no mapping');
    deps.clock.advance(55 * 60_000);
    const first = await extend(deps, { actor: HANAKO, mappingId: old.id, requestKey: 'extend-1', responseUrl: undefined });
    if (first.kind !== 'extended') throw new Error(first.kind);
    expect(first.mapping.expiresAtMs).toBe(old.expiresAtMs + 30 * 60_000);
    expect(deps.api.mappings.map((mapping) => mapping.port)).toEqual([first.mapping.port]);
    expect(first.closed?.kind).toBe('closed');

    // 100 minutes in all, from the first open: a second Extend is cut at the policy's limit, a third refused.
    deps.clock.advance(25 * 60_000);
    const second = await extend(deps, { actor: HANAKO, mappingId: first.mapping.id, requestKey: 'extend-2', responseUrl: undefined });
    if (second.kind !== 'extended') throw new Error(second.kind);
    expect(second.mapping.expiresAtMs).toBe(old.createdAtMs + 6000 * 1000);
    expect(second.plan).toMatchObject({ ok: true, limitedBy: 'policy' });
    const third = await extend(deps, { actor: HANAKO, mappingId: second.mapping.id, requestKey: 'extend-3', responseUrl: undefined });
    expect(third).toMatchObject({ kind: 'refused', plan: { ok: false, reason: 'policy-limit' } });
    expect((await deps.store.ledger.list()).filter((entry) => entry.kind === 'extend')).toHaveLength(2);
  });

  test('a failed create leaves the old mapping as it was; someone else cannot extend it', async () => {
    const { deps, mappings } = await setup();
    const old = mappings[0];
    if (old === undefined) throw new Error('no mapping');
    expect(await extend(deps, { actor: actor('U0OTHER'), mappingId: old.id, requestKey: 'x', responseUrl: undefined })).toMatchObject({ kind: 'not-yours' });
    deps.api.failNext.set('createPortMapping', new Error('boom'));
    expect(await extend(deps, { actor: HANAKO, mappingId: old.id, requestKey: 'extend-1', responseUrl: undefined })).toMatchObject({ kind: 'failed' });
    expect(deps.api.mappings.map((mapping) => mapping.port)).toEqual([old.port]);
    expect((await deps.store.mappings.get(old.id))?.closed).toBeUndefined();
  });
});

describe('reconciling the watches at start', () => {
  test('a mapping gone from SORACOM is ended and told once; the others stay watched; the poll is armed', async () => {
    const { deps, mappings } = await setup({ mappings: 2 });
    const [gone, kept] = mappings;
    deps.api.mappings.splice(
      deps.api.mappings.findIndex((mapping) => mapping.port === gone?.port),
      1,
    );
    expect(await reconcileWatches(deps)).toEqual({ ended: 1, rearmed: 0, alive: 1 });
    expect(await reconcileWatches(deps)).toEqual({ ended: 0, rearmed: 0, alive: 1 });
    const notices = await deps.store.jobs.listPending('watch-notify');
    expect(notices.map((job) => (job.payload as WatchNotice).mappingId)).toEqual([gone?.id]);
    expect((await deps.store.ledger.list({ mappingId: gone?.id })).map((entry) => entry.kind)).toContain('ended');
    expect((await deps.store.watches.get(kept?.id ?? ''))?.state).toBeDefined();
    expect((await deps.store.jobs.get(WATCH_POLL_KEY))?.doneAtMs).toBeUndefined();
  });
});
