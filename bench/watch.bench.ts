import { WebClient } from '@slack/web-api';
import { ManualClock } from '../src/common/clock';
import { createRedactingLogger } from '../src/common/logger';
import { CHAT_UPDATE_BUDGET } from '../src/common/fair-update-queue';
import { DEFAULT_CADENCE, EMPTY_AUDIT_CURSOR, applyAuditRead, emptyWatchState } from '../src/domain/watch';
import type { AuditEvent } from '../src/domain/soracom';
import { DEFAULT_POLICY } from '../src/policy/index';
import { startSimulator, type RunningSimulator } from '../src/simulator';
import { startFakeSlack, type FakeSlack } from '../src/slack-fake/index';
import { buildSlackDeps, type SlackDeps } from '../src/slack/deps';
import { registerWatchJobs } from '../src/slack/present/watch';
import { createSoracomClient } from '../src/soracom/client';
import { openSqliteStore } from '../src/storage/sqlite';
import type { StoredMapping } from '../src/use-cases/ports/store';
import { startWatching } from '../src/use-cases/watch-records';
import { formatMs, measureInterleaved, type BenchEntry } from './bench-kit';

/**
 * The watches end to end on the simulated clock, through the real scheduler: jobs in the real store (SQLite in
 * memory), claimed with leases and run by the runner; the shared poll reads the simulator's operator-wide audit
 * log with the real client over loopback; notices and card redraws go to the fake Slack over HTTP with the real
 * Web API client, under the fair chat.update queue. It counts SORACOM calls (the simulator's request log) per
 * simulated minute for 1 to 1000 watched mappings, and chat.update calls under a burst on one mapping. Those are
 * counts, so a loaded machine cannot move them; the one timing, of the pure core per read, is a median with
 * ratios side by side.
 */

const T0 = Date.UTC(2026, 0, 15, 1, 0, 0);
const MIN = 60_000;
const USER_IP = '198.51.100.7';
const AUDIT_PATH = '/v1/audit_logs/napter';
const OPS = 'C0OPS';
const ALICE = 'U0ALICE';

interface Rig {
  readonly sim: RunningSimulator;
  readonly slack: FakeSlack;
  readonly clock: ManualClock;
  readonly deps: SlackDeps;
  readonly mappings: StoredMapping[];
  readonly endpoints: string[];
  close(): Promise<void>;
}

