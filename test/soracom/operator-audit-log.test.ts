import { ManualClock } from '../../src/common/clock';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index';
import type { AuditEventState } from '../../src/simulator/world-spec';
import { createSoracomClient, type SoracomClient, type SoracomClientOptions } from '../../src/soracom/client';
import { SoracomValidationError } from '../../src/soracom/errors';
import { rateLimitStateOf } from '../../src/soracom/http';

/**
 * The operator-wide audit log read of the shared watch poll, against the simulator over loopback: every
 * IMSI in one read, every page, the rate-limit headers as SORACOM sent them, and a 429 as a value.
 */

const START_MS = Date.UTC(2026, 0, 15, 3, 0, 0);
const SIM_A = { simId: '8942310000000000001', imsi: '295050000000001' };
const SIM_B = { simId: '8942310000000000002', imsi: '295050000000002' };
const PATH = '/v1/audit_logs/napter';

let clock: ManualClock;
let sim: RunningSimulator;
const clients: SoracomClient[] = [];
let sleeps: number[];

function clientOf(simulator: RunningSimulator, overrides: Partial<SoracomClientOptions> = {}): SoracomClient {
  const created = createSoracomClient({
    endpoint: simulator.baseUrl,
    authKeyId: simulator.authKeyId,
    authKey: simulator.authKey,
    clock,
    timeoutMs: 2_000,
    sleep: async (ms) => {
      sleeps.push(ms);
      clock.advance(ms);
    },
    retry: { maxRetries: 3, baseDelayMs: 10, maxDelayMs: 100, maxRateLimitWaitMs: 120_000 },
    ...overrides,
  });
  clients.push(created);
  return created;
}

function injectEvents(simulator: RunningSimulator, imsi: string, count: number, newestAtMs: number, type: string = 'ACCESS'): void {
  const state = simulator.world.state;
  for (let i = 0; i < count; i += 1) {
    state.events.push({
      seq: state.nextSeq++,
      connectionId: `conn-${imsi}-${i}`,
      createdAt: newestAtMs - i * 1000,
      type: type as AuditEventState['type'],
      imsi,
      tls: false,
      direction: { sourceIPAddress: '198.51.100.7', sourcePort: 50_000 + i, destinationIPAddress: '10.200.1.2', destinationPort: 22 },
    });
  }
}

const auditRequests = (simulator: RunningSimulator) => simulator.requests.filter((r) => r.method === 'GET' && r.path === PATH);

beforeAll(async () => {
  clock = new ManualClock(START_MS);
  sim = await startSimulator({ port: 0, clock });
});

afterAll(async () => {
  for (const c of clients) c.close();
  await sim.close();
});

beforeEach(() => {
  clock.set(START_MS);
  sleeps = [];
  sim.world.reset({
    sims: [
      { simId: SIM_A.simId, imsi: SIM_A.imsi, ueIpAddress: '10.200.1.2' },
      { simId: SIM_B.simId, imsi: SIM_B.imsi, ueIpAddress: '10.200.1.3' },
    ],
  });
  sim.faults.clear();
  sim.requests.length = 0;
});

