import { ManualClock } from '../../src/common/clock';
import { ASSUMPTIONS, World, type AttemptResult, type MappingState, type SimSpec } from '../../src/simulator';
import { T0 } from './helpers';

const GATEWAY: SimSpec = {
  simId: '8942310099000000001',
  imsi: '440103000000001',
  name: 'gw-test-01',
  ueIpAddress: '10.128.1.2',
  device: { services: [{ port: 22, protocol: 'ssh' }, { port: 80, protocol: 'http' }] },
};

function setup(sim: Partial<SimSpec> = {}) {
  const clock = new ManualClock(T0);
  const world = new World(clock, {
    sims: [{ ...GATEWAY, ...sim }],
    clients: [
      { id: 'alice', globalIp: '203.0.113.10' },
      { id: 'mallory', globalIp: '198.51.100.66' },
      { id: 'bob', globalIp: '198.51.100.23', network: { allowedOutboundPorts: [80, 443] } },
      { id: 'proxied', globalIp: '198.51.100.24', network: { blocksNapter: true } },
      { id: 'v6only', globalIp: '2001:db8::10' },
    ],
  });
  return { clock, world };
}

function open(world: World, overrides: Partial<Parameters<World['createMapping']>[0]> = {}): MappingState {
  const created = world.createMapping({
    target: { imsi: GATEWAY.imsi },
    devicePort: 22,
    durationSec: 1800,
    tlsRequired: false,
    sourceIpRanges: ['203.0.113.10/32'],
    ...overrides,
  });
  if (!created.ok) throw new Error(created.error.message);
  return created.value;
}

const endpointOf = (mapping: MappingState) => `${mapping.ipAddress}:${mapping.port}`;
const types = (result: AttemptResult) => result.events.map((event) => event.type);

