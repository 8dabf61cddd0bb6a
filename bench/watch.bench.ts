import { ManualClock } from '../src/common/clock';
import { CHAT_UPDATE_BUDGET, FairUpdateQueue } from '../src/common/fair-update-queue';
import {
  EMPTY_AUDIT_CURSOR,
  applyAuditRead,
  emptyWatchState,
  nextAuditWindow,
  nextPoll,
  type AuditCursor,
  type PollOutcome,
  type WatchedMapping,
  type WatchState,
  type WatchUpdate,
} from '../src/domain/watch';
import { startSimulator, type RunningSimulator } from '../src/simulator';
import { createSoracomClient } from '../src/soracom/client';
import type { AuditEvent } from '../src/domain/soracom';
import { formatMs, measureInterleaved, type BenchEntry } from './bench-kit';

/**
 * The shared watch poll, end to end on the simulated clock: the real SORACOM client against the simulator
 * over loopback, the pure watch core, the cadence, and the Slack update queue. It counts SORACOM calls (the
 * simulator's request log) per simulated minute for 1 to 1000 watched mappings, and chat.update sends under
 * a burst of events on one mapping. Those figures are counts, so a loaded machine cannot move them; the one
 * timing, of the pure core per read, is a median with ratios side by side.
 */

const T0 = Date.UTC(2026, 0, 15, 1, 0, 0);
const MIN = 60_000;
const MINUTES = 10;
const USER_IP = '198.51.100.7';
const AUDIT_PATH = '/v1/audit_logs/napter';

interface Harness {
  readonly sim: RunningSimulator;
  readonly clock: ManualClock;
  readonly watched: WatchedMapping[];
  readonly endpoints: string[];
  close(): Promise<void>;
}

async function harness(watchCount: number): Promise<Harness> {
  const clock = new ManualClock(T0);
  const sims = Array.from({ length: watchCount }, (_, i) => ({
    simId: `89423100${String(i).padStart(11, '0')}`,
    imsi: `2950500${String(i).padStart(8, '0')}`,
    device: { services: [{ port: 22, protocol: 'ssh' }] },
  }));
  const sim = await startSimulator({
    clock,
    world: {
      sims,
      clients: [
        { id: 'user', globalIp: USER_IP },
        { id: 'stranger', globalIp: '203.0.113.66' },
      ],
    },
  });
  const watched: WatchedMapping[] = [];
  const endpoints: string[] = [];
  for (const [index, spec] of sims.entries()) {
    // Made in the world directly: opening is not what is measured.
    const created = sim.world.createMapping({ target: { imsi: spec.imsi }, devicePort: 22, durationSec: 8 * 3600, sourceIpRanges: [`${USER_IP}/32`] });
    if (!created.ok) throw new Error(created.error.message);
    const mapping = created.value;
    endpoints.push(`${mapping.ipAddress}:${mapping.port}`);
    watched.push({
      watchId: `w${index}`,
      imsis: [spec.imsi],
      devicePort: 22,
      sourceIpRanges: mapping.sourceIpRanges,
      openedAtMs: mapping.createdAtMs,
      expiresAtMs: mapping.expiresAtMs,
      requesterAddresses: [USER_IP],
    });
  }
  return { sim, clock, watched, endpoints, close: () => sim.close() };
}

interface PollRun {
  readonly auditCalls: number;
  readonly reads: number;
  readonly updates: WatchUpdate[];
  readonly updatesAt: number[];
}

/**
 * Polls for `minutes` as the scheduler will: window from the cursor, one operator-wide read, the core, the
 * cadence's next delay. `traffic(fromMs, toMs)` lets the world's clients try their endpoints in between.
 */
