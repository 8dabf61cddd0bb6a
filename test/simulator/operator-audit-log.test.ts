import { ManualClock } from '../../src/common/clock';
import { startSimulator, type RunningSimulator } from '../../src/simulator';
import { WireNapterAuditLogList, WirePortMapping } from '../../src/soracom/wire';
import { call, client, T0 } from './helpers';

/**
 * What a shared watch poll sees of the simulated SORACOM: the operator-wide audit log read (getNapterAuditLogs
 * without resource_type/resource_id, both optional in the spec) with SORACOM's paging and rate-limit headers,
 * and the two ways a mapping ends without the bot: someone else deletes it, or its time runs out. The test
 * drives the clock through the control API.
 */

const TOKYO = { simId: '8942310000000000101', imsi: '295050000000101', ueIpAddress: '10.200.1.2' };
const OSAKA = { simId: '8942310000000000102', imsi: '295050000000102', ueIpAddress: '10.200.1.3' };
const ALICE_IP = '198.51.100.7';

let clock: ManualClock;
let sim: RunningSimulator;

beforeEach(async () => {
  clock = new ManualClock(T0);
  sim = await startSimulator({
    clock,
    world: {
      sims: [
        { ...TOKYO, device: { services: [{ port: 22, protocol: 'ssh' }] } },
        { ...OSAKA, device: { services: [{ port: 80, protocol: 'http' }] } },
      ],
      clients: [
        { id: 'alice', globalIp: ALICE_IP },
        { id: 'mallory', globalIp: '203.0.113.66' },
      ],
    },
  });
});

afterEach(async () => {
  await sim.close();
});

type Api = Awaited<ReturnType<typeof client>>;

async function open(api: Api, imsi: string, port: number, durationSec = 600): Promise<WirePortMapping> {
  const response = await api('POST', '/v1/port_mappings', { destination: { imsi, port }, duration: durationSec, source: { ipRanges: [`${ALICE_IP}/32`] } });
  expect(response.status).toBe(201);
  return WirePortMapping.parse(response.body);
}

const advance = async (ms: number): Promise<void> => {
  expect((await call(sim, 'POST', '/_sim/clock/advance', { body: { ms } })).status).toBe(200);
};

const attempt = async (clientId: string, mapping: WirePortMapping): Promise<void> => {
  expect((await call(sim, 'POST', '/_sim/attempts', { body: { client: clientId, endpoint: `${mapping.ipAddress}:${mapping.port}` } })).status).toBe(200);
};