async function rig(watchCount: number): Promise<Rig> {
  const clock = new ManualClock(T0);
  const sims = Array.from({ length: watchCount }, (_, i) => ({
    simId: `89423100${String(i).padStart(11, '0')}`,
    imsi: `2950500${String(i).padStart(8, '0')}`,
    device: { services: [{ port: 22, protocol: 'ssh' }] },
  }));
  const sim = await startSimulator({
    clock,
    rateLimitPerMinute: 1_000_000,
    world: {
      sims,
      clients: [
        { id: 'user', globalIp: USER_IP },
        { id: 'stranger', globalIp: '203.0.113.66' },
      ],
    },
  });
  const slack = await startFakeSlack({ clock });
  const store = openSqliteStore({ path: ':memory:', clock });
  const logger = createRedactingLogger({ level: 'error', secrets: [], write: () => undefined });
  const api = createSoracomClient({ endpoint: sim.baseUrl, authKeyId: sim.authKeyId, authKey: sim.authKey, clock, sleep: async () => undefined });
  const deps = buildSlackDeps({ api, store, policy: DEFAULT_POLICY, clock, publicUrl: 'http://127.0.0.1', logger, processId: 'bench' });
  const client = new WebClient(slack.botToken, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
  registerWatchJobs(deps, client);
  const mappings: StoredMapping[] = [];
  const endpoints: string[] = [];
  for (const spec of sims) {
    // Made in the world and the store directly: opening is not what is measured; watching starts as an open starts it.
    const created = sim.world.createMapping({ target: { imsi: spec.imsi }, devicePort: 22, durationSec: 8 * 3600, sourceIpRanges: [`${USER_IP}/32`] });
    if (!created.ok) throw new Error(created.error.message);
    const world = created.value;
    endpoints.push(`${world.ipAddress}:${world.port}`);
    const stored = await store.mappings.save({
      simId: spec.simId,
      imsi: spec.imsi,
      ipAddress: world.ipAddress,
      port: world.port,
      devicePort: 22,
      tlsRequired: false,
      sourceCidr: `${USER_IP}/32`,
      durationSec: world.durationSec,
      createdAtMs: world.createdAtMs,
      expiresAtMs: world.expiresAtMs,
      openedBy: { teamId: slack.workspace.teamId, userId: ALICE },
      channelId: OPS,
      sourceKind: 'cidr',
    });
    const card = await client.chat.postMessage({ channel: OPS, text: 'card' });
    await store.mappings.setCard(stored.id, { channelId: OPS, ts: String(card.ts) });
    await startWatching(store, stored, { imsis: [spec.imsi], label: spec.simId }, { reminderLeadSec: 300 });
    mappings.push((await store.mappings.get(stored.id)) ?? stored);
  }
  return {
    sim,
    slack,
    clock,
    deps,
    mappings,
    endpoints,
    close: async () => {
      await deps.scheduler.stop();
      api.close();
      await store.close();
      await slack.close();
      await sim.close();
    },
  };
}

/**
 * Runs the scheduler for `minutes` of simulated time: the clock jumps to the next due job and the runner claims and
 * runs what is due. `traffic(fromMs, toMs)` lets the world's clients try their endpoints in each gap.
 */
async function drive(r: Rig, minutes: number, traffic: (fromMs: number, toMs: number) => void): Promise<{ auditCalls: number; updates: number }> {
  const endMs = T0 + minutes * MIN;
  r.sim.requests.length = 0;
  const updatesBefore = r.slack.callsTo('chat.update').length;
  for (;;) {
    const next = await r.deps.scheduler.nextDueAtMs();
    if (next === undefined || next > endMs) break;
    const nowMs = r.clock.nowMs();
    if (next > nowMs) {
      traffic(nowMs, next);
      r.clock.set(next);
    }
    await r.deps.scheduler.runDue();
  }
  return {
    auditCalls: r.sim.requests.filter((request) => request.path === AUDIT_PATH).length,
    updates: r.slack.callsTo('chat.update').length - updatesBefore,
  };
}

/** `perMinute` connection attempts spread evenly over the endpoints, back-dated into the gap just passed. */
function steadyTraffic(r: Rig, perMinute: number): (fromMs: number, toMs: number) => void {
  let counter = 0;
  let owed = 0;
  return (fromMs, toMs) => {
    owed += ((toMs - fromMs) / MIN) * perMinute;
    const count = Math.floor(owed);
    owed -= count;
    for (let i = 0; i < count; i += 1) {
      const endpoint = r.endpoints[counter % r.endpoints.length] ?? '';
      counter += 1;
      r.sim.world.attempt({ client: 'user', endpoint, sessionSec: 20 }, fromMs + Math.floor(((i + 0.5) * (toMs - fromMs)) / count));
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
  description: 'SORACOM calls per minute of the shared watch poll and chat.update calls under a burst, through the real scheduler (simulated minutes)',
  async run(report, context) {
    const minutes = context.quick ? 3 : 10;
    const counts = context.quick ? [1, 10, 100] : [1, 10, 100, 1000];
    report(`watches   calls/min (20 connections/min in all)   calls/min (1 connection/watch/5 min)   one read per watch would be`);
    let base: number | undefined;
    for (const watchCount of counts) {
      const fixed = await rig(watchCount);
      const fixedRun = await drive(fixed, minutes, steadyTraffic(fixed, 20));
      await fixed.close();
      const scaled = await rig(watchCount);
      const scaledRun = await drive(scaled, minutes, steadyTraffic(scaled, watchCount / 5));
      await scaled.close();
      const fixedPerMin = fixedRun.auditCalls / minutes;
      base ??= fixedPerMin;
      const perWatch = (watchCount * MIN) / DEFAULT_CADENCE.baseIntervalMs;
      report(
        `${String(watchCount).padStart(7)}   ${fixedPerMin.toFixed(1).padStart(6)} (×${(fixedPerMin / base).toFixed(2)} of 1 watch)` +
          `               ${(scaledRun.auditCalls / minutes).toFixed(1).padStart(6)}                                   ${perWatch.toFixed(0).padStart(6)}`,
      );
      context.figure({
        name: `SORACOM audit-log calls/min, ${watchCount} watches`,
        value: Number(fixedPerMin.toFixed(2)),
        unit: 'calls/min',
        target: 'flat: ≤ 1.5× of 1 watch',
        met: fixedPerMin <= base * 1.5,
      });
    }
    report('(Calls grow only with the pages a window needs, 1000 entries each; the number of watches adds none.)');

    const sizes = context.quick ? [10, 100] : [10, 100, 1000, 5000];
    const timings = measureInterleaved(sizes.map((watchCount) => ({ work: coreWorkload(watchCount, 500), batch: 3 })));
    report('');
    report('the pure core on one read of 1500 entries (500 connections):');
    for (const [i, timing] of timings.entries()) {
      report(
        `  ${String(sizes[i]).padStart(5)} watches: median ${formatMs(timing.medianMs)} (×${(timing.medianMs / (timings[0]?.medianMs ?? 1)).toFixed(2)} of 10 watches)`,
      );
    }

    // One mapping under a burst: a client hammering it from outside its range (DENIED, then REFUSED) every half
    // second, next to nine quiet mappings that each see one connection at the start.
    const r = await rig(10);
    const busy = r.endpoints[0] ?? '';
    const busyCard = r.mappings[0]?.card?.ts;
    let burstAttempts = 0;
    let started = false;
    const run = await drive(r, minutes, (fromMs, toMs) => {
      for (let at = fromMs; at < toMs; at += 500) {
        r.sim.world.attempt({ client: 'stranger', endpoint: busy }, at);
        burstAttempts += 1;
      }
      if (!started) for (const endpoint of r.endpoints.slice(1)) r.sim.world.attempt({ client: 'user', endpoint, sessionSec: 20 }, fromMs + 1_000);
      started = true;
    });
    const updates = r.slack.callsTo('chat.update');
    const busyUpdates = updates.filter((call) => call.args['ts'] === busyCard).length;
    const quietUpdated = new Set(updates.filter((call) => call.args['ts'] !== busyCard).map((call) => call.args['ts'])).size;
    await r.close();
    report('');
    report(`burst on one mapping: ${(burstAttempts / minutes).toFixed(0)} attempts/min (${((burstAttempts * 3) / minutes).toFixed(0)} audit events/min)`);
    report(
      `  chat.update for its card: ${(busyUpdates / minutes).toFixed(1)}/min; in all ${(run.updates / minutes).toFixed(1)}/min (budget ${CHAT_UPDATE_BUDGET.perMinute}/min)`,
    );
    report(`  the 9 quiet mappings' cards updated: ${quietUpdated}/9`);
    context.figure({
      name: 'chat.update/min for one mapping under a burst',
      value: Number((busyUpdates / minutes).toFixed(2)),
      unit: 'updates/min',
      target: `≤ one per poll (${MIN / DEFAULT_CADENCE.baseIntervalMs}/min)`,
      met: busyUpdates / minutes <= MIN / DEFAULT_CADENCE.baseIntervalMs,
    });
    context.figure({
      name: 'chat.update/min in all under the burst',
      value: Number((run.updates / minutes).toFixed(2)),
      unit: 'updates/min',
      target: `≤ ${CHAT_UPDATE_BUDGET.perMinute}/min, every quiet card updated`,
      met: run.updates / minutes <= CHAT_UPDATE_BUDGET.perMinute && quietUpdated === 9,
    });
  },
};