describe('World: mappings', () => {
  it('creates a mapping with a CREATED event carrying the device address and port', () => {
    const { world } = setup();
    const mapping = open(world);
    expect(mapping.expiresAtMs - mapping.createdAtMs).toBe(1800 * 1000);
    expect(mapping.strategy).toBe('IMSI_PRIORITIZED');
    expect(mapping.hostname).toMatch(/^[0-9a-f]{12}\.napter\.soracom\.io$/);
    const [created] = world.auditEvents({ imsi: GATEWAY.imsi });
    expect(created).toMatchObject({ type: 'CREATED', connectionId: mapping.id, direction: { destinationIPAddress: '10.128.1.2', destinationPort: 22 } });
    expect(created?.direction.sourceIPAddress).toBeUndefined();
  });

  it('applies the default duration and echoes an omitted source as 0.0.0.0/0', () => {
    const { world } = setup();
    const created = world.createMapping({ target: { simId: GATEWAY.simId, service: 'air' }, devicePort: 80 });
    expect(created.ok && created.value.durationSec).toBe(ASSUMPTIONS.defaultMappingDurationSec);
    expect(created.ok && created.value.sourceIpRanges).toEqual(['0.0.0.0/0']);
    expect(created.ok && created.value.strategy).toBe('AIR_PRIORITIZED');
  });

  it.each([
    [{ durationSec: 28_801 }, 'duration'],
    [{ durationSec: 3_600_000 }, 'duration'],
    [{ durationSec: 0 }, 'duration'],
    [{ devicePort: 70_000 }, 'destination.port'],
    [{ sourceIpRanges: ['10.0.0.0/8'] }, 'global'],
    [{ sourceIpRanges: ['192.168.1.5/32'] }, 'global'],
    [{ sourceIpRanges: ['not-an-ip'] }, 'global'],
  ])('rejects %j with 400', (overrides, words) => {
    const { world } = setup();
    const created = world.createMapping({ target: { imsi: GATEWAY.imsi }, devicePort: 22, ...overrides });
    expect(created.ok).toBe(false);
    if (!created.ok) {
      expect(created.error.status).toBe(400);
      expect(created.error.message).toContain(words);
    }
  });

  it('accepts the maximum duration, documentation ranges and 0.0.0.0/0', () => {
    const { world } = setup();
    const created = world.createMapping({
      target: { imsi: GATEWAY.imsi },
      devicePort: 22,
      durationSec: 28_800,
      sourceIpRanges: ['198.51.100.0/24', '2001:db8::/48', '0.0.0.0/0'],
    });
    expect(created.ok).toBe(true);
  });

  it('answers 404 for an unknown IMSI or SIM ID', () => {
    const { world } = setup();
    const byImsi = world.createMapping({ target: { imsi: '440103999999999' }, devicePort: 22 });
    const bySim = world.createMapping({ target: { simId: '8942310099999999999' }, devicePort: 22 });
    expect(!byImsi.ok && byImsi.error.status).toBe(404);
    expect(!bySim.ok && bySim.error.status).toBe(404);
  });

  it('expires lazily: EXPIRED dated at expiredTime, listed as expired for an hour, then gone', () => {
    const { clock, world } = setup();
    const mapping = open(world, { durationSec: 60 });
    clock.advance(10 * 60_000);
    const listed = world.listMappings();
    expect(listed).toHaveLength(1);
    expect(listed[0]?.end).toBe('expired');
    const expired = world.auditEvents().find((event) => event.type === 'EXPIRED');
    expect(expired?.createdAt).toBe(mapping.expiresAtMs);
    expect(expired?.connectionId).toBe(mapping.id);
    clock.advance(ASSUMPTIONS.expiredMappingListedForMs);
    expect(world.listMappings()).toHaveLength(0);
  });

  it('deletes an active mapping once (DELETED event), then reports it missing', () => {
    const { world } = setup();
    const mapping = open(world);
    expect(world.deleteMapping(mapping.ipAddress, mapping.port)).toBe(true);
    expect(world.deleteMapping(mapping.ipAddress, mapping.port)).toBe(false);
    expect(world.listMappings()).toHaveLength(0);
    expect(world.auditEvents().map((event) => event.type)).toEqual(['DELETED', 'CREATED']);
  });

  it('lists by SIM only SIM-ID mappings and by subscriber only IMSI mappings', () => {
    const { world } = setup();
    open(world);
    world.createMapping({ target: { simId: GATEWAY.simId, service: 'air' }, devicePort: 80, sourceIpRanges: ['203.0.113.10/32'] });
    expect(world.listMappings({ simId: GATEWAY.simId }).map((m) => m.devicePort)).toEqual([80]);
    expect(world.listMappings({ imsiPrioritizedFor: GATEWAY.imsi }).map((m) => m.devicePort)).toEqual([22]);
  });

  it('never hands out the same endpoint twice', () => {
    const { world } = setup();
    const endpoints = new Set(Array.from({ length: 200 }, () => endpointOf(open(world))));
    expect(endpoints.size).toBe(200);
  });
});