async function poll(h: Harness, minutes: number, traffic: (fromMs: number, toMs: number) => void): Promise<PollRun> {
  const api = createSoracomClient({
    endpoint: h.sim.baseUrl,
    authKeyId: h.sim.authKeyId,
    authKey: h.sim.authKey,
    clock: h.clock,
    sleep: async (ms) => h.clock.advance(ms),
  });
  const states = new Map<string, WatchState>(h.watched.map((watch) => [watch.watchId, emptyWatchState()]));
  let cursor: AuditCursor = EMPTY_AUDIT_CURSOR;
  let outcome: PollOutcome | undefined;
  const updates: WatchUpdate[] = [];
  const updatesAt: number[] = [];
  let reads = 0;
  const endMs = T0 + minutes * MIN;
  h.sim.requests.length = 0;
  try {
    for (;;) {
      const next = nextPoll(h.watched.length, outcome);
      if (next.kind === 'stop') break;
      const fromMs = h.clock.nowMs();
      if (fromMs + next.delayMs > endMs) break;
      traffic(fromMs, fromMs + next.delayMs);
      h.clock.advance(next.delayMs);
      const window = nextAuditWindow(cursor, h.watched, h.clock.nowMs());
      if (window === undefined) break;
      const read = await api.readOperatorAuditLog(window);
      reads += 1;
      if (read.kind === 'rate-limited') {
        outcome = { kind: 'rate-limited', rateLimit: read.rateLimit };
        continue;
      }
      const result = applyAuditRead({
        cursor,
        window,
        events: read.events,
        watches: h.watched.map((mapping) => ({ mapping, state: states.get(mapping.watchId) ?? emptyWatchState() })),
        nowMs: h.clock.nowMs(),
      });
      cursor = result.cursor;
      for (const { watchId, state } of result.states) states.set(watchId, state);
      for (const update of result.updates) {
        updates.push(update);
        updatesAt.push(h.clock.nowMs());
      }
      outcome = { kind: 'read', pages: read.pages, rateLimit: read.rateLimit };
    }
  } finally {
    api.close();
  }
  return { auditCalls: h.sim.requests.filter((request) => request.path === AUDIT_PATH).length, reads, updates, updatesAt };
}

/** `perMinute` connection attempts spread evenly over the endpoints, back-dated into the interval just passed. */
function steadyTraffic(h: Harness, perMinute: number): (fromMs: number, toMs: number) => void {
  let counter = 0;
  return (fromMs, toMs) => {
    const count = Math.round(((toMs - fromMs) / MIN) * perMinute);
    for (let i = 0; i < count; i += 1) {
      const endpoint = h.endpoints[counter % h.endpoints.length] ?? '';
      counter += 1;
      h.sim.world.attempt({ client: 'user', endpoint, sessionSec: 20 }, fromMs + Math.floor(((i + 0.5) * (toMs - fromMs)) / count));
    }
  };
}

/** One read's worth of core work: `events` connections' entries spread over the IMSIs of `watchCount` watches. */
function coreWorkload(watchCount: number, connections: number): () => unknown {
  const imsi = (i: number) => `2950500${String(i % watchCount).padStart(8, '0')}`;
  const watches = Array.from({ length: watchCount }, (_, i) => ({
    mapping: {
      watchId: `w${i}`,
      imsis: [imsi(i)],
      devicePort: 22,
      sourceIpRanges: [`${USER_IP}/32`],
      openedAtMs: T0,
      expiresAtMs: T0 + 60 * MIN,
      requesterAddresses: [],
    },
    state: emptyWatchState(),
  }));
  const events: AuditEvent[] = [];
  for (let c = 0; c < connections; c += 1) {
    for (const [offset, type] of (['ACCESS', 'CONNECTED', 'CLOSED'] as const).entries()) {
      events.push({
        connectionId: `c${c}`,
        atMs: T0 + MIN + c * 50 + offset,
        type,
        imsi: imsi(c),
        tls: false,
        sourceIp: USER_IP,
        sourcePort: 40_000 + c,
        destinationIp: '10.0.0.1',
        destinationPort: 22,
      });
    }
  }
  return () => applyAuditRead({ cursor: EMPTY_AUDIT_CURSOR, window: { fromMs: T0, toMs: T0 + 2 * MIN }, events, watches, nowMs: T0 + 2 * MIN });
}

