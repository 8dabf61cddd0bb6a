import { startSimulator, type RunningSimulator } from '../../src/simulator/index';
import type { AuditEventState } from '../../src/simulator/world-spec';
import { ManualClock } from '../../src/common/clock';
import { createSoracomClient, type SoracomClient, type SoracomClientOptions } from '../../src/soracom/client';
import {
  MappingDurationError,
  SoracomRateLimitedError,
  SoracomResponseShapeError,
  SoracomTimeoutError,
  SoracomValidationError,
} from '../../src/soracom/errors';
import type { CreatePortMappingRequest } from '../../src/domain/napter-api';

/**
 * Acceptance tests: the real client against the SORACOM simulator over HTTP on loopback. The simulator
 * runs on a ManualClock; the client's backoff `sleep` advances that clock, so waits cost no real time.
 */

const START_MS = Date.UTC(2026, 0, 15, 3, 0, 0);
const SIM_A = { simId: '8942310000000000001', imsi: '295050000000001', name: 'gw-tokyo-01' };
const SIM_B = { simId: '8942310000000000002', imsi: '295050000000002', name: 'gw-osaka-02' };
const ALICE_IP = '198.51.100.7';

let clock: ManualClock;
let sim: RunningSimulator;
const clients: SoracomClient[] = [];

function client(overrides: Partial<SoracomClientOptions> = {}): SoracomClient {
  const created = createSoracomClient({
    endpoint: sim.baseUrl,
    authKeyId: sim.authKeyId,
    authKey: sim.authKey,
    clock,
    timeoutMs: 2_000,
    sleep: async (ms) => clock.advance(ms),
    retry: { maxRetries: 3, baseDelayMs: 10, maxDelayMs: 100, maxRateLimitWaitMs: 120_000 },
    ...overrides,
  });
  clients.push(created);
  return created;
}

const requestsTo = (method: string, path: string | RegExp) =>
  sim.requests.filter((r) => r.method === method && (typeof path === 'string' ? r.path === path : path.test(r.path)));

function seedWorld(): void {
  sim.world.reset({
    sims: [
      { simId: SIM_A.simId, imsi: SIM_A.imsi, name: SIM_A.name, ueIpAddress: '10.200.1.2', device: { services: [{ port: 22, protocol: 'ssh' }] } },
      { simId: SIM_B.simId, imsi: SIM_B.imsi, name: SIM_B.name, status: 'inactive', online: false },
    ],
    clients: [
      { id: 'alice', globalIp: ALICE_IP },
      { id: 'mallory', globalIp: '203.0.113.66' },
    ],
  });
}

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
  seedWorld();
  sim.faults.clear();
  sim.requests.length = 0;
});

const sshByImsi: CreatePortMappingRequest = {
  target: { kind: 'imsi', imsi: SIM_A.imsi },
  devicePort: 22,
  durationSec: 1800,
  tlsRequired: false,
  sourceIpRanges: [`${ALICE_IP}/32`],
};

const sshBySim: CreatePortMappingRequest = {
  target: { kind: 'sim', simId: SIM_A.simId, service: 'air' },
  devicePort: 22,
  durationSec: 3600,
  tlsRequired: false,
  sourceIpRanges: [`${ALICE_IP}/32`],
};

describe('SIMs', () => {
  it('getSim maps the SIM to a snapshot; an unknown SIM is undefined', async () => {
    const api = client();
    const snapshot = await api.getSim(SIM_A.simId);
    expect(snapshot).toMatchObject({
      simId: SIM_A.simId,
      imsi: SIM_A.imsi,
      name: SIM_A.name,
      status: 'active',
      online: true,
      ueIpAddress: '10.200.1.2',
    });
    expect(snapshot?.imsis).toContain(SIM_A.imsi);
    await expect(api.getSim('8942310000000009999')).resolves.toBeUndefined();
  });

  it('getSubscriber finds the SIM by IMSI; offline and inactive show as such', async () => {
    const api = client();
    await expect(api.getSubscriber(SIM_B.imsi)).resolves.toMatchObject({ simId: SIM_B.simId, status: 'inactive', online: false });
    await expect(api.getSubscriber('295050000009999')).resolves.toBeUndefined();
  });

  it('searchSimsByName sends name= and maps every match', async () => {
    const api = client();
    const found = await api.searchSimsByName('gw-');
    expect(found.map((s) => s.name).sort()).toEqual([SIM_B.name, SIM_A.name].sort());
    expect(requestsTo('GET', '/v1/query/sims')[0]?.query).toMatchObject({ name: 'gw-' });
  });
});

