import { ManualClock } from '../../src/common/clock';
import { startSimulator, type RunningSimulator, type SimSpec } from '../../src/simulator';
import { WireNapterAuditLogList, WirePortMapping, WireSim, WireSubscriber } from '../../src/soracom/wire';
import { call, client, login, T0 } from './helpers';

const SIMS: SimSpec[] = [
  { simId: '8942310099000000001', imsi: '440103000000001', name: 'gw-tokyo-01', ueIpAddress: '10.128.1.2' },
  { simId: '8942310099000000002', imsi: '440103000000002', name: 'gw-tokyo-02', ueIpAddress: '10.128.1.3' },
  { simId: '8942310099000000003', imsi: '440103000000003', name: 'gw-osaka-01', online: false, status: 'inactive' },
];
const [TOKYO1, TOKYO2] = SIMS as [SimSpec, SimSpec, SimSpec];

describe('simulator HTTP API', () => {
  let sim: RunningSimulator;
  let clock: ManualClock;

  beforeEach(async () => {
    clock = new ManualClock(T0);
    sim = await startSimulator({ clock, world: { sims: SIMS, clients: [{ id: 'alice', globalIp: '203.0.113.10' }] } });
  });
  afterEach(async () => {
    await sim.close();
  });

  describe('auth', () => {
    it('POST /auth returns apiKey, token and operatorId, and counts in the request log', async () => {
      const response = await call(sim, 'POST', '/v1/auth', { body: { authKeyId: sim.authKeyId, authKey: sim.authKey } });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ apiKey: expect.stringMatching(/^api-/), token: expect.any(String), operatorId: sim.operatorId });
      expect(sim.requests.filter((r) => r.method === 'POST' && r.path === '/v1/auth').map((r) => r.status)).toEqual([200]);
    });

    it('a wrong key gets 401 with a {code, message} body', async () => {
      const response = await call(sim, 'POST', '/v1/auth', { body: { authKeyId: sim.authKeyId, authKey: 'secret-wrong' } });
      expect(response.status).toBe(401);
      expect(response.body).toEqual({ code: expect.stringMatching(/^[A-Z]{3}\d{4}$/), message: expect.any(String) });
    });

    it.each([100, 172_801])('tokenTimeoutSeconds %i is out of range: 400', async (tokenTimeoutSeconds) => {
      const response = await call(sim, 'POST', '/v1/auth', { body: { authKeyId: sim.authKeyId, authKey: sim.authKey, tokenTimeoutSeconds } });
      expect(response.status).toBe(400);
    });

    it('a call without a token gets 401 AUM0001', async () => {
      const response = await call(sim, 'GET', `/v1/sims/${TOKYO1.simId}`);
      expect(response.status).toBe(401);
      expect(response.body).toEqual({ code: 'AUM0001', message: 'Token is required in the request header' });
    });

    it('an unknown token gets 401', async () => {
      const response = await call(sim, 'GET', `/v1/sims/${TOKYO1.simId}`, { headers: { 'x-soracom-api-key': 'api-x', 'x-soracom-token': 'nope' } });
      expect(response.status).toBe(401);
    });

    it('the token expires on the simulator clock', async () => {
      const headers = await login(sim, 180);
      expect((await call(sim, 'GET', `/v1/sims/${TOKYO1.simId}`, { headers })).status).toBe(200);
      clock.advance(180_000);
      const expired = await call(sim, 'GET', `/v1/sims/${TOKYO1.simId}`, { headers });
      expect(expired.status).toBe(401);
      expect((expired.body as { code: string }).code).toMatch(/^AUM/);
    });

    it('generateAuthToken issues a new token for the same key; logout revokes it', async () => {
      const headers = await login(sim);
      const renewed = await call(sim, 'POST', `/v1/operators/${sim.operatorId}/token`, { headers, body: { tokenTimeoutSeconds: 3600 } });
      expect(renewed.status).toBe(200);
      const token = (renewed.body as { token: string }).token;
      const next = { ...headers, 'x-soracom-token': token };
      expect((await call(sim, 'GET', `/v1/sims/${TOKYO1.simId}`, { headers })).status).toBe(401);
      expect((await call(sim, 'GET', `/v1/sims/${TOKYO1.simId}`, { headers: next })).status).toBe(200);
      expect((await call(sim, 'POST', '/v1/auth/logout', { headers: next })).status).toBe(204);
      expect((await call(sim, 'GET', `/v1/sims/${TOKYO1.simId}`, { headers: next })).status).toBe(401);
    });

    it('generateAuthToken for another operator answers the APICallError shape', async () => {
      const headers = await login(sim);
      const response = await call(sim, 'POST', '/v1/operators/OP9999999999/token', { headers, body: {} });
      expect(response.status).toBe(400);
      expect(response.body).toEqual({ httpStatus: 400, errorMessage: { code: expect.any(String), message: expect.any(String) } });
    });
  });

  it('every /v1 response carries the rate-limit headers, errors included', async () => {
    for (const response of [await call(sim, 'GET', '/v1/sims/x'), await call(sim, 'GET', '/v1/nothing-here')]) {
      expect(response.headers.get('x-soracom-ratelimit-limit')).toBe('1000');
      expect(Number(response.headers.get('x-soracom-ratelimit-remaining'))).toBeGreaterThan(0);
      expect(Number(response.headers.get('x-soracom-ratelimit-seconds-before-refresh'))).toBeGreaterThan(0);
    }
  });

  describe('port mappings', () => {
    const create = (api: Awaited<ReturnType<typeof client>>, overrides: Record<string, unknown> = {}) =>
      api('POST', '/v1/port_mappings', {
        destination: { imsi: TOKYO1.imsi, port: 22 },
        duration: 1800,
        tlsRequired: false,
        source: { ipRanges: ['203.0.113.10/32'] },
        ...overrides,
      });

    it('POST /port_mappings by IMSI: 201, imsi present and simId absent, duration in seconds, times in ms', async () => {
      const api = await client(sim);
      const response = await create(api);
      expect(response.status).toBe(201);
      const mapping = WirePortMapping.parse(response.body);
      expect(mapping).toMatchObject({
        imsi: TOKYO1.imsi,
        duration: 1800,
        createdTime: T0,
        expiredTime: T0 + 1_800_000,
        expired: false,
        tlsRequired: false,
        destination: { imsi: TOKYO1.imsi, port: 22, destinationChoosingStrategy: 'IMSI_PRIORITIZED' },
        source: { ipRanges: ['203.0.113.10/32'] },
      });
      expect(mapping.simId).toBeUndefined();
      expect(mapping.endpoint).toBe(`${mapping.ipAddress}:${mapping.port}`);
      expect(mapping.hostname).toMatch(/\.napter\.soracom\.io$/);
    });

    it('POST /port_mappings by simId+service and POST /port_mappings/sims/{sim_id}: simId present, imsi absent', async () => {
      const api = await client(sim);
      const bySimId = await create(api, { destination: { simId: TOKYO1.simId, service: 'air', port: 80 } });
      const byPath = await api('POST', `/v1/port_mappings/sims/${TOKYO1.simId}`, { destination: { port: 443, service: 'air' }, duration: 600 });
      for (const response of [bySimId, byPath]) {
        expect(response.status).toBe(201);
        const mapping = WirePortMapping.parse(response.body);
        expect(mapping.simId).toBe(TOKYO1.simId);
        expect(mapping.imsi).toBeUndefined();
        expect(mapping.destination.destinationChoosingStrategy).toBe('AIR_PRIORITIZED');
      }
    });

    it('rejects a duration over 8 hours (e.g. milliseconds by mistake) and a private source range with 400', async () => {
      const api = await client(sim);
      expect((await create(api, { duration: 1_800_000 })).status).toBe(400);
      expect((await create(api, { source: { ipRanges: ['192.168.1.0/24'] } })).status).toBe(400);
      expect((await create(api, { destination: { port: 22 } })).status).toBe(400);
      expect((await api('GET', '/v1/port_mappings')).body).toEqual([]);
    });

    it('lists for SIM and subscriber answer 404 when there are none, 200 with only their kind otherwise', async () => {
      const api = await client(sim);
      expect((await api('GET', `/v1/port_mappings/sims/${TOKYO1.simId}`)).status).toBe(404);
      expect((await api('GET', `/v1/port_mappings/subscribers/${TOKYO1.imsi}`)).status).toBe(404);
      await create(api);
      expect((await api('GET', `/v1/port_mappings/subscribers/${TOKYO1.imsi}`)).status).toBe(200);
      expect((await api('GET', `/v1/port_mappings/sims/${TOKYO1.simId}`)).status).toBe(404);
      await api('POST', `/v1/port_mappings/sims/${TOKYO1.simId}`, { destination: { port: 80, service: 'air' } });
      const forSim = await api('GET', `/v1/port_mappings/sims/${TOKYO1.simId}`);
      expect(forSim.status).toBe(200);
      expect((forSim.body as unknown[]).length).toBe(1);
    });

    it('DELETE /port_mappings/{ip}/{port}: 204 once, then 404; writes DELETED', async () => {
      const api = await client(sim);
      const mapping = WirePortMapping.parse((await create(api)).body);
      const path = `/v1/port_mappings/${mapping.ipAddress}/${mapping.port}`;
      const deleted = await api('DELETE', path);
      expect(deleted.status).toBe(204);
      expect(deleted.text).toBe('');
      expect((await api('DELETE', path)).status).toBe(404);
      const events = WireNapterAuditLogList.parse((await api('GET', `/v1/audit_logs/napter?resource_type=Subscriber&resource_id=${TOKYO1.imsi}`)).body);
      expect(events.map((event) => event.type)).toEqual(['DELETED', 'CREATED']);
    });

    it('GET /port_mappings pages with limit and x-soracom-next-key', async () => {
      const api = await client(sim);
      for (let i = 0; i < 5; i += 1) await create(api, { destination: { imsi: TOKYO1.imsi, port: 1000 + i } });
      const seen: number[] = [];
      let key: string | null = null;
      let pages = 0;
      do {
        const response: Awaited<ReturnType<typeof api>> = await api('GET', `/v1/port_mappings?limit=2${key ? `&last_evaluated_key=${encodeURIComponent(key)}` : ''}`);
        pages += 1;
        seen.push(...(response.body as { destination: { port: number } }[]).map((m) => m.destination.port));
        key = response.headers.get('x-soracom-next-key');
      } while (key !== null);
      expect(pages).toBe(3);
      expect(seen).toEqual([1000, 1001, 1002, 1003, 1004]);
    });

    it('expiry follows the clock: listed expired, EXPIRED in the audit log at expiredTime', async () => {
      const api = await client(sim);
      const mapping = WirePortMapping.parse((await create(api, { duration: 60 })).body);
      clock.advance(61_000);
      const listed = (await api('GET', `/v1/port_mappings/subscribers/${TOKYO1.imsi}`)).body as { expired: boolean }[];
      expect(listed.map((m) => m.expired)).toEqual([true]);
      const events = WireNapterAuditLogList.parse((await api('GET', `/v1/audit_logs/napter?resource_id=${TOKYO1.imsi}`)).body);
      expect(events[0]).toMatchObject({ type: 'EXPIRED', createdAt: mapping.expiredTime });
      expect((await api('DELETE', `/v1/port_mappings/${mapping.ipAddress}/${mapping.port}`)).status).toBe(404);
    });
  });

  describe('audit logs', () => {
    async function seed(count: number): Promise<void> {
      const mapping = sim.world.createMapping({ target: { imsi: TOKYO1.imsi }, devicePort: 22, sourceIpRanges: ['198.51.100.0/24'] });
      if (!mapping.ok) throw new Error('seed');
      for (let i = 0; i < count; i += 1) {
        clock.advance(1000);
        sim.world.attempt({ client: 'alice', endpoint: `${mapping.value.ipAddress}:${mapping.value.port}` });
      }
      clock.advance(1000);
    }

    it('pages newest first through x-soracom-next-key (at least three pages) and ends without the header', async () => {
      await seed(4); // CREATED + 4 × (ACCESS, DENIED, CLOSED) = 13 events
      const api = await client(sim);
      const base = `/v1/audit_logs/napter?resource_type=Subscriber&resource_id=${TOKYO1.imsi}&from=${T0}&to=${clock.nowMs()}&limit=5`;
      const all: { createdAt: number; type: string }[] = [];
      let key: string | null = null;
      let pages = 0;
      do {
        const response: Awaited<ReturnType<typeof api>> = await api('GET', key === null ? base : `${base}&last_evaluated_key=${encodeURIComponent(key)}`);
        expect(response.status).toBe(200);
        all.push(...WireNapterAuditLogList.parse(response.body));
        key = response.headers.get('x-soracom-next-key');
        pages += 1;
      } while (key !== null);
      expect(pages).toBe(3);
      expect(all).toHaveLength(13);
      const times = all.map((event) => event.createdAt);
      expect([...times].sort((a, b) => b - a)).toEqual(times);
      expect(all[all.length - 1]?.type).toBe('CREATED');
    });

    it('entries have the spec fields; from/to are milliseconds', async () => {
      await seed(1);
      const api = await client(sim);
      const response = await api('GET', `/v1/audit_logs/napter?resource_type=Subscriber&resource_id=${TOKYO1.imsi}&from=${T0 + 500}&to=${clock.nowMs()}`);
      const entries = response.body as Record<string, unknown>[];
      expect(entries.map((entry) => entry['type'])).toEqual(['CLOSED', 'DENIED', 'ACCESS']);
      expect(Object.keys(entries[0] ?? {}).sort()).toEqual(['connectionId', 'createdAt', 'direction', 'imsi', 'operatorId', 'tls', 'type']);
      // Seconds by mistake: a 1970 window, nothing.
      const seconds = await api('GET', `/v1/audit_logs/napter?resource_id=${TOKYO1.imsi}&from=${Math.floor(T0 / 1000)}&to=${Math.floor(clock.nowMs() / 1000)}`);
      expect(seconds.body).toEqual([]);
    });

    it.each(['limit=0', 'limit=1001', 'resource_type=Sim', 'from=yesterday'])('rejects %s with 400', async (query) => {
      const api = await client(sim);
      expect((await api('GET', `/v1/audit_logs/napter?${query}`)).status).toBe(400);
    });
  });

  describe('SIMs and subscribers', () => {
    it('GET /sims/{sim_id}: the Sim shape with session, tags and profiles; 404 {code,message} for unknown', async () => {
      const api = await client(sim);
      const response = await api('GET', `/v1/sims/${TOKYO1.simId}`);
      const body = WireSim.parse(response.body);
      expect(body).toMatchObject({
        simId: TOKYO1.simId,
        status: 'active',
        tags: { name: 'gw-tokyo-01' },
        sessionStatus: { online: true, imsi: TOKYO1.imsi, ueIpAddress: '10.128.1.2' },
      });
      expect(Object.values(body.profiles ?? {})[0]?.primaryImsi).toBe(TOKYO1.imsi);
      const missing = await api('GET', '/v1/sims/8942310099999999999');
      expect(missing.status).toBe(404);
      expect(missing.body).toEqual({ code: expect.any(String), message: expect.any(String) });
    });

    it('GET /subscribers/{imsi}: the Subscriber shape; 404 for unknown', async () => {
      const api = await client(sim);
      const body = WireSubscriber.parse((await api('GET', `/v1/subscribers/${TOKYO2.imsi}`)).body);
      expect(body).toMatchObject({ imsi: TOKYO2.imsi, simId: TOKYO2.simId, sessionStatus: { online: true } });
      expect((await api('GET', '/v1/subscribers/440103999999999')).status).toBe(404);
    });

    it('GET /query/sims matches the name partially and case-insensitively, and pages', async () => {
      const api = await client(sim);
      const tokyo = await api('GET', '/v1/query/sims?name=TOKYO');
      expect((tokyo.body as { simId: string }[]).map((s) => s.simId)).toEqual([TOKYO1.simId, TOKYO2.simId]);
      const first = await api('GET', '/v1/query/sims?name=gw-&limit=2');
      expect((first.body as unknown[]).length).toBe(2);
      const key = first.headers.get('x-soracom-next-key');
      expect(key).toBe(TOKYO2.simId);
      const second = await api('GET', `/v1/query/sims?name=gw-&limit=2&last_evaluated_key=${key}`);
      expect((second.body as { simId: string }[]).map((s) => s.simId)).toEqual(['8942310099000000003']);
      expect(second.headers.get('x-soracom-next-key')).toBeNull();
      expect((await api('GET', '/v1/query/sims?name=nowhere')).body).toEqual([]);
      expect((await api('GET', '/v1/query/sims?name=g')).status).toBe(400);
    });

    it('GET /query/sims splits values at commas, each "evaluated based on the specified AND or OR condition" (spec)', async () => {
      const api = await client(sim);
      const names = async (query: string) => ((await api('GET', `/v1/query/sims?${query}`)).body as { tags: { name: string } }[]).map((item) => item.tags.name).sort();
      expect(await names('name=gw,tokyo')).toEqual(['gw-tokyo-01', 'gw-tokyo-02']);
      expect(await names('name=tokyo,osaka')).toEqual([]);
      expect(await names('name=tokyo,osaka&search_type=or')).toEqual(['gw-osaka-01', 'gw-tokyo-01', 'gw-tokyo-02']);
      expect((await api('GET', '/v1/query/sims?name=tokyo,o')).status).toBe(400);
    });
  });

  describe('downlink probes', () => {
    it('TCP: 200 with the data the device sent (wait_all, the spec default), 422 APICallErrorMessage when it refuses, 404 for an unknown SIM', async () => {
      const api = await client(sim);
      const startedAt = clock.nowMs();
      const open = await api('POST', `/v1/sims/${TOKYO1.simId}/downlink/tcp`, { port: 22, payload: '', timeout: 5 });
      expect(open.status).toBe(200);
      expect(open.body).toEqual({ data: expect.stringMatching(/^SSH-2\.0-/), dataEncoding: 'string' });
      // wait_all "returns the data received during the time specified by `timeout`": sshd keeps the line open.
      expect(clock.nowMs() - startedAt).toBe(5000);
      const closed = await api('POST', `/v1/sims/${TOKYO1.simId}/downlink/tcp`, { port: 2222, payload: '', timeout: 5 });
      expect(closed.status).toBe(422);
      expect(closed.body).toEqual({ code: expect.any(String), message: expect.stringContaining('refused') });
      const offline = await api('POST', '/v1/sims/8942310099000000003/downlink/tcp', { port: 22, payload: '' });
      expect(offline.status).toBe(422);
      expect((await api('POST', '/v1/sims/8942310099999999999/downlink/tcp', { port: 22, payload: '' })).status).toBe(404);
      expect((await api('POST', `/v1/sims/${TOKYO1.simId}/downlink/tcp`, { port: 0, payload: '' })).status).toBe(400);
      expect((await api('POST', `/v1/sims/${TOKYO1.simId}/downlink/tcp`, { port: 22, payload: 'zz', payloadEncoding: 'hex' })).status).toBe(400);
      expect((await api('POST', `/v1/sims/${TOKYO1.simId}/downlink/tcp`, { port: 22, payload: '', connectionOptions: { type: 'wait_forever' } })).status).toBe(400);
    });

    it('HTTP: 200 with the device status, 404 for an unknown SIM, 400 for a method the spec does not list', async () => {
      await sim.close();
      sim = await startSimulator({ clock, world: { sims: [{ ...TOKYO1, device: { services: [{ port: 80, protocol: 'http', httpStatus: 401 }] } }] } });
      const api = await client(sim);
      const answered = await api('POST', `/v1/sims/${TOKYO1.simId}/downlink/http`, { port: 80, method: 'HEAD', path: '/' });
      expect(answered.status).toBe(200);
      expect(answered.body).toMatchObject({ statusCode: 401 });
      expect((await api('POST', '/v1/sims/8942310099999999999/downlink/http', { port: 80 })).status).toBe(404);
      expect((await api('POST', `/v1/sims/${TOKYO1.simId}/downlink/http`, { port: 80, method: 'BREW' })).status).toBe(400);
    });

    it('the device-silent fault makes a downlink call wait its whole timeout and answer 422, as the spec has it for no data', async () => {
      const api = await client(sim);
      sim.faults.add({ kind: 'device-silent', method: 'POST', path: '/v1/sims/*/downlink/*', count: 2 });
      const startedAt = clock.nowMs();
      const tcp = await api('POST', `/v1/sims/${TOKYO1.simId}/downlink/tcp`, { port: 22, payload: '', timeout: 7, connectionOptions: { type: 'wait_first' } });
      expect(tcp.status).toBe(422);
      expect(clock.nowMs() - startedAt).toBe(7000);
      const http = await api('POST', `/v1/sims/${TOKYO1.simId}/downlink/http`, { port: 80 });
      expect(http.status).toBe(422);
      expect(clock.nowMs() - startedAt).toBe(17_000);
      // Used up: the next call reaches the device again.
      expect((await api('POST', `/v1/sims/${TOKYO1.simId}/downlink/tcp`, { port: 22, payload: '', connectionOptions: { type: 'wait_first' } })).status).toBe(200);
    });

    it('ping: {success, rtt, stat}', async () => {
      const api = await client(sim);
      const online = await api('POST', `/v1/sims/${TOKYO1.simId}/downlink/ping`, { numberOfPingRequests: 2 });
      expect(online.body).toEqual({ success: true, rtt: expect.stringMatching(/^rtt min\/avg\/max\/mdev = /), stat: expect.stringContaining('2 received') });
      const offline = await api('POST', '/v1/sims/8942310099000000003/downlink/ping', {});
      expect(offline.body).toMatchObject({ success: false, rtt: '' });
      expect((await api('POST', `/v1/sims/${TOKYO1.simId}/downlink/ping`, { numberOfPingRequests: 6 })).status).toBe(400);
    });
  });
});

