import { ManualClock } from '../../src/common/clock';
import { startSimulator, type AttemptResult, type RunningSimulator, type WorldState } from '../../src/simulator';
import { call, client, T0 } from './helpers';

describe('/_sim control API', () => {
  let sim: RunningSimulator;
  let clock: ManualClock;
  beforeEach(async () => {
    clock = new ManualClock(T0);
    sim = await startSimulator({ clock });
  });
  afterEach(async () => {
    await sim.close();
  });

  it('GET /_sim/info gives the endpoint and the AuthKey it accepts', async () => {
    const info = await call(sim, 'GET', '/_sim/info');
    expect(info.body).toMatchObject({ baseUrl: sim.baseUrl, authKeyId: sim.authKeyId, authKey: sim.authKey, clock: { nowMs: T0, manual: true } });
  });

  it('lists scenarios and loads one (resetting the world), advancing the manual clock', async () => {
    const list = await call(sim, 'GET', '/_sim/scenarios');
    expect((list.body as { scenarios: { id: string }[] }).scenarios.map((s) => s.id)).toContain('mapping-expired');
    const loaded = await call(sim, 'POST', '/_sim/scenarios/mapping-expired/load');
    expect(loaded.status).toBe(200);
    expect(clock.nowMs()).toBe(T0 + 42 * 60_000);
    expect(sim.world.findSim('gw-osaka-02')).toBeDefined();
    await call(sim, 'POST', '/_sim/scenarios/healthy/load');
    expect(sim.world.findSim('gw-osaka-02')).toBeUndefined();
    expect((await call(sim, 'POST', '/_sim/scenarios/nope/load')).status).toBe(400);
  });

  it('loads the demo world', async () => {
    const loaded = await call(sim, 'POST', '/_sim/scenarios/demo/load');
    expect((loaded.body as { sims: { simName: string }[] }).sims.map((s) => s.simName)).toContain('demo-expired');
    expect(sim.world.findSim('demo-expired')).toBeDefined();
    expect(clock.nowMs()).toBe(T0);
  });

  it('adds SIMs and clients, edits the device, and makes an attempt whose events the API then shows', async () => {
    expect((await call(sim, 'POST', '/_sim/sims', { body: { simId: '8942310099000000001', imsi: '440103000000001', name: 'gw-play-01' } })).status).toBe(201);
    expect((await call(sim, 'POST', '/_sim/sims', { body: { simId: '123', imsi: '440103000000002' } })).status).toBe(400);
    expect((await call(sim, 'POST', '/_sim/clients', { body: { id: 'me', globalIp: '203.0.113.50' } })).status).toBe(201);
    const device = await call(sim, 'PUT', '/_sim/sims/gw-play-01/device', { body: { services: [{ port: 22, protocol: 'ssh', state: 'stopped' }] } });
    expect(device.status).toBe(200);
    const api = await client(sim);
    const mapping = (await api('POST', '/v1/port_mappings', { destination: { imsi: '440103000000001', port: 22 }, duration: 600, source: { ipRanges: ['203.0.113.50/32'] } })).body as {
      endpoint: string;
    };
    const attempt = await call(sim, 'POST', '/_sim/attempts', { body: { client: 'me', endpoint: mapping.endpoint } });
    expect((attempt.body as AttemptResult).outcome).toBe('closed-by-device');
    expect((await call(sim, 'POST', '/_sim/attempts', { body: { client: 'ghost', endpoint: mapping.endpoint } })).status).toBe(400);
    await call(sim, 'POST', '/_sim/clock/advance', { body: { ms: 1000 } });
    const events = (await api('GET', '/v1/audit_logs/napter?resource_id=440103000000001')).body as { type: string }[];
    expect(events.map((event) => event.type)).toEqual(['CLOSED', 'CONNECTED', 'ACCESS', 'CREATED']);
  });

  it('sets, shows and clears a SIM\'s own audit-log ingest delay', async () => {
    const added = await call(sim, 'POST', '/_sim/sims', {
      body: { simId: '8942310099000000001', imsi: '440103000000001', name: 'gw-late-01', auditLogIngestDelayMs: 90_000 },
    });
    expect(added.body).toMatchObject({ auditLogIngestDelayMs: 90_000 });
    expect(((await call(sim, 'GET', '/_sim/world')).body as WorldState).sims.map((s) => s.auditLogIngestDelayMs)).toEqual([90_000]);
    expect((await call(sim, 'PATCH', '/_sim/sims/gw-late-01', { body: { auditLogIngestDelayMs: -1 } })).status).toBe(400);
    expect((await call(sim, 'PATCH', '/_sim/sims/gw-late-01', { body: { auditLogIngestDelayMs: null } })).status).toBe(200);
    expect(sim.world.state.sims.map((s) => s.auditLogIngestDelayMs)).toEqual([null]);
  });

  it('GET and PUT /_sim/world round-trip the whole state', async () => {
    await call(sim, 'POST', '/_sim/scenarios/tls-on-ssh/load');
    const state = (await call(sim, 'GET', '/_sim/world')).body as WorldState;
    expect(state.events.length).toBeGreaterThan(3);
    await call(sim, 'POST', '/_sim/world/reset');
    expect(sim.world.state.sims).toEqual([]);
    expect((await call(sim, 'PUT', '/_sim/world', { body: state })).status).toBe(200);
    expect(sim.world.state.events).toEqual(state.events);
    expect((await call(sim, 'PUT', '/_sim/world', { body: { sims: 'no' } })).status).toBe(400);
  });

  it('advancing the clock needs a manual clock', async () => {
    const real = await startSimulator();
    try {
      expect((await call(real, 'POST', '/_sim/clock/advance', { body: { ms: 1 } })).status).toBe(409);
    } finally {
      await real.close();
    }
  });

  it('records API calls (not control calls) and can clear them', async () => {
    await call(sim, 'GET', '/_sim/info');
    await call(sim, 'GET', '/v1/sims/1');
    expect((await call(sim, 'GET', '/_sim/requests')).body).toEqual([
      expect.objectContaining({ method: 'GET', path: '/v1/sims/1', status: 401, atMs: T0 }),
    ]);
    await call(sim, 'DELETE', '/_sim/requests');
    expect(sim.requests).toEqual([]);
  });

  it('answers CORS preflight so a browser page can drive it', async () => {
    const response = await fetch(`${sim.baseUrl}/_sim/world`, { method: 'OPTIONS' });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
  });
});

describe('startSimulator options', () => {
  it('refuses an unknown scenario before listening', async () => {
    await expect(startSimulator({ scenario: 'no-such-scenario' })).rejects.toThrow(/No scenario "no-such-scenario"/);
  });

  it('starts on the demo world', async () => {
    const demo = await startSimulator({ clock: new ManualClock(T0), scenario: 'demo' });
    try {
      expect(demo.world.findSim('demo-tls-ssh')).toBeDefined();
    } finally {
      await demo.close();
    }
  });
});