export const watchBench: BenchEntry = {
  name: 'watch',
  description: `SORACOM calls per minute of the shared watch poll, and chat.update sends under a burst (${MINUTES} simulated minutes each)`,
  async run(report) {
    report('watches   calls/min (fixed traffic: 20 connections/min)   calls/min (traffic ∝ watches: 1 connection/watch/5 min)   per-IMSI reads would be');
    const baseline: number[] = [];
    for (const watchCount of [1, 10, 100, 1000]) {
      const fixed = await harness(watchCount);
      const fixedRun = await poll(fixed, MINUTES, steadyTraffic(fixed, 20));
      await fixed.close();
      const scaled = await harness(watchCount);
      const scaledRun = await poll(scaled, MINUTES, steadyTraffic(scaled, watchCount / 5));
      await scaled.close();
      const fixedPerMin = fixedRun.auditCalls / MINUTES;
      const scaledPerMin = scaledRun.auditCalls / MINUTES;
      baseline.push(fixedPerMin);
      const perImsi = (watchCount * fixedRun.reads) / MINUTES;
      report(
        `${String(watchCount).padStart(7)}   ${fixedPerMin.toFixed(1).padStart(6)} (×${(fixedPerMin / (baseline[0] ?? 1)).toFixed(2)} of 1 watch)` +
          `                    ${scaledPerMin.toFixed(1).padStart(6)}` +
          `                                              ${perImsi.toFixed(0).padStart(6)}`,
      );
    }

    report('(Calls grow only with the pages a window needs, 1000 entries each: with 1000 watches their 1000 CREATED entries');
    report(' fill the first reads, and traffic in proportion to the watches adds pages. The count of watches itself adds none.)');

    const sizes = [10, 100, 1000, 5000];
    const timings = measureInterleaved(sizes.map((watchCount) => ({ work: coreWorkload(watchCount, 500), batch: 3 })));
    report('');
    report('the pure core on one read of 1500 entries (500 connections):');
    for (const [i, timing] of timings.entries()) {
      report(
        `  ${String(sizes[i]).padStart(5)} watches: median ${formatMs(timing.medianMs)} (×${(timing.medianMs / (timings[0]?.medianMs ?? 1)).toFixed(2)} of 10 watches)`,
      );
    }

    // One mapping under a burst: a client hammering it from outside its range (DENIED, then REFUSED), next to
    // nine quiet mappings that each see one connection. Every update goes through one workspace queue.
    const h = await harness(10);
    const busy = h.endpoints[0] ?? '';
    let burstAttempts = 0;
    const run = await poll(h, MINUTES, (fromMs, toMs) => {
      for (let at = fromMs; at < toMs; at += 500) {
        h.sim.world.attempt({ client: 'stranger', endpoint: busy }, at);
        burstAttempts += 1;
      }
      if (fromMs === T0) for (const endpoint of h.endpoints.slice(1)) h.sim.world.attempt({ client: 'user', endpoint, sessionSec: 20 }, fromMs + 1_000);
    });
    await h.close();
    const clock = new ManualClock(T0);
    const queue = new FairUpdateQueue<WatchUpdate>(clock, CHAT_UPDATE_BUDGET);
    const sent: { key: string; atMs: number }[] = [];
    let index = 0;
    for (let nowMs = T0; nowMs <= T0 + MINUTES * MIN; nowMs += 1_000) {
      clock.set(nowMs);
      for (; index < run.updates.length && (run.updatesAt[index] ?? Infinity) <= nowMs; index += 1) {
        const update = run.updates[index];
        if (update !== undefined) queue.offer(update.watchId, update);
      }
      for (let next = queue.take(); next !== undefined; next = queue.take()) sent.push({ key: next.key, atMs: nowMs });
    }
    const busyUpdates = run.updates.filter((update) => update.watchId === 'w0').length;
    const quietDelivered = new Set(sent.filter((s) => s.key !== 'w0').map((s) => s.key)).size;
    report('');
    report(`burst on one mapping: ${(burstAttempts / MINUTES).toFixed(0)} attempts/min (${((burstAttempts * 3) / MINUTES).toFixed(0)} audit events/min)`);
    report(`  watch updates for it: ${(busyUpdates / MINUTES).toFixed(1)}/min (one per read at most)`);
    report(
      `  chat.update sends: ${(sent.length / MINUTES).toFixed(1)}/min in all, budget ${CHAT_UPDATE_BUDGET.perMinute}/min; the 9 quiet mappings' cards all updated: ${quietDelivered === 9 ? 'yes' : `no (${quietDelivered})`}`,
    );
  },
};