describe('simulator rate limiting', () => {
  let sim: RunningSimulator;
  let clock: ManualClock;
  beforeEach(async () => {
    clock = new ManualClock(T0);
    sim = await startSimulator({ clock, rateLimitPerMinute: 3, rateLimitWindowMs: 10_000, world: { sims: SIMS } });
  });
  afterEach(async () => {
    await sim.close();
  });

  it('past the budget per operation answers 429 with Remaining 0 and the refresh time, then recovers', async () => {
    const headers = await login(sim);
    const get = () => call(sim, 'GET', `/v1/sims/${TOKYO1.simId}`, { headers });
    const statuses = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await get()).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await get();
    expect(limited.headers.get('x-soracom-ratelimit-remaining')).toBe('0');
    expect(limited.headers.get('x-soracom-ratelimit-seconds-before-refresh')).toBe('10');
    // Another operation has its own budget.
    expect((await call(sim, 'GET', `/v1/subscribers/${TOKYO1.imsi}`, { headers })).status).toBe(200);
    clock.advance(10_000);
    expect((await get()).status).toBe(200);
  });

  it('/auth is limited per caller address', async () => {
    const statuses = [];
    for (let i = 0; i < 4; i += 1) {
      statuses.push((await call(sim, 'POST', '/v1/auth', { body: { authKeyId: sim.authKeyId, authKey: sim.authKey } })).status);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
  });
});