describe('World: a client connection writes what Napter would', () => {
  it('writes nothing when the client network blocks the Napter endpoint', () => {
    const { world } = setup();
    const mapping = open(world, { sourceIpRanges: ['198.51.100.0/24'] });
    for (const client of ['bob', 'proxied', 'v6only']) {
      const result = world.attempt({ client, endpoint: endpointOf(mapping) });
      expect(result.outcome).toBe('blocked-by-client-network');
      expect(result.events).toEqual([]);
    }
    expect(world.auditEvents().map((event) => event.type)).toEqual(['CREATED']);
  });

  it('writes nothing for an endpoint no mapping has', () => {
    const { world } = setup();
    expect(world.attempt({ client: 'alice', endpoint: '192.0.2.10:9' }).outcome).toBe('unknown-endpoint');
  });

  it('ACCESS, CONNECTED, then CLOSED after the session, all under one connectionId with the client as source', () => {
    const { clock, world } = setup();
    const mapping = open(world);
    const result = world.attempt({ client: 'alice', endpoint: endpointOf(mapping), sessionSec: 120 });
    expect(result.outcome).toBe('session');
    expect(types(result)).toEqual(['ACCESS', 'CONNECTED', 'CLOSED']);
    expect(new Set(result.events.map((event) => event.connectionId)).size).toBe(1);
    expect(result.events[0]?.direction).toMatchObject({ sourceIPAddress: '203.0.113.10', destinationIPAddress: '10.128.1.2', destinationPort: 22 });
    // Events are dated as they happen: CONNECTED a few ms after ACCESS, CLOSED two minutes ahead.
    expect(world.auditEvents().map((event) => event.type)).toEqual(['ACCESS', 'CREATED']);
    clock.advance(ASSUMPTIONS.accessToVerdictMs);
    expect(world.auditEvents().map((event) => event.type)).toEqual(['CONNECTED', 'ACCESS', 'CREATED']);
    clock.advance(121_000);
    expect(world.auditEvents().map((event) => event.type)).toEqual(['CLOSED', 'CONNECTED', 'ACCESS', 'CREATED']);
  });

  it('the hostname works as well as the IP address', () => {
    const { world } = setup();
    const mapping = open(world);
    expect(world.attempt({ client: 'alice', endpoint: `${mapping.hostname}:${mapping.port}` }).outcome).toBe('session');
  });

  it('DENIED (then CLOSED) from an address outside source.ipRanges', () => {
    const { world } = setup();
    const mapping = open(world);
    const result = world.attempt({ client: 'mallory', endpoint: endpointOf(mapping) });
    expect(result.outcome).toBe('denied');
    expect(types(result)).toEqual(['ACCESS', 'DENIED', 'CLOSED']);
    expect(result.events[1]?.direction.sourceIPAddress).toBe('198.51.100.66');
  });

  it('DENIED after the mapping expired, and after it was deleted', () => {
    const { clock, world } = setup();
    const expiring = open(world, { durationSec: 60 });
    const deleted = open(world);
    world.deleteMapping(deleted.ipAddress, deleted.port);
    clock.advance(61_000);
    const late = world.attempt({ client: 'alice', endpoint: endpointOf(expiring) });
    const gone = world.attempt({ client: 'alice', endpoint: endpointOf(deleted) });
    expect([late.outcome, gone.outcome]).toEqual(['denied', 'denied']);
    expect(late.reason).toContain('expired');
    expect(gone.reason).toContain('deleted');
  });

  it('REFUSED after five DENIED from one address within a minute; the block lifts after ten minutes', () => {
    const { clock, world } = setup();
    const mapping = open(world);
    const outcomes: string[] = [];
    for (let i = 0; i < 7; i += 1) {
      outcomes.push(world.attempt({ client: 'mallory', endpoint: endpointOf(mapping) }).outcome);
      clock.advance(5_000);
    }
    expect(outcomes).toEqual(['denied', 'denied', 'denied', 'denied', 'denied', 'refused', 'refused']);
    const refused = world.attempt({ client: 'mallory', endpoint: endpointOf(mapping) });
    expect(types(refused)).toEqual(['ACCESS', 'REFUSED', 'CLOSED']);
    // Alice is not affected by Mallory's block.
    expect(world.attempt({ client: 'alice', endpoint: endpointOf(mapping) }).outcome).toBe('session');
    clock.advance(ASSUMPTIONS.refuseBlockMs);
    expect(world.attempt({ client: 'mallory', endpoint: endpointOf(mapping) }).outcome).toBe('denied');
  });

  it('spaced-out DENIED never turn into REFUSED', () => {
    const { clock, world } = setup();
    const mapping = open(world);
    for (let i = 0; i < 8; i += 1) {
      expect(world.attempt({ client: 'mallory', endpoint: endpointOf(mapping) }).outcome).toBe('denied');
      clock.advance(30_000);
    }
  });

  it('offline SIM: ACCESS then CLOSED, no CONNECTED', () => {
    const { world } = setup({ online: false });
    const mapping = open(world);
    const result = world.attempt({ client: 'alice', endpoint: endpointOf(mapping) });
    expect(result.outcome).toBe('device-offline');
    expect(types(result)).toEqual(['ACCESS', 'CLOSED']);
  });

  it('TLS on an SSH mapping: CONNECTED with tls=true, CLOSED after the first exchange (two round trips)', () => {
    const { world } = setup();
    const mapping = open(world, { tlsRequired: true });
    const result = world.attempt({ client: 'alice', endpoint: endpointOf(mapping) });
    expect(types(result)).toEqual(['ACCESS', 'CONNECTED', 'CLOSED']);
    expect(result.events.every((event) => event.tls)).toBe(true);
    expect(result.reason).toBe('tls-on-non-tls-protocol');
    const [, connected, closed] = result.events;
    expect((closed?.createdAt ?? 0) - (connected?.createdAt ?? 0)).toBe(2 * ASSUMPTIONS.deviceRoundTripMs);
  });

  it('TLS on an HTTP mapping works', () => {
    const { world } = setup();
    const mapping = open(world, { tlsRequired: true, devicePort: 80 });
    expect(world.attempt({ client: 'alice', endpoint: endpointOf(mapping) }).outcome).toBe('session');
  });

  // CONNECTED is written once Napter admits the client and starts forwarding (ASSUMPTIONS.connectedBeforeDeviceAnswers);
  // CLOSED follows when the device resets or hangs up (about a round trip), or when Napter gives up on a silent one.
  const roundTrip = ASSUMPTIONS.deviceRoundTripMs;
  const deviceCases: [string, Partial<SimSpec>, string, number][] = [
    ['port closed', { device: { services: [{ port: 22, protocol: 'ssh', state: 'stopped' }] } }, 'port-closed', roundTrip],
    ['firewall rejects', { device: { services: [{ port: 22, protocol: 'ssh' }], firewall: { policy: 'reject', allow: [{ sources: ['192.168.0.0/16'] }] } } }, 'firewall-reject', roundTrip],
    ['firewall drops', { device: { services: [{ port: 22, protocol: 'ssh' }], firewall: { policy: 'drop', allow: [{ sources: ['192.168.0.0/16'] }] } } }, 'firewall-drop', ASSUMPTIONS.napterDeviceConnectTimeoutMs],
    ['reply via Wi-Fi', { device: { services: [{ port: 22, protocol: 'ssh' }], defaultRoute: 'wifi' } }, 'reply-via-other-interface', ASSUMPTIONS.napterDeviceConnectTimeoutMs],
    ['application closes', { device: { services: [{ port: 22, protocol: 'ssh', state: 'accepts-then-closes' }] } }, 'application-closes', 2 * roundTrip],
    ['application rejects', { device: { services: [{ port: 22, protocol: 'ssh', state: 'rejects-clients' }] } }, 'application-rejects-client', 2 * roundTrip],
  ];
  it.each(deviceCases)('%s: CONNECTED, then CLOSED when the device ends it (%#)', (_name, sim, reason, closedAfterMs) => {
    const { world } = setup(sim);
    const mapping = open(world);
    const result = world.attempt({ client: 'alice', endpoint: endpointOf(mapping) });
    expect(result.outcome).toBe('closed-by-device');
    expect(result.reason).toContain(reason);
    expect(types(result)).toEqual(['ACCESS', 'CONNECTED', 'CLOSED']);
    const [, connected, closed] = result.events;
    expect((closed?.createdAt ?? 0) - (connected?.createdAt ?? 0)).toBe(closedAfterMs);
  });

  it('a world sets its own Napter connect timeout for a device that never answers', () => {
    const { world } = setup({ device: { services: [{ port: 22, protocol: 'ssh' }], defaultRoute: 'wifi' } });
    world.setOptions({ napterConnectTimeoutMs: 21_000 });
    const result = world.attempt({ client: 'alice', endpoint: endpointOf(open(world)) });
    const [, connected, closed] = result.events;
    expect((closed?.createdAt ?? 0) - (connected?.createdAt ?? 0)).toBe(21_000);
  });

  it('another service on the port hangs up on a client speaking the wrong protocol', () => {
    const { world } = setup({ device: { services: [{ port: 22, protocol: 'tcp' }] } });
    const mapping = open(world);
    expect(world.attempt({ client: 'alice', endpoint: endpointOf(mapping), protocol: 'ssh' }).reason).toBe('protocol-mismatch');
    expect(world.attempt({ client: 'alice', endpoint: endpointOf(mapping) }).outcome).toBe('session');
  });
});