describe('port mappings', () => {
  it('creates by IMSI with the duration in seconds and the source ranges, then lists it for the subscriber', async () => {
    const api = client();
    const mapping = await api.createPortMapping(sshByImsi);
    const [post] = requestsTo('POST', '/v1/port_mappings');
    expect(post?.body).toEqual({
      destination: { imsi: SIM_A.imsi, port: 22 },
      duration: 1800,
      tlsRequired: false,
      source: { ipRanges: [`${ALICE_IP}/32`] },
    });
    expect(post?.status).toBe(201);
    expect(mapping).toMatchObject({
      destination: { imsi: SIM_A.imsi, port: 22, strategy: 'IMSI_PRIORITIZED' },
      durationSec: 1800,
      createdAtMs: START_MS,
      expiresAtMs: START_MS + 1_800_000,
      expired: false,
      sourceIpRanges: [`${ALICE_IP}/32`],
    });
    expect(mapping.endpoint).toBe(`${mapping.ipAddress}:${mapping.port}`);
    const listed = await api.listPortMappingsForSubscriber(SIM_A.imsi);
    expect(listed.map((m) => m.endpoint)).toEqual([mapping.endpoint]);
  });

  it('creates by SIM ID with destination {port, service}, then lists it for the SIM', async () => {
    const api = client();
    const mapping = await api.createPortMapping(sshBySim);
    const [post] = requestsTo('POST', `/v1/port_mappings/sims/${SIM_A.simId}`);
    expect(post?.body).toEqual({
      destination: { port: 22, service: 'air' },
      duration: 3600,
      tlsRequired: false,
      source: { ipRanges: [`${ALICE_IP}/32`] },
    });
    expect(mapping).toMatchObject({ destination: { simId: SIM_A.simId, strategy: 'AIR_PRIORITIZED' }, durationSec: 3600 });
    await expect(api.listPortMappingsForSim(SIM_A.simId)).resolves.toHaveLength(1);
  });

  it('lists none as [] when SORACOM answers 404', async () => {
    const api = client();
    await expect(api.listPortMappingsForSim(SIM_B.simId)).resolves.toEqual([]);
    await expect(api.listPortMappingsForSubscriber(SIM_B.imsi)).resolves.toEqual([]);
    expect(requestsTo('GET', /^\/v1\/port_mappings\//).map((r) => r.status)).toEqual([404, 404]);
  });

  it('deletes by public endpoint: true, then false once it is gone', async () => {
    const api = client();
    const mapping = await api.createPortMapping(sshByImsi);
    await expect(api.deletePortMapping(mapping.ipAddress, mapping.port)).resolves.toBe(true);
    await expect(api.deletePortMapping(mapping.ipAddress, mapping.port)).resolves.toBe(false);
    await expect(api.listPortMappingsForSubscriber(SIM_A.imsi)).resolves.toEqual([]);
  });

  it('lists every mapping across at least three pages', async () => {
    for (let i = 0; i < 250; i += 1) {
      const created = sim.world.createMapping({ target: { imsi: SIM_A.imsi }, devicePort: 1000 + i, durationSec: 3600, sourceIpRanges: [`${ALICE_IP}/32`] });
      expect(created.ok).toBe(true);
    }
    const api = client();
    const all = await api.listPortMappings();
    expect(all).toHaveLength(250);
    expect(new Set(all.map((m) => m.endpoint)).size).toBe(250);
    expect(new Set(all.map((m) => m.destination.port)).size).toBe(250);
    const pages = requestsTo('GET', '/v1/port_mappings');
    expect(pages.length).toBeGreaterThanOrEqual(3);
    expect(pages[0]?.query['last_evaluated_key']).toBeUndefined();
    expect(pages[1]?.query['last_evaluated_key']).toBeDefined();
  });

  it('refuses more than 8 hours (or milliseconds by mistake) before sending anything', async () => {
    const api = client();
    await expect(api.createPortMapping({ ...sshByImsi, durationSec: 28_801 })).rejects.toBeInstanceOf(MappingDurationError);
    await expect(api.createPortMapping({ ...sshByImsi, durationSec: 1_800_000 })).rejects.toBeInstanceOf(MappingDurationError);
    await expect(api.createPortMapping({ ...sshByImsi, durationSec: 28_800 })).resolves.toMatchObject({ durationSec: 28_800 });
    expect(requestsTo('POST', '/v1/port_mappings')).toHaveLength(1);
  });

  it('reports SORACOM refusing a create as an HTTP error with its code, and creates nothing', async () => {
    const api = client();
    await expect(api.createPortMapping({ ...sshByImsi, target: { kind: 'imsi', imsi: '295050000009999' } })).rejects.toMatchObject({
      status: 404,
      soracomCode: 'SEM0005',
    });
    expect(sim.world.listMappings()).toHaveLength(0);
  });
});

describe('a create whose response is lost leaves exactly one mapping', () => {
  it.each(['commit-then-drop', 'commit-then-5xx'] as const)('%s by IMSI: the listing finds the mapping, one POST', async (kind) => {
    sim.faults.add({ kind, method: 'POST', path: '/v1/port_mappings', count: 1 });
    const api = client();
    const mapping = await api.createPortMapping(sshByImsi);
    expect(requestsTo('POST', '/v1/port_mappings')).toHaveLength(1);
    expect(sim.world.listMappings()).toHaveLength(1);
    expect(mapping.endpoint).toBe(`${sim.world.listMappings()[0]?.ipAddress}:${sim.world.listMappings()[0]?.port}`);
  });

  it.each(['malformed-json', 'wrong-shape'] as const)('a %s 2xx to a create is a lost answer: the listing finds the mapping, one POST', async (kind) => {
    sim.faults.add({ kind, method: 'POST', path: '/v1/port_mappings/sims/*', count: 1 });
    const api = client();
    const mapping = await api.createPortMapping(sshBySim);
    expect(requestsTo('POST', /^\/v1\/port_mappings\/sims\//)).toHaveLength(1);
    expect(sim.world.listMappings()).toHaveLength(1);
    expect(mapping.endpoint).toBe(`${sim.world.listMappings()[0]?.ipAddress}:${sim.world.listMappings()[0]?.port}`);
  });

  it('an unreadable 2xx followed by a failed listing is an unknown outcome, never a second create', async () => {
    sim.faults.add({ kind: 'wrong-shape', method: 'POST', path: '/v1/port_mappings/sims/*', count: 1 });
    sim.faults.add({ kind: 'error-5xx', method: 'GET', path: '/v1/port_mappings/sims/*' });
    const api = client();
    await expect(api.createPortMapping(sshBySim)).rejects.toMatchObject({ code: 'SORACOM_OUTCOME_UNKNOWN' });
    expect(requestsTo('POST', /^\/v1\/port_mappings\/sims\//)).toHaveLength(1);
    expect(sim.world.listMappings()).toHaveLength(1);
  });

  it('commit-then-drop by SIM ID: found through the SIM listing', async () => {
    sim.faults.add({ kind: 'commit-then-drop', method: 'POST', path: '/v1/port_mappings/sims/*', count: 1 });
    const api = client();
    await api.createPortMapping(sshBySim);
    expect(requestsTo('POST', /^\/v1\/port_mappings\/sims\//)).toHaveLength(1);
    expect(sim.world.listMappings()).toHaveLength(1);
  });

  it.each(['drop', 'error-5xx', 'hang'] as const)('%s with nothing made: no second create, an unknown outcome the caller can list', async (kind) => {
    sim.faults.add({ kind, method: 'POST', path: '/v1/port_mappings', count: 1 });
    const api = client({ timeoutMs: 300 });
    await expect(api.createPortMapping(sshByImsi)).rejects.toMatchObject({ code: 'SORACOM_OUTCOME_UNKNOWN' });
    expect(requestsTo('POST', '/v1/port_mappings')).toHaveLength(1);
    expect(requestsTo('GET', `/v1/port_mappings/subscribers/${SIM_A.imsi}`)).toHaveLength(1);
    expect(sim.world.listMappings()).toHaveLength(0);
  });

  it('a create still in flight when the client gives up commits after the listing: never a second mapping', async () => {
    // The first POST reaches SORACOM but is slow: the client times out, lists (nothing yet), and must not
    // send a second create, because the first one commits a moment later.
    sim.faults.add({ kind: 'latency', latencyMs: 400, method: 'POST', path: '/v1/port_mappings', count: 1 });
    const api = client({ timeoutMs: 150 });
    const error = await api.createPortMapping(sshByImsi).catch((e: unknown) => e);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(sim.world.listMappings()).toHaveLength(1);
    expect(requestsTo('POST', '/v1/port_mappings')).toHaveLength(1);
    expect(error).toMatchObject({ code: 'SORACOM_OUTCOME_UNKNOWN' });
  });

  it('a Peek create still in flight when the client gives up is not sent twice', async () => {
    sim.faults.add({ kind: 'latency', latencyMs: 400, method: 'POST', path: `/v1/sims/${SIM_A.simId}/packet_capture_sessions`, count: 1 });
    const api = client({ timeoutMs: 150 });
    const error = await api.createPeekSession(SIM_A.simId, 60).catch((e: unknown) => e);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(requestsTo('POST', `/v1/sims/${SIM_A.simId}/packet_capture_sessions`)).toHaveLength(1);
    expect(error).toMatchObject({ code: 'SORACOM_OUTCOME_UNKNOWN' });
  });

  it('every create answer lost: at most two POSTs and at most one mapping, then an error', async () => {
    sim.faults.add({ kind: 'commit-then-5xx', method: 'POST', path: '/v1/port_mappings' });
    sim.faults.add({ kind: 'error-5xx', method: 'GET', path: '/v1/port_mappings/subscribers/*' });
    const api = client();
    await expect(api.createPortMapping(sshByImsi)).rejects.toMatchObject({ code: 'SORACOM_OUTCOME_UNKNOWN' });
    expect(requestsTo('POST', '/v1/port_mappings')).toHaveLength(1);
    expect(sim.world.listMappings()).toHaveLength(1);
  });
});

/** Audit entries straight into a world's log: connections of ACCESS, CONNECTED, CLOSED, or all of one `type`. */
function injectEvents(simulator: RunningSimulator, imsi: string, count: number, newestAtMs: number, type?: string): void {
  const state = simulator.world.state;
  for (let i = 0; i < count; i += 1) {
    const event: AuditEventState = {
      seq: state.nextSeq++,
      connectionId: `conn-${imsi}-${Math.floor(i / 3)}`,
      createdAt: newestAtMs - i * 1000,
      type: (type ?? (['ACCESS', 'CONNECTED', 'CLOSED'] as const)[i % 3] ?? 'ACCESS') as AuditEventState['type'],
      imsi,
      tls: false,
      direction: { sourceIPAddress: ALICE_IP, sourcePort: 50_000 + (i % 1000), destinationIPAddress: '10.200.1.2', destinationPort: 22 },
    };
    state.events.push(event);
  }
}

describe('Napter audit log', () => {
  it('reads every page (three or more at limit=1000), in milliseconds, for the IMSI only', async () => {
    injectEvents(sim, SIM_A.imsi, 2_500, START_MS - 1000);
    injectEvents(sim, SIM_B.imsi, 50, START_MS - 1000);
    const api = client();
    const fromMs = START_MS - 24 * 60 * 60 * 1000;
    const { events, malformed } = await api.getNapterAuditLogs({ imsi: SIM_A.imsi, fromMs, toMs: START_MS });
    expect(malformed).toBe(0);
    expect(events).toHaveLength(2_500);
    expect(events.every((e) => e.imsi === SIM_A.imsi)).toBe(true);
    expect(events[0]?.atMs).toBe(START_MS - 1000);
    expect(events.every((e, i) => i === 0 || (events[i - 1]?.atMs ?? 0) >= e.atMs)).toBe(true);
    const pages = requestsTo('GET', '/v1/audit_logs/napter');
    expect(pages.length).toBeGreaterThanOrEqual(3);
    expect(pages[0]?.query).toEqual({ resource_type: 'Subscriber', resource_id: SIM_A.imsi, from: String(fromMs), to: String(START_MS), limit: '1000' });
  });

  it('maps real connection attempts: the allowed client connects, another is denied', async () => {
    const api = client();
    const mapping = await api.createPortMapping(sshByImsi);
    clock.advance(60_000);
    sim.world.attempt({ client: 'alice', endpoint: mapping.endpoint });
    clock.advance(1_000);
    sim.world.attempt({ client: 'mallory', endpoint: mapping.endpoint });
    clock.advance(10 * 60_000);
    const { events } = await api.getNapterAuditLogs({ imsi: SIM_A.imsi, fromMs: START_MS - 1, toMs: clock.nowMs() });
    const types = events.map((e) => e.type);
    expect(types).toContain('CREATED');
    expect(types).toContain('CONNECTED');
    const denied = events.find((e) => e.type === 'DENIED');
    expect(denied).toMatchObject({ sourceIp: '203.0.113.66', destinationPort: 22, imsi: SIM_A.imsi });
    const connected = events.find((e) => e.type === 'CONNECTED');
    expect(connected?.sourceIp).toBe(ALICE_IP);
  });
});

describe('the operator-wide audit log (the shared watch poll)', () => {
  const PATH = '/v1/audit_logs/napter';

  it('reads every IMSI in one paged read, without resource_type or resource_id, in milliseconds', async () => {
    injectEvents(sim, SIM_A.imsi, 2_500, START_MS - 1_000);
    injectEvents(sim, SIM_B.imsi, 50, START_MS - 500);
    const fromMs = START_MS - 60 * 60 * 1000;
    const read = await client().readOperatorAuditLog({ fromMs, toMs: START_MS });
    if (read.kind !== 'read') throw new Error(`expected a read, got ${read.kind}`);
    expect(read.events).toHaveLength(2_550);
    expect(new Set(read.events.map((event) => event.imsi))).toEqual(new Set([SIM_A.imsi, SIM_B.imsi]));
    expect(read.malformed).toBe(0);
    expect(read.events.every((event, i) => i === 0 || (read.events[i - 1]?.atMs ?? 0) >= event.atMs)).toBe(true);
    const pages = requestsTo('GET', PATH);
    expect(read.pages).toBe(pages.length);
    expect(pages).toHaveLength(3);
    expect(pages[0]?.query).toEqual({ from: String(fromMs), to: String(START_MS), limit: '1000' });
    expect(pages.slice(1).every((page) => page.query['last_evaluated_key'] !== undefined)).toBe(true);
  });

  it('returns the rate-limit state of the last page: the budget is per operator and per API', async () => {
    const api = client();
    const first = await api.readOperatorAuditLog({ fromMs: START_MS - 60_000, toMs: START_MS });
    const second = await api.readOperatorAuditLog({ fromMs: START_MS - 60_000, toMs: START_MS });
    expect(first.rateLimit.limit).toBe(1000);
    expect(first.rateLimit.secondsBeforeRefresh).toBeGreaterThan(0);
    expect(second.rateLimit.remaining).toBe((first.rateLimit.remaining ?? 0) - 1);
  });

  it('drops entries it cannot route (no IMSI) and counts them; an event type SORACOM adds later is not malformed', async () => {
    injectEvents(sim, SIM_A.imsi, 3, START_MS - 1_000);
    injectEvents(sim, '', 2, START_MS - 2_000);
    injectEvents(sim, SIM_B.imsi, 1, START_MS - 3_000, 'SOMETHING_NEW');
    const read = await client().readOperatorAuditLog({ fromMs: START_MS - 60_000, toMs: START_MS });
    if (read.kind !== 'read') throw new Error('expected a read');
    expect(read.events.map((event) => event.imsi)).toEqual([SIM_A.imsi, SIM_A.imsi, SIM_A.imsi]);
    expect(read.malformed).toBe(2);
  });

  it('a 429 comes back as a value at once, with the refresh SORACOM asked for; nothing waits', async () => {
    sim.faults.add({ kind: 'rate-limit', method: 'GET', path: PATH, count: 1 });
    const read = await client().readOperatorAuditLog({ fromMs: START_MS - 60_000, toMs: START_MS });
    expect(read).toMatchObject({ kind: 'rate-limited', pages: 1, rateLimit: { limit: 1000, remaining: 0 } });
    expect(read.rateLimit.secondsBeforeRefresh).toBeGreaterThan(0);
    // The client's sleep moves this clock: it did not move.
    expect(clock.nowMs()).toBe(START_MS);
    expect(requestsTo('GET', PATH)).toHaveLength(1);
  });

  it('refuses seconds given for milliseconds, and a window that ends before it starts, before calling SORACOM', async () => {
    const api = client();
    await expect(api.readOperatorAuditLog({ fromMs: Math.floor(START_MS / 1000), toMs: START_MS })).rejects.toBeInstanceOf(SoracomValidationError);
    await expect(api.readOperatorAuditLog({ fromMs: START_MS, toMs: START_MS - 1 })).rejects.toBeInstanceOf(SoracomValidationError);
    expect(requestsTo('GET', PATH)).toHaveLength(0);
  });
});

describe('device checks', () => {
  it('the probe speaks each protocol: SSH and VNC greet an empty wait_first, RDP answers an X.224 request, HTTP(S) answers HEAD /', async () => {
    sim.world.setDevice(SIM_A.simId, {
      services: [
        { port: 22, protocol: 'ssh' },
        { port: 80, protocol: 'http', httpStatus: 401 },
        { port: 443, protocol: 'https' },
        { port: 3389, protocol: 'rdp' },
        { port: 5900, protocol: 'vnc' },
      ],
    });
    const api = client();
    const probe = (port: number, protocol: 'ssh' | 'http' | 'https' | 'rdp' | 'vnc') => api.probeDevice(SIM_A.simId, { port, protocol, timeoutSec: 5 });
    await expect(probe(22, 'ssh')).resolves.toEqual({ kind: 'answered', port: 22, method: 'tcp-wait-first', atMs: expect.any(Number) });
    await expect(probe(5900, 'vnc')).resolves.toMatchObject({ kind: 'answered', method: 'tcp-wait-first' });
    await expect(probe(3389, 'rdp')).resolves.toMatchObject({ kind: 'answered', method: 'tcp-rdp-x224' });
    // Any HTTP status from the device proves the service, a 401 login page included.
    await expect(probe(80, 'http')).resolves.toMatchObject({ kind: 'answered', method: 'http', httpStatus: 401 });
    await expect(probe(443, 'https')).resolves.toMatchObject({ kind: 'answered', method: 'https', httpStatus: 200 });
    const [rdp] = requestsTo('POST', `/v1/sims/${SIM_A.simId}/downlink/tcp`).filter((r) => (r.body as { port: number }).port === 3389);
    expect(rdp?.body).toEqual({
      port: 3389,
      payload: '030000130ee000000000000100080003000000',
      payloadEncoding: 'hex',
      timeout: 5,
      connectionOptions: { type: 'wait_first' },
    });
    const https = requestsTo('POST', `/v1/sims/${SIM_A.simId}/downlink/http`).map((r) => r.body);
    expect(https).toEqual([
      { port: 80, method: 'HEAD', path: '/', ssl: false, skipVerify: true },
      { port: 443, method: 'HEAD', path: '/', ssl: true, skipVerify: true },
    ]);
  });

  it('an empty wait_first to an HTTP server would fail: that is why the probe speaks HTTP to it', async () => {
    sim.world.setDevice(SIM_A.simId, { services: [{ port: 80, protocol: 'http' }] });
    const api = client();
    const started = clock.nowMs();
    const blind = await api.probeDevice(SIM_A.simId, { port: 80, protocol: undefined, timeoutSec: 5 });
    // The spec: wait_first errors "If no data is received from the device" after `timeout`. Unknown, so inconclusive.
    expect(blind).toMatchObject({ kind: 'no-answer', method: 'tcp-wait-first', conclusive: false, elapsedMs: 5000 });
    expect(clock.nowMs() - started).toBe(5000);
    await expect(api.probeDevice(SIM_A.simId, { port: 80, protocol: 'http', timeoutSec: 5 })).resolves.toMatchObject({ kind: 'answered', httpStatus: 200 });
  });

  it('a closed port is refused at once; a firewall that drops is silent for the whole wait', async () => {
    const api = client();
    const closed = await api.probeDevice(SIM_A.simId, { port: 8080, protocol: undefined, timeoutSec: 5 });
    expect(closed).toMatchObject({ kind: 'refused', port: 8080, message: expect.stringMatching(/^SEM0100: .*refused/) });
    sim.world.setDevice(SIM_A.simId, { firewall: { policy: 'drop', allow: [] } });
    const dropped = await api.probeDevice(SIM_A.simId, { port: 22, protocol: 'ssh', timeoutSec: 5 });
    expect(dropped).toMatchObject({ kind: 'no-answer', conclusive: true, elapsedMs: 5000 });
  });

  it('name search pages until what was found settles the question, or up to the pages allowed', async () => {
    sim.world.reset({
      sims: Array.from({ length: 250 }, (_unused, index) => ({
        simId: `89423100000000${String(index).padStart(5, '0')}`,
        imsi: `2950500000${String(index).padStart(5, '0')}`,
        name: index < 2 ? 'pump' : `pump-${index}`,
      })),
    });
    const api = client();
    const settled = await api.searchSimsByName('pump', { stopWhen: (found) => found.filter((s) => s.name === 'pump').length >= 2 });
    expect(settled).toHaveLength(100);
    expect(requestsTo('GET', '/v1/query/sims')).toHaveLength(1);
    const capped = await api.searchSimsByName(['pump', 'zz'], { maxPages: 2 });
    expect(capped).toHaveLength(200);
    expect(requestsTo('GET', '/v1/query/sims').at(-1)?.query).toMatchObject({ name: 'pump,zz', search_type: 'or' });
  });

  it('pingDevice: success with the average RTT; an offline device fails', async () => {
    const api = client();
    await expect(api.pingDevice(SIM_A.simId)).resolves.toEqual({ success: true, rttMs: 84.5 });
    await expect(api.pingDevice(SIM_B.simId)).resolves.toEqual({ success: false, rttMs: undefined });
  });
});

describe('Peek', () => {
  it('creates (at least 60 s), gets, lists and stops a capture', async () => {
    const api = client();
    const created = await api.createPeekSession(SIM_A.simId, 30, 'napter-bot');
    expect(requestsTo('POST', `/v1/sims/${SIM_A.simId}/packet_capture_sessions`)[0]?.body).toEqual({ duration: 60, prefix: 'napter-bot' });
    expect(created).toMatchObject({ simId: SIM_A.simId, status: 'REQUESTED', durationSec: 60, prefix: 'napter-bot', createdAtMs: START_MS });
    clock.advance(10_000);
    await expect(api.getPeekSession(SIM_A.simId, created.sessionId)).resolves.toMatchObject({ status: 'CAPTURING' });
    await expect(api.listPeekSessions(SIM_A.simId)).resolves.toEqual([expect.objectContaining({ sessionId: created.sessionId })]);
    const stopped = await api.stopPeekSession(SIM_A.simId, created.sessionId);
    expect(['POST_PROCESSING', 'STOPPED', 'DONE']).toContain(stopped.status);
    await expect(api.getPeekSession(SIM_A.simId, 'no-such-session')).resolves.toBeUndefined();
  });

  it('reads ISO 8601 Peek times as well as epoch milliseconds', async () => {
    sim.world.setOptions({ peekTimeFormat: 'iso-8601' });
    const api = client();
    const created = await api.createPeekSession(SIM_A.simId, 60);
    expect(created.createdAtMs).toBe(START_MS);
  });

  it('a stop whose answer is lost is confirmed by reading the session', async () => {
    const api = client();
    const created = await api.createPeekSession(SIM_A.simId, 60);
    clock.advance(10_000);
    sim.faults.add({ kind: 'commit-then-drop', method: 'POST', path: '/v1/sims/*/packet_capture_sessions/*/stop', count: 1 });
    const stopped = await api.stopPeekSession(SIM_A.simId, created.sessionId);
    expect(stopped.status).toBe('POST_PROCESSING');
    expect(requestsTo('POST', /\/stop$/)).toHaveLength(1);
  });

  it('a lost Peek create is found, not repeated', async () => {
    sim.faults.add({ kind: 'commit-then-drop', method: 'POST', path: '/v1/sims/*/packet_capture_sessions', count: 1 });
    const api = client();
    const created = await api.createPeekSession(SIM_A.simId, 120);
    expect(created.durationSec).toBe(120);
    expect(sim.world.listPeeks(SIM_A.simId)).toHaveLength(1);
    expect(requestsTo('POST', `/v1/sims/${SIM_A.simId}/packet_capture_sessions`)).toHaveLength(1);
  });
});

describe('authentication', () => {
  it('20 concurrent calls cause exactly one /auth', async () => {
    const api = client();
    const snapshots = await Promise.all(Array.from({ length: 20 }, () => api.getSim(SIM_A.simId)));
    expect(snapshots.every((s) => s?.simId === SIM_A.simId)).toBe(true);
    expect(requestsTo('POST', '/v1/auth')).toHaveLength(1);
  });

  it('an expired token (401) is replaced once and the call succeeds', async () => {
    // The client's own clock stands still, so it cannot see the expiry coming: only the 401 tells it.
    const api = client({ clock: new ManualClock(START_MS), tokenTimeoutSec: 180 });
    await api.getSim(SIM_A.simId);
    clock.advance(181_000);
    await expect(api.getSim(SIM_A.simId)).resolves.toMatchObject({ simId: SIM_A.simId });
    expect(requestsTo('POST', '/v1/auth')).toHaveLength(2);
    expect(requestsTo('GET', `/v1/sims/${SIM_A.simId}`).map((r) => r.status)).toEqual([200, 401, 200]);
  });

  it('re-authenticates ahead of expiry when its clock sees it coming (no 401)', async () => {
    const api = client({ tokenTimeoutSec: 180 });
    await api.getSim(SIM_A.simId);
    clock.advance(150_000);
    await api.getSim(SIM_A.simId);
    expect(requestsTo('POST', '/v1/auth')).toHaveLength(2);
    expect(requestsTo('GET', `/v1/sims/${SIM_A.simId}`).map((r) => r.status)).toEqual([200, 200]);
  });

  it('a wrong AuthKey is an auth error that names no secret', async () => {
    const api = client({ authKey: 'secret-wrong-key-0000' });
    const error = await api.getSim(SIM_A.simId).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SORACOM_AUTH_FAILED', status: 401 });
    expect(String((error as Error).message)).not.toContain('secret-wrong-key-0000');
  });
});

describe('resilience', () => {
  it('retries a 5xx GET and succeeds', async () => {
    sim.faults.add({ kind: 'error-5xx', method: 'GET', path: '/v1/sims/*', count: 2 });
    const api = client();
    await expect(api.getSim(SIM_A.simId)).resolves.toMatchObject({ simId: SIM_A.simId });
    expect(requestsTo('GET', `/v1/sims/${SIM_A.simId}`).map((r) => r.status)).toEqual([503, 503, 200]);
  });

  it('retries a dropped DELETE', async () => {
    const api = client();
    const mapping = await api.createPortMapping(sshByImsi);
    sim.faults.add({ kind: 'drop', method: 'DELETE', path: '/v1/port_mappings/*', count: 1 });
    await expect(api.deletePortMapping(mapping.ipAddress, mapping.port)).resolves.toBe(true);
  });

  it('a malformed body is a typed response-shape error', async () => {
    sim.faults.add({ kind: 'malformed-json', method: 'GET', path: '/v1/sims/*', count: 1 });
    const api = client();
    const error = await api.getSim(SIM_A.simId).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SoracomResponseShapeError);
    expect(error).toMatchObject({ method: 'GET', path: `/sims/${SIM_A.simId}`, status: 200 });
  });

  it('a body of the wrong shape is a typed response-shape error naming the problem', async () => {
    sim.faults.add({ kind: 'wrong-shape', method: 'GET', path: '/v1/port_mappings', count: 1 });
    const api = client();
    const error = await api.listPortMappings().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SoracomResponseShapeError);
    expect((error as Error).message).toMatch(/expected array/);
  });

  it('a hung response times out (after the allowed retries)', async () => {
    sim.faults.add({ kind: 'hang', method: 'GET', path: '/v1/sims/*' });
    const api = client({ timeoutMs: 150, retry: { maxRetries: 1, baseDelayMs: 1, maxDelayMs: 1 } });
    const error = await api.getSim(SIM_A.simId).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SoracomTimeoutError);
    expect(requestsTo('GET', `/v1/sims/${SIM_A.simId}`)).toHaveLength(2);
  });

  it('a 429 asking for longer than allowed fails at once with the wait', async () => {
    sim.faults.add({ kind: 'rate-limit', method: 'GET', path: '/v1/sims/*', count: 1 });
    const api = client({ retry: { maxRateLimitWaitMs: 1_000 } });
    const error = await api.getSim(SIM_A.simId).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SoracomRateLimitedError);
    expect((error as SoracomRateLimitedError).waitMs).toBeGreaterThan(1_000);
  });
});

describe('rate limit (a small window)', () => {
  let limited: RunningSimulator;
  let limitedClock: ManualClock;

  beforeAll(async () => {
    limitedClock = new ManualClock(START_MS);
    limited = await startSimulator({ port: 0, clock: limitedClock, rateLimitPerMinute: 2, rateLimitWindowMs: 5_000 });
    limited.world.addSim({ simId: SIM_A.simId, imsi: SIM_A.imsi, name: SIM_A.name });
  });

  afterAll(async () => {
    await limited.close();
  });

  it('429 → waits what X-Soracom-Ratelimit-Seconds-Before-Refresh says → succeeds', async () => {
    const waits: number[] = [];
    const api = createSoracomClient({
      endpoint: limited.baseUrl,
      authKeyId: limited.authKeyId,
      authKey: limited.authKey,
      clock: limitedClock,
      sleep: async (ms) => {
        waits.push(ms);
        limitedClock.advance(ms);
      },
      retry: { maxRetries: 3, maxRateLimitWaitMs: 10_000 },
    });
    clients.push(api);
    const results = [];
    for (let i = 0; i < 5; i += 1) results.push(await api.getSim(SIM_A.simId));
    expect(results.every((r) => r?.simId === SIM_A.simId)).toBe(true);
    const statuses = limited.requests.filter((r) => r.path === `/v1/sims/${SIM_A.simId}`).map((r) => r.status);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(1);
    expect(statuses.filter((s) => s === 200)).toHaveLength(5);
    expect(waits.length).toBeGreaterThanOrEqual(1);
    expect(waits.every((ms) => ms > 0 && ms <= 5_000 && ms % 1000 === 0)).toBe(true);
  });

  it('the operator-wide read: a budget spent in the middle of the pages gives rate-limited, not half a window, and nothing waits', async () => {
    limitedClock.advance(5_000);
    const startedAtMs = limitedClock.nowMs();
    injectEvents(limited, SIM_A.imsi, 2_500, startedAtMs - 1_000);
    const api = createSoracomClient({
      endpoint: limited.baseUrl,
      authKeyId: limited.authKeyId,
      authKey: limited.authKey,
      clock: limitedClock,
      sleep: async (ms) => limitedClock.advance(ms),
    });
    clients.push(api);
    limited.requests.length = 0;
    const read = await api.readOperatorAuditLog({ fromMs: startedAtMs - 60 * 60 * 1000, toMs: startedAtMs });
    expect(read.kind).toBe('rate-limited');
    expect(read.pages).toBe(3);
    expect(read.rateLimit).toEqual({ limit: 2, remaining: 0, secondsBeforeRefresh: 5 });
    expect(limitedClock.nowMs()).toBe(startedAtMs);
    expect(limited.requests.filter((r) => r.path === '/v1/audit_logs/napter').map((r) => r.status)).toEqual([200, 200, 429]);
  });
});
