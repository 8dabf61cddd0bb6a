import { ManualClock } from '../../src/common/clock';
import { FaultController, startSimulator, type RunningSimulator } from '../../src/simulator';
import { call, client, T0 } from './helpers';

const SIM = { simId: '8942310099000000001', imsi: '440103000000001', name: 'gw-tokyo-01' };
const CREATE = { destination: { imsi: SIM.imsi, port: 22 }, duration: 600, tlsRequired: false, source: { ipRanges: ['203.0.113.10/32'] } };

describe('fault injection', () => {
  let sim: RunningSimulator;
  beforeEach(async () => {
    sim = await startSimulator({ clock: new ManualClock(T0), world: { sims: [SIM] } });
  });
  afterEach(async () => {
    await sim.close();
  });

  it('error-5xx answers a load balancer text/plain body and changes nothing', async () => {
    const api = await client(sim);
    sim.faults.add({ kind: 'error-5xx', method: 'POST', path: '/v1/port_mappings', count: 1, status: 502 });
    const failed = await api('POST', '/v1/port_mappings', CREATE);
    expect(failed.status).toBe(502);
    expect(failed.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(failed.text).toBe('502 Bad Gateway');
    expect(sim.world.listMappings()).toHaveLength(0);
    expect((await api('POST', '/v1/port_mappings', CREATE)).status).toBe(201);
  });

  it('rate-limit bursts: the next N calls get 429 with Remaining 0', async () => {
    const api = await client(sim);
    sim.faults.add({ kind: 'rate-limit', path: '/v1/sims/*', count: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i += 1) {
      const response = await api('GET', `/v1/sims/${SIM.simId}`);
      statuses.push(response.status);
      if (response.status === 429) expect(response.headers.get('x-soracom-ratelimit-remaining')).toBe('0');
    }
    expect(statuses).toEqual([429, 429, 200]);
  });

  it('token-expired answers 401 with SORACOM\'s expired-token code and does nothing', async () => {
    const api = await client(sim);
    sim.faults.add({ kind: 'token-expired', method: 'POST', path: '/v1/port_mappings', count: 1 });
    const refused = await api('POST', '/v1/port_mappings', CREATE);
    expect(refused.status).toBe(401);
    expect(JSON.parse(refused.text)).toMatchObject({ code: 'AUM0003' });
    expect(sim.world.listMappings()).toHaveLength(0);
    expect((await api('POST', '/v1/port_mappings', CREATE)).status).toBe(201);
  });

  it('malformed-json commits the call and answers a body that is not JSON', async () => {
    const api = await client(sim);
    sim.faults.add({ kind: 'malformed-json', method: 'POST', path: '/v1/port_mappings', count: 1 });
    const response = await api('POST', '/v1/port_mappings', CREATE);
    expect(response.status).toBe(201);
    expect(() => JSON.parse(response.text)).toThrow();
    expect(sim.world.listMappings()).toHaveLength(1);
  });

  it('wrong-shape swaps arrays and objects', async () => {
    const api = await client(sim);
    sim.faults.add({ kind: 'wrong-shape', path: '/v1/audit_logs/napter', count: 1 });
    sim.faults.add({ kind: 'wrong-shape', path: '/v1/sims/*', count: 1 });
    expect(Array.isArray((await api('GET', '/v1/audit_logs/napter')).body)).toBe(false);
    expect(Array.isArray((await api('GET', `/v1/sims/${SIM.simId}`)).body)).toBe(true);
  });

  it('commit-then-drop: the socket dies after the mapping is created, leaving exactly one mapping', async () => {
    const api = await client(sim);
    sim.faults.add({ kind: 'commit-then-drop', method: 'POST', path: '/v1/port_mappings', count: 1 });
    await expect(api('POST', '/v1/port_mappings', CREATE)).rejects.toThrow();
    expect(sim.world.listMappings()).toHaveLength(1);
    const listed = await api('GET', `/v1/port_mappings/subscribers/${SIM.imsi}`);
    expect((listed.body as unknown[]).length).toBe(1);
  });

  it('commit-then-5xx: created, yet the caller sees a 503', async () => {
    const api = await client(sim);
    sim.faults.add({ kind: 'commit-then-5xx', method: 'POST', path: '/v1/port_mappings*', count: 1 });
    const response = await api('POST', '/v1/port_mappings', CREATE);
    expect(response.status).toBe(503);
    expect(sim.world.listMappings()).toHaveLength(1);
  });

  it('hang never answers (the caller times out) and close() still returns', async () => {
    const api = await client(sim);
    sim.faults.add({ kind: 'hang', path: '/v1/sims/*', count: 1 });
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 150);
    await expect(
      fetch(`${sim.baseUrl}/v1/sims/${SIM.simId}`, { signal: controller.signal }),
    ).rejects.toThrow();
    clearTimeout(timer);
    expect((await api('GET', `/v1/sims/${SIM.simId}`)).status).toBe(200);
  });

  it('drop destroys the socket before doing anything', async () => {
    const api = await client(sim);
    sim.faults.add({ kind: 'drop', method: 'POST', path: '/v1/port_mappings', count: 1 });
    await expect(api('POST', '/v1/port_mappings', CREATE)).rejects.toThrow();
    expect(sim.world.listMappings()).toHaveLength(0);
  });

  it('latency delays the answer', async () => {
    const api = await client(sim);
    sim.faults.add({ kind: 'latency', path: '/v1/sims/*', latencyMs: 120, count: 1 });
    const started = performance.now();
    expect((await api('GET', `/v1/sims/${SIM.simId}`)).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(100);
  });

  it('faults can be set through POST /_sim/faults and cleared with DELETE', async () => {
    const api = await client(sim);
    const added = await call(sim, 'POST', '/_sim/faults', { body: { rules: [{ kind: 'error-5xx', path: '/v1/sims/*' }] } });
    expect(added.status).toBe(201);
    expect((await api('GET', `/v1/sims/${SIM.simId}`)).status).toBe(503);
    expect((await call(sim, 'DELETE', '/_sim/faults')).status).toBe(204);
    expect((await api('GET', `/v1/sims/${SIM.simId}`)).status).toBe(200);
    expect((await call(sim, 'POST', '/_sim/faults', { body: { kind: 'explode' } })).status).toBe(400);
  });

  it('faults given at start apply from the first call', async () => {
    const faulty = await startSimulator({ faults: { rules: [{ kind: 'error-5xx', path: '/v1/auth', count: 1 }] } });
    try {
      const body = { authKeyId: faulty.authKeyId, authKey: faulty.authKey };
      expect((await call(faulty, 'POST', '/v1/auth', { body })).status).toBe(503);
      expect((await call(faulty, 'POST', '/v1/auth', { body })).status).toBe(200);
      expect(faulty.requests.filter((r) => r.path === '/v1/auth').map((r) => r.status)).toEqual([503, 200]);
    } finally {
      await faulty.close();
    }
  });
});

describe('FaultController', () => {
  it('a probability applies to a deterministic share of calls for a given seed', () => {
    const run = (seed: number) => {
      const faults = new FaultController({ seed, rules: [{ kind: 'error-5xx', probability: 0.3 }] });
      return Array.from({ length: 200 }, () => faults.plan('GET', '/v1/sims/1').action ?? 'ok');
    };
    const first = run(7);
    expect(run(7)).toEqual(first);
    const failures = first.filter((action) => action === 'error-5xx').length;
    expect(failures).toBeGreaterThan(30);
    expect(failures).toBeLessThan(90);
  });

  it('lets the first `after` matching calls through: a fault in the middle of a flow', () => {
    const faults = new FaultController();
    faults.add({ kind: 'error-5xx', method: 'GET', path: '/v1/sims/*', after: 2, count: 1 });
    const actions = Array.from({ length: 4 }, () => faults.plan('GET', '/v1/sims/1').action ?? 'ok');
    expect(actions).toEqual(['ok', 'ok', 'error-5xx', 'ok']);
    expect(faults.plan('POST', '/v1/auth').action).toBeUndefined();
  });

  it('matches method and path patterns and uses up counts', () => {
    const faults = new FaultController();
    faults.add({ kind: 'hang', method: 'DELETE', path: '/v1/port_mappings/*', count: 1 });
    expect(faults.plan('GET', '/v1/port_mappings/1.2.3.4/5').action).toBeUndefined();
    expect(faults.plan('DELETE', '/v1/port_mappings/1.2.3.4/5').action).toBe('hang');
    expect(faults.plan('DELETE', '/v1/port_mappings/1.2.3.4/5').action).toBeUndefined();
    expect(faults.list()).toHaveLength(0);
  });
});