async function readAll(api: Api, query: string): Promise<{ entries: ReturnType<typeof WireNapterAuditLogList.parse>; remaining: number[]; pages: number }> {
  const entries: ReturnType<typeof WireNapterAuditLogList.parse> = [];
  const remaining: number[] = [];
  let key: string | null = null;
  let pages = 0;
  do {
    const response = await api('GET', `/v1/audit_logs/napter?${query}${key === null ? '' : `&last_evaluated_key=${encodeURIComponent(key)}`}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-soracom-ratelimit-limit')).toBe('1000');
    remaining.push(Number(response.headers.get('x-soracom-ratelimit-remaining')));
    entries.push(...WireNapterAuditLogList.parse(response.body));
    key = response.headers.get('x-soracom-next-key');
    pages += 1;
  } while (key !== null);
  return { entries, remaining, pages };
}

describe('the operator-wide audit log read', () => {
  it('serves every IMSI of the operator newest first, pages by x-soracom-next-key, and spends one call of the budget per page', async () => {
    const api = await client(sim);
    const tokyo = await open(api, TOKYO.imsi, 22);
    const osaka = await open(api, OSAKA.imsi, 80);
    await advance(1_000);
    await attempt('alice', tokyo);
    await advance(1_000);
    await attempt('mallory', osaka);
    await advance(1_000);

    const { entries, remaining, pages } = await readAll(api, `from=${T0}&to=${clock.nowMs()}&limit=3`);
    // 2 CREATED; alice: ACCESS, CONNECTED (CLOSED later, after the session); mallory: ACCESS, DENIED, CLOSED.
    expect(entries).toHaveLength(7);
    expect(pages).toBe(3);
    expect(new Set(entries.map((entry) => entry.imsi))).toEqual(new Set([TOKYO.imsi, OSAKA.imsi]));
    const times = entries.map((entry) => entry.createdAt);
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(remaining).toEqual([remaining[0], (remaining[0] ?? 0) - 1, (remaining[0] ?? 0) - 2]);
    expect(entries.find((entry) => entry.type === 'DENIED')).toMatchObject({ imsi: OSAKA.imsi, direction: { sourceIPAddress: '203.0.113.66', destinationPort: 80 } });
  });

  it('shows a late-ingested event under its own time, so a read must overlap the previous one to see it', async () => {
    expect((await call(sim, 'PATCH', `/_sim/sims/${TOKYO.simId}`, { body: { auditLogIngestDelayMs: 30_000 } })).status).toBe(200);
    const api = await client(sim);
    const tokyo = await open(api, TOKYO.imsi, 22);
    await advance(10_000);
    await attempt('alice', tokyo);
    const attemptAtMs = clock.nowMs();
    await advance(5_000);
    const firstTo = clock.nowMs();
    // Nothing of the last 30 s shows yet, the mapping's CREATED included.
    expect((await readAll(api, `from=${T0}&to=${firstTo}`)).entries).toEqual([]);
    await advance(60_000);
    const touching = await readAll(api, `from=${firstTo}&to=${clock.nowMs()}`);
    expect(touching.entries.map((entry) => entry.type)).toEqual([]);
    const overlapping = await readAll(api, `from=${firstTo - 30_000}&to=${clock.nowMs()}`);
    expect(overlapping.entries.map((entry) => [entry.type, entry.createdAt])).toEqual([
      ['CONNECTED', attemptAtMs + 2],
      ['ACCESS', attemptAtMs],
      ['CREATED', T0],
    ]);
  });
});

describe('a mapping that ends without the bot', () => {
  it('someone else deletes it: DELETED in the log, gone from the listing, the bot’s DELETE then 404, and nothing in the bot’s request log', async () => {
    const api = await client(sim);
    const tokyo = await open(api, TOKYO.imsi, 22);
    sim.requests.length = 0;
    await advance(60_000);
    const deletedAtMs = clock.nowMs() - 20_000;
    const removed = await call(sim, 'DELETE', `/_sim/mappings/${tokyo.ipAddress}/${tokyo.port}?atMs=${deletedAtMs}`);
    expect(removed.status).toBe(204);
    expect((await call(sim, 'DELETE', `/_sim/mappings/${tokyo.ipAddress}/${tokyo.port}`)).status).toBe(404);
    expect(sim.requests).toEqual([]);

    const { entries } = await readAll(api, `from=${T0}&to=${clock.nowMs()}`);
    expect(entries.map((entry) => [entry.type, entry.createdAt])).toEqual([
      ['DELETED', deletedAtMs],
      ['CREATED', T0],
    ]);
    // spec listPortMappingsForSubscriber: 404 when there is none.
    expect((await api('GET', `/v1/port_mappings/subscribers/${TOKYO.imsi}`)).status).toBe(404);
    expect((await api('DELETE', `/v1/port_mappings/${tokyo.ipAddress}/${tokyo.port}`)).status).toBe(404);
    // A client still using the endpoint is denied (D1: DENIED when the entry is gone).
    await attempt('alice', tokyo);
    await advance(1_000);
    expect((await readAll(api, `from=${deletedAtMs + 1}&to=${clock.nowMs()}`)).entries.map((entry) => entry.type)).toEqual(['CLOSED', 'DENIED', 'ACCESS']);
  });

  it('its time runs out as the test moves the clock: EXPIRED at expiredTime appears only then, and the listing says expired', async () => {
    const api = await client(sim);
    const tokyo = await open(api, TOKYO.imsi, 22, 120);
    await advance(119_000);
    expect((await readAll(api, `from=${T0}&to=${clock.nowMs()}`)).entries.map((entry) => entry.type)).toEqual(['CREATED']);
    await advance(2_000);
    const { entries } = await readAll(api, `from=${T0}&to=${clock.nowMs()}`);
    expect(entries[0]).toMatchObject({ type: 'EXPIRED', createdAt: tokyo.expiredTime, imsi: TOKYO.imsi, direction: { destinationPort: 22 } });
    const listed = (await api('GET', `/v1/port_mappings/subscribers/${TOKYO.imsi}`)).body as { expired: boolean; port: number }[];
    expect(listed).toEqual([expect.objectContaining({ port: tokyo.port, expired: true })]);
    expect((await api('DELETE', `/v1/port_mappings/${tokyo.ipAddress}/${tokyo.port}`)).status).toBe(404);
  });

  it('the control delete refuses what is not an active mapping', async () => {
    expect((await call(sim, 'DELETE', '/_sim/mappings/192.0.2.10/40000')).status).toBe(404);
    expect((await call(sim, 'DELETE', '/_sim/mappings/192.0.2.10/40000?atMs=soon')).status).toBe(400);
  });
});

describe('the operator-wide read under a spent budget', () => {
  it('answers 429 with Remaining 0 and the refresh time, counted per operator and operation', async () => {
    await sim.close();
    clock = new ManualClock(T0);
    sim = await startSimulator({ clock, rateLimitPerMinute: 2, rateLimitWindowMs: 60_000, world: { sims: [TOKYO] } });
    const api = await client(sim);
    expect((await api('GET', '/v1/audit_logs/napter')).status).toBe(200);
    expect((await api('GET', '/v1/audit_logs/napter')).status).toBe(200);
    await advance(15_000);
    const limited = await api('GET', '/v1/audit_logs/napter');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('x-soracom-ratelimit-remaining')).toBe('0');
    expect(limited.headers.get('x-soracom-ratelimit-seconds-before-refresh')).toBe('45');
    // Another operation has its own budget.
    expect((await api('GET', `/v1/sims/${TOKYO.simId}`)).status).toBe(200);
    await advance(45_000);
    expect((await api('GET', '/v1/audit_logs/napter')).status).toBe(200);
  });
});