describe('World: audit log retention and visibility', () => {
  it('keeps 24 hours without the option, 366 days with it', () => {
    const { clock, world } = setup();
    open(world);
    clock.advance(24 * 3_600_000 + 1);
    expect(world.auditEvents().filter((event) => event.type === 'CREATED')).toHaveLength(0);
    world.setOptions({ auditLogRetentionOption: true });
    expect(world.auditEvents().filter((event) => event.type === 'CREATED')).toHaveLength(1);
    world.setOptions({ auditLogRetentionOption: false });
    world.setOptions({ auditLogRetentionOption: true });
    // Turning the option off discarded the older history for good.
    expect(world.auditEvents().filter((event) => event.type === 'CREATED')).toHaveLength(0);
  });

  it('filters by IMSI and by from/to (inclusive, milliseconds)', () => {
    const { clock, world } = setup();
    const first = open(world);
    clock.advance(1000);
    open(world);
    const all = world.auditEvents({ imsi: GATEWAY.imsi });
    expect(all).toHaveLength(2);
    expect(world.auditEvents({ imsi: GATEWAY.imsi, fromMs: first.createdAtMs + 1 })).toHaveLength(1);
    expect(world.auditEvents({ imsi: GATEWAY.imsi, toMs: first.createdAtMs })).toHaveLength(1);
    expect(world.auditEvents({ imsi: '440103000000999' })).toHaveLength(0);
  });

  it('hides events younger than the ingest delay', () => {
    const { clock, world } = setup();
    world.setOptions({ auditLogIngestDelayMs: 120_000 });
    open(world);
    expect(world.auditEvents()).toHaveLength(0);
    clock.advance(120_000);
    expect(world.auditEvents()).toHaveLength(1);
  });

  describe('per-SIM ingest delay', () => {
    const LATE: SimSpec = {
      simId: '8942310099000000002',
      imsi: '440103000000002',
      additionalImsis: ['295050000000002'],
      name: 'gw-late-01',
      ueIpAddress: '10.128.1.3',
      auditLogIngestDelayMs: 120_000,
    };
    const openOn = (world: World, imsi: string): MappingState => {
      const created = world.createMapping({ target: { imsi }, devicePort: 22, durationSec: 1800, sourceIpRanges: ['203.0.113.10/32'] });
      if (!created.ok) throw new Error(created.error.message);
      return created.value;
    };

    it('delays only the events of the SIM that has it, under every one of its IMSIs', () => {
      const { clock, world } = setup();
      world.addSim(LATE);
      const prompt = open(world);
      const late = openOn(world, LATE.imsi);
      const lateSecondary = openOn(world, '295050000000002');
      const attempt = world.attempt({ client: 'alice', endpoint: endpointOf(prompt), sessionSec: 30 });
      world.attempt({ client: 'alice', endpoint: endpointOf(late), sessionSec: 30 });
      clock.advance(1000);
      expect(world.auditEvents({ imsi: GATEWAY.imsi }).map((event) => [event.type, event.connectionId])).toEqual([
        ['CONNECTED', attempt.connectionId],
        ['ACCESS', attempt.connectionId],
        ['CREATED', prompt.id],
      ]);
      expect(world.auditEvents({ imsi: LATE.imsi })).toEqual([]);
      expect(world.auditEvents({ imsi: '295050000000002' })).toEqual([]);
      expect(world.auditEvents().every((event) => event.imsi === GATEWAY.imsi)).toBe(true);

      clock.advance(120_000);
      expect(world.auditEvents({ imsi: LATE.imsi }).map((event) => event.type)).toEqual(['CONNECTED', 'ACCESS', 'CREATED']);
      expect(world.auditEvents({ imsi: '295050000000002' }).map((event) => event.connectionId)).toEqual([lateSecondary.id]);
    });

    it('takes the world option as the default and lets a SIM override it, even with 0', () => {
      const { world } = setup();
      world.addSim({ ...LATE, auditLogIngestDelayMs: 0 });
      world.setOptions({ auditLogIngestDelayMs: 60_000 });
      open(world);
      openOn(world, LATE.imsi);
      expect(world.auditEvents().map((event) => event.imsi)).toEqual([LATE.imsi]);
    });

    it('can be set and cleared on an existing SIM', () => {
      const { world } = setup();
      expect(world.sim(GATEWAY.simId).auditLogIngestDelayMs).toBeNull();
      world.updateSim(GATEWAY.simId, { auditLogIngestDelayMs: 30_000 });
      open(world);
      expect(world.auditEvents()).toEqual([]);
      world.updateSim(GATEWAY.simId, { auditLogIngestDelayMs: null });
      expect(world.auditEvents()).toHaveLength(1);
    });
  });
});