describe('readOperatorAuditLog', () => {
  it('reads every IMSI in one paged read, without resource_type or resource_id, in milliseconds', async () => {
    injectEvents(sim, SIM_A.imsi, 2_500, START_MS - 1_000);
    injectEvents(sim, SIM_B.imsi, 50, START_MS - 500);
    const fromMs = START_MS - 60 * 60 * 1000;
    const read = await clientOf(sim).readOperatorAuditLog({ fromMs, toMs: START_MS });
    if (read.kind !== 'read') throw new Error(`expected a read, got ${read.kind}`);
    expect(read.events).toHaveLength(2_550);
    expect(new Set(read.events.map((event) => event.imsi))).toEqual(new Set([SIM_A.imsi, SIM_B.imsi]));
    expect(read.malformed).toBe(0);
    // Newest first across IMSIs, as the API sends them.
    expect(read.events.every((event, i) => i === 0 || (read.events[i - 1]?.atMs ?? 0) >= event.atMs)).toBe(true);
    const pages = auditRequests(sim);
    expect(read.pages).toBe(pages.length);
    expect(pages.length).toBe(3);
    expect(pages[0]?.query).toEqual({ from: String(fromMs), to: String(START_MS), limit: '1000' });
    expect(pages.slice(1).every((page) => page.query['last_evaluated_key'] !== undefined)).toBe(true);
  });

  it('returns the rate-limit state of the last page', async () => {
    const api = clientOf(sim);
    const first = await api.readOperatorAuditLog({ fromMs: START_MS - 60_000, toMs: START_MS });
    const second = await api.readOperatorAuditLog({ fromMs: START_MS - 60_000, toMs: START_MS });
    expect(first.kind).toBe('read');
    expect(first.rateLimit.limit).toBe(1000);
    expect(first.rateLimit.secondsBeforeRefresh).toBeGreaterThan(0);
    // The budget is per operator and per API: the second read spent one more.
    expect(second.rateLimit.remaining).toBe((first.rateLimit.remaining ?? 0) - 1);
  });

  it('drops entries it cannot read or route (no IMSI), counts them, and keeps the rest', async () => {
    injectEvents(sim, SIM_A.imsi, 3, START_MS - 1_000);
    injectEvents(sim, '', 2, START_MS - 2_000);
    injectEvents(sim, SIM_B.imsi, 1, START_MS - 3_000, 'SOMETHING_NEW');
    const read = await clientOf(sim).readOperatorAuditLog({ fromMs: START_MS - 60_000, toMs: START_MS });
    if (read.kind !== 'read') throw new Error('expected a read');
    expect(read.events.map((event) => event.imsi)).toEqual([SIM_A.imsi, SIM_A.imsi, SIM_A.imsi]);
    // An event type SORACOM adds later is not a malformed entry.
    expect(read.malformed).toBe(2);
  });

  it('a 429 comes back as a value at once, with the refresh SORACOM asked for, and nothing waits', async () => {
    sim.faults.add({ kind: 'rate-limit', method: 'GET', path: PATH, count: 1 });
    const read = await clientOf(sim).readOperatorAuditLog({ fromMs: START_MS - 60_000, toMs: START_MS });
    expect(read).toEqual({ kind: 'rate-limited', pages: 1, rateLimit: { limit: 1000, remaining: 0, secondsBeforeRefresh: 60 } });
    expect(sleeps).toEqual([]);
    expect(auditRequests(sim)).toHaveLength(1);
  });

  it('refuses seconds given for milliseconds before calling SORACOM', async () => {
    const api = clientOf(sim);
    await expect(api.readOperatorAuditLog({ fromMs: Math.floor(START_MS / 1000), toMs: START_MS })).rejects.toBeInstanceOf(SoracomValidationError);
    await expect(api.readOperatorAuditLog({ fromMs: START_MS, toMs: START_MS - 1 })).rejects.toBeInstanceOf(SoracomValidationError);
    expect(auditRequests(sim)).toHaveLength(0);
  });
});

describe('readOperatorAuditLog under a small budget', () => {
  let limited: RunningSimulator;

  beforeAll(async () => {
    limited = await startSimulator({ port: 0, clock, rateLimitPerMinute: 2, rateLimitWindowMs: 30_000 });
  });

  afterAll(async () => {
    await limited.close();
  });

  it('a budget spent in the middle of the pages gives rate-limited, not half a window', async () => {
    limited.world.reset({ sims: [{ simId: SIM_A.simId, imsi: SIM_A.imsi }] });
    injectEvents(limited, SIM_A.imsi, 2_500, START_MS - 1_000);
    const api = clientOf(limited);
    const read = await api.readOperatorAuditLog({ fromMs: START_MS - 60 * 60 * 1000, toMs: START_MS });
    expect(read.kind).toBe('rate-limited');
    expect(read.pages).toBe(3);
    expect(read.rateLimit.remaining).toBe(0);
    expect(read.rateLimit.secondsBeforeRefresh).toBeGreaterThan(0);
    expect(read.rateLimit.secondsBeforeRefresh).toBeLessThanOrEqual(30);
    expect(sleeps).toEqual([]);
    const statuses = limited.requests.filter((r) => r.path === PATH).map((r) => r.status);
    expect(statuses).toEqual([200, 200, 429]);
  });
});

describe('rateLimitStateOf', () => {
  it.each([
    [{ 'x-soracom-ratelimit-limit': '1000', 'x-soracom-ratelimit-remaining': '999', 'x-soracom-ratelimit-seconds-before-refresh': '60' }, { limit: 1000, remaining: 999, secondsBeforeRefresh: 60 }],
    [{ 'x-soracom-ratelimit-remaining': '0' }, { limit: undefined, remaining: 0, secondsBeforeRefresh: undefined }],
    [{ 'x-soracom-ratelimit-limit': 'lots', 'x-soracom-ratelimit-remaining': '-1', 'x-soracom-ratelimit-seconds-before-refresh': ' ' }, { limit: undefined, remaining: undefined, secondsBeforeRefresh: undefined }],
    [{}, { limit: undefined, remaining: undefined, secondsBeforeRefresh: undefined }],
  ])('%j → %j', (headers, expected) => {
    expect(rateLimitStateOf(headers)).toEqual(expected);
  });
});