describe('World: probes', () => {
  const waitFirst = { payload: Buffer.alloc(0), mode: 'wait_first' as const, timeoutMs: 5000 };

  it('wait_first gets the SSH banner of a serving port and is refused by a closed one', () => {
    const { world } = setup();
    expect(world.downlinkTcp(GATEWAY.simId, { port: 22, ...waitFirst })).toMatchObject({ ok: true });
    expect(world.downlinkTcp(GATEWAY.simId, { port: 8080, ...waitFirst })).toMatchObject({
      ok: false,
      message: ASSUMPTIONS.downlinkMessages.refused,
      elapsedMs: ASSUMPTIONS.deviceRoundTripMs,
    });
  });

  it('the probe comes from the platform, so a device routing 100.127/16 by cellular answers it despite a Wi-Fi default route', () => {
    const { world } = setup({ device: { services: [{ port: 22, protocol: 'ssh' }], defaultRoute: 'wifi', routes: [{ cidr: '100.127.0.0/16', via: 'cellular' }] } });
    expect(world.downlinkTcp(GATEWAY.simId, { port: 22, ...waitFirst }).ok).toBe(true);
    const { world: plain } = setup({ device: { services: [{ port: 22, protocol: 'ssh' }], defaultRoute: 'wifi' } });
    expect(plain.downlinkTcp(GATEWAY.simId, { port: 22, ...waitFirst })).toMatchObject({ ok: false, elapsedMs: 5000 });
  });

  it('an offline SIM fails the probe and the ping', () => {
    const { world } = setup({ online: false });
    expect(world.downlinkTcp(GATEWAY.simId, { port: 22, ...waitFirst })).toMatchObject({ ok: false, message: ASSUMPTIONS.downlinkMessages.offline });
    expect(world.ping(GATEWAY.simId, 3)).toMatchObject({ success: false, received: 0, transmitted: 3 });
  });

  it('ping succeeds on an online device that answers ICMP', () => {
    const { world } = setup();
    expect(world.ping(GATEWAY.simId, 2)).toMatchObject({ success: true, received: 2, rttMs: ASSUMPTIONS.pingRttMs });
    world.setDevice(GATEWAY.simId, { respondsToPing: false });
    expect(world.ping(GATEWAY.simId, 1).success).toBe(false);
  });
});

describe('World: state', () => {
  it('round-trips through JSON and stays deterministic', () => {
    const { clock, world } = setup();
    open(world);
    const copy = new World(clock);
    copy.replaceState(JSON.parse(JSON.stringify(world.snapshot())));
    expect(endpointOf(open(copy))).toBe(endpointOf(open(world)));
    expect(copy.auditEvents()).toEqual(world.auditEvents());
  });

  it('going offline records the previous session', () => {
    const { clock, world } = setup();
    clock.advance(1000);
    const sim = world.setOnline(GATEWAY.simId, false);
    expect(sim.previousSession?.deletedTime).toBe(T0 + 1000);
    expect(sim.previousSession?.ueIpAddress).toBe('10.128.1.2');
  });

  it('refuses duplicate SIMs and unknown clients with typed errors', () => {
    const { world } = setup();
    expect(() => world.addSim(GATEWAY)).toThrow(/already exists/);
    expect(() => world.attempt({ client: 'nobody', endpoint: '192.0.2.10:1' })).toThrow(/No client "nobody"/);
  });
});
