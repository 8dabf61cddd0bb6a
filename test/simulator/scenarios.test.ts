import { VERDICT_IDS } from '../../src/domain/diagnosis/types';
import { ManualClock, systemClock } from '../../src/common/clock';
import {
  DEMO_GUIDE,
  getScenario,
  loadDemoWorld,
  loadScenario,
  SCENARIOS,
  World,
  type AttemptResult,
  type AuditEventState,
  type Scenario,
} from '../../src/simulator';
import { probePlanFor, protocolForPort, type DeviceProtocol } from '../../src/domain/probe';
import { ASSUMPTIONS } from '../../src/simulator/assumptions';
import { T0 } from './helpers';

/** A connection that ends this soon after CONNECTED was ended by the device at once; past NORMAL_USE it was used. */
const AT_ONCE_MS = 3_000;
const NORMAL_USE_MS = 150_000;
/** Protocols behind which Napter's TLS termination breaks the connection (the spec on `tlsRequired`). */
const NOT_FOR_TLS = ['ssh', 'rdp', 'vnc', 'https'];

interface Evidence {
  readonly world: World;
  readonly events: AuditEventState[];
  readonly oldestFirst: AuditEventState[];
  readonly simFound: boolean;
  readonly probe: Scenario['expectedProbe'];
}

/**
 * What SORACOM's downlink APIs answer when spoken to in the port's protocol, read the way the spec makes
 * it readable: a 200 answers; a failure after the whole wait is a silence (inconclusive unless the protocol
 * must answer); an earlier failure is a refusal.
 */
function probeOf(world: World, simId: string, port: number, protocol: DeviceProtocol | undefined): Scenario['expectedProbe'] {
  const plan = probePlanFor(protocol);
  const outcome =
    plan.api === 'http'
      ? world.downlinkHttp(simId, { port, method: plan.httpMethod, path: plan.path, ssl: plan.ssl, skipVerify: true })
      : world.downlinkTcp(simId, { port, payload: Buffer.from(plan.payload, plan.payloadEncoding === 'hex' ? 'hex' : 'utf8'), mode: 'wait_first', timeoutMs: 5000 });
  if (outcome.ok) return 'answered';
  const waitMs = plan.api === 'http' ? ASSUMPTIONS.httpDownlinkResponseTimeoutMs : 5000;
  if (outcome.elapsedMs < waitMs) return 'refused';
  return plan.api === 'http' || plan.expectsAnswer ? 'no-answer' : 'inconclusive';
}

function gather(world: World, scenario: Scenario): Evidence {
  const sim = world.findSim(scenario.diagnoseSimRef);
  const events = sim === undefined ? [] : world.auditEvents({ imsi: sim.sessionImsi });
  let probe: Evidence['probe'] = 'not-run';
  if (sim?.online && scenario.devicePort !== undefined) {
    probe = probeOf(world, sim.simId, scenario.devicePort, protocolForPort(scenario.devicePort, { intent: { devicePort: scenario.devicePort, protocol: scenario.protocol } }));
  }
  return { world, events, oldestFirst: [...events].reverse(), simFound: sim !== undefined, probe };
}

function connections(events: readonly AuditEventState[]): Map<string, AuditEventState[]> {
  const byId = new Map<string, AuditEventState[]>();
  for (const event of events) {
    if (['CREATED', 'DELETED', 'EXPIRED'].includes(event.type)) continue;
    byId.set(event.connectionId, [...(byId.get(event.connectionId) ?? []), event]);
  }
  return byId;
}

const typesOf = (events: readonly AuditEventState[]) => events.map((event) => event.type);

function connectedDurations(events: readonly AuditEventState[]): number[] {
  return [...connections(events).values()].flatMap((connection) => {
    const connected = connection.find((event) => event.type === 'CONNECTED');
    const closed = connection.find((event) => event.type === 'CLOSED');
    return connected && closed ? [closed.createdAt - connected.createdAt] : [];
  });
}

/** The evidence each verdict needs, as the README's evidence table states it. */
const EVIDENCE: Record<string, (evidence: Evidence, scenario: Scenario) => void> = {
  'sim-not-found': ({ world, simFound }, scenario) => {
    expect(simFound).toBe(false);
    const partial = world.state.sims.filter((sim) => (sim.tags['name'] ?? '').includes(scenario.diagnoseSimRef));
    expect(partial).toEqual([]);
  },
  'sim-inactive': ({ world }, scenario) => {
    expect(['active', 'ready']).not.toContain(world.sim(scenario.diagnoseSimRef).status);
  },
  'sim-offline': ({ world, events }, scenario) => {
    const sim = world.sim(scenario.diagnoseSimRef);
    expect(sim.status).toBe('active');
    expect(sim.online).toBe(false);
    expect(sim.previousSession).not.toBeNull();
    expect(typesOf(events)).not.toContain('CONNECTED');
  },
  'no-mapping': ({ world, events }, scenario) => {
    expect(world.listMappings({ imsiPrioritizedFor: world.sim(scenario.diagnoseSimRef).sessionImsi })).toEqual([]);
    expect(events).toEqual([]);
  },
  'mapping-expired': ({ world, oldestFirst }, scenario) => {
    const types = typesOf(oldestFirst);
    const expiredAt = types.indexOf('EXPIRED');
    expect(expiredAt).toBeGreaterThan(0);
    // Attempts after the end are DENIED, or (the guide's network case) nothing ever reached Napter at all.
    if (types.includes('ACCESS')) expect(types.slice(expiredAt)).toContain('DENIED');
    else expect(types).toEqual(['CREATED', 'EXPIRED']);
    expect(types.slice(expiredAt)).not.toContain('CONNECTED');
    const listed = world.listMappings({ imsiPrioritizedFor: world.sim(scenario.diagnoseSimRef).sessionImsi });
    expect(listed.map((mapping) => mapping.end)).toEqual(['expired']);
  },
  'tls-on-non-tls-protocol': ({ world, events }, scenario) => {
    const sim = world.sim(scenario.diagnoseSimRef);
    const [mapping] = world.listMappings({ imsiPrioritizedFor: sim.sessionImsi });
    expect(mapping?.tlsRequired).toBe(true);
    const service = sim.device.services.find((candidate) => candidate.port === mapping?.devicePort);
    expect(NOT_FOR_TLS).toContain(service?.protocol);
    const connected = events.filter((event) => event.type === 'CONNECTED');
    expect(connected.length).toBeGreaterThan(0);
    expect(connected.every((event) => event.tls)).toBe(true);
    expect(connectedDurations(events).every((ms) => ms < AT_ONCE_MS)).toBe(true);
  },
  'client-network-blocked': ({ world, events }, scenario) => {
    expect(typesOf(events)).toEqual(['CREATED']);
    expect(world.listMappings({ imsiPrioritizedFor: world.sim(scenario.diagnoseSimRef).sessionImsi })[0]?.end).toBe('active');
  },
  'source-ip-mismatch': ({ world, events }, scenario) => {
    const [mapping] = world.listMappings({ imsiPrioritizedFor: world.sim(scenario.diagnoseSimRef).sessionImsi });
    const denied = events.filter((event) => event.type === 'DENIED');
    expect(denied.length).toBeGreaterThan(0);
    expect(denied.every((event) => event.createdAt < (mapping?.expiresAtMs ?? 0))).toBe(true);
    expect(denied.map((event) => event.direction.sourceIPAddress)).not.toContain('203.0.113.10');
    expect(typesOf(events)).not.toContain('REFUSED');
    expect(typesOf(events)).not.toContain('CONNECTED');
  },
  'source-ip-refused': ({ oldestFirst }) => {
    const types = typesOf(oldestFirst);
    const firstRefused = types.indexOf('REFUSED');
    expect(firstRefused).toBeGreaterThan(0);
    expect(types.slice(0, firstRefused).filter((type) => type === 'DENIED').length).toBeGreaterThanOrEqual(5);
  },
  'device-side-problem': ({ events }, scenario) => {
    const durations = connectedDurations(events);
    expect(durations.length).toBeGreaterThan(0);
    if (scenario.expectedDeviceCause === 'no-answer') {
      // Each connection hung until Napter gave up on a device that never answered.
      expect(durations.every((ms) => ms === ASSUMPTIONS.napterDeviceConnectTimeoutMs + 0)).toBe(true);
    } else {
      expect(durations.every((ms) => ms < AT_ONCE_MS)).toBe(true);
    }
    expect(events.filter((event) => event.type === 'CONNECTED').every((event) => !event.tls || scenario.devicePort === 8080)).toBe(true);
  },
  'device-port-closed': ({ events, probe }) => {
    expect(['refused', 'no-answer']).toContain(probe);
    expect(typesOf(events)).not.toContain('CONNECTED');
  },
  healthy: ({ events }) => {
    const durations = connectedDurations(events);
    expect(durations.length).toBeGreaterThan(0);
    expect(durations.every((ms) => ms >= NORMAL_USE_MS)).toBe(true);
    expect(typesOf(events)).not.toContain('DENIED');
  },
  'insufficient-evidence': ({ world, events }, scenario) => {
    // Nothing in the log yet, or only the mapping's own CREATED: nobody has tried.
    expect(typesOf(events).filter((type) => type !== 'CREATED')).toEqual([]);
    const [mapping] = world.listMappings({ imsiPrioritizedFor: world.sim(scenario.diagnoseSimRef).sessionImsi });
    expect(mapping?.end).toBe('active');
    expect(world.clock.nowMs() - (mapping?.createdAtMs ?? 0)).toBeLessThan(5 * 60_000);
  },
};

describe('scenario catalog', () => {
  it('covers every verdict id, with unique ids and unique demo names that are not prefixes of each other', () => {
    expect(new Set(SCENARIOS.map((scenario) => scenario.expectedVerdict))).toEqual(new Set(VERDICT_IDS));
    expect(new Set(SCENARIOS.map((scenario) => scenario.id)).size).toBe(SCENARIOS.length);
    const names = SCENARIOS.map((scenario) => scenario.demoSimName);
    for (const name of names) expect(names.filter((other) => other.includes(name))).toEqual([name]);
  });

  it('has several device-side scenarios (firewall, application down, wrong port, routing, rejecting application), each naming what the device did', () => {
    const deviceSide = SCENARIOS.filter((scenario) => scenario.expectedVerdict === 'device-side-problem');
    expect(deviceSide.length).toBeGreaterThanOrEqual(5);
    expect(deviceSide.filter((scenario) => scenario.expectedDeviceCause === undefined)).toEqual([]);
    expect(new Set(deviceSide.map((scenario) => scenario.expectedDeviceCause))).toEqual(new Set(['refused', 'no-answer', 'closed-at-once']));
  });

  it('has a healthy scenario for every protocol the probe speaks, and one for a port that waits for its client', () => {
    const healthyPorts = SCENARIOS.filter((scenario) => scenario.expectedVerdict === 'healthy').map((scenario) => scenario.devicePort);
    expect(healthyPorts).toEqual(expect.arrayContaining([22, 80, 443, 3389, 5900, 502]));
    expect(SCENARIOS.find((scenario) => scenario.devicePort === 502)?.expectedProbe).toBe('inconclusive');
  });

  it('uses only documentation ranges for global client addresses and 19/15-digit identities', () => {
    for (const scenario of SCENARIOS) {
      for (const client of scenario.world.clients ?? []) expect(client.globalIp).toMatch(/^(192\.0\.2|198\.51\.100|203\.0\.113)\./);
      for (const sim of scenario.world.sims ?? []) {
        expect(sim.simId).toMatch(/^\d{19}$/);
        expect(sim.imsi).toMatch(/^\d{15}$/);
        if (sim.ueIpAddress !== undefined) expect(sim.ueIpAddress).toMatch(/^10\./);
      }
    }
  });

  it('sets no world-level ingest delay, which would delay every SIM of the demo world', () => {
    for (const scenario of SCENARIOS) expect({ id: scenario.id, options: scenario.world.options?.auditLogIngestDelayMs }).toEqual({ id: scenario.id, options: undefined });
  });

  it('is plain data (survives JSON)', () => {
    expect(JSON.parse(JSON.stringify(SCENARIOS))).toEqual(SCENARIOS);
  });

  it('getScenario finds by id; loadScenario refuses an unknown id', () => {
    expect(getScenario('healthy')?.expectedVerdict).toBe('healthy');
    expect(() => loadScenario(new World(new ManualClock(T0)), 'nope')).toThrow(/No scenario "nope"/);
  });
});

describe.each(SCENARIOS.map((scenario) => [scenario.id, scenario] as const))('scenario %s', (_id, scenario) => {
  it(`replayed on a ManualClock yields the evidence for ${scenario.expectedVerdict}`, () => {
    const clock = new ManualClock(T0);
    const world = new World(clock);
    const loaded = loadScenario(world, scenario);
    expect(clock.nowMs()).toBe(loaded.endMs);
    const evidence = gather(world, scenario);
    expect(evidence.probe).toBe(scenario.expectedProbe);
    if (scenario.expectedDeviceCause !== undefined) expect(['device-side-problem', 'device-port-closed']).toContain(scenario.expectedVerdict);
    const check = EVIDENCE[scenario.expectedVerdict];
    expect(check).toBeDefined();
    check?.(evidence, scenario);
  });

  it('back-dated on the real clock yields the same events', () => {
    const manual = new World(new ManualClock(T0));
    loadScenario(manual, scenario);
    const real = new World(systemClock);
    const loaded = loadScenario(real, scenario);
    expect(loaded.endMs).toBeLessThanOrEqual(Date.now());
    expect(typesOf(gather(real, scenario).events)).toEqual(typesOf(gather(manual, scenario).events));
  });
});

describe('demo world', () => {
  it('holds one SIM per scenario under its demo name, each with its scenario own evidence', () => {
    const clock = new ManualClock(T0);
    const world = new World(clock);
    const guide = loadDemoWorld(world, clock);
    expect(guide).toBe(DEMO_GUIDE);
    expect(clock.nowMs()).toBe(T0);
    expect(world.state.clients.some((client) => /^(192\.0\.2|198\.51\.100|203\.0\.113)\./.test(client.globalIp))).toBe(true);
    for (const scenario of SCENARIOS) {
      const demoScenario: Scenario = { ...scenario, diagnoseSimRef: scenario.demoSimName };
      const evidence = gather(world, demoScenario);
      expect({ id: scenario.id, probe: evidence.probe }).toEqual({ id: scenario.id, probe: scenario.expectedProbe });
      EVIDENCE[scenario.expectedVerdict]?.(evidence, demoScenario);
    }
  });

  it('shows a live attempt on demo-healthy at once while demo-no-evidence keeps its audit log late', () => {
    const clock = new ManualClock(T0);
    const world = new World(clock);
    loadDemoWorld(world, clock);
    expect(world.state.options.auditLogIngestDelayMs).toBe(0);
    const tryLive = (simName: string): AttemptResult => {
      const created = world.createMapping({
        target: { imsi: world.sim(simName).sessionImsi },
        devicePort: 22,
        durationSec: 600,
        sourceIpRanges: ['203.0.113.10/32'],
      });
      if (!created.ok) throw new Error(created.error.message);
      return world.attempt({ client: 'alice-laptop', endpoint: `${created.value.ipAddress}:${created.value.port}`, sessionSec: 30 });
    };
    const eventsOf = (simName: string, connectionId: string | undefined) =>
      world.auditEvents({ imsi: world.sim(simName).sessionImsi }).filter((event) => event.connectionId === connectionId);

    const healthy = tryLive('demo-healthy');
    const noEvidence = tryLive('demo-no-evidence');
    expect([healthy.outcome, noEvidence.outcome]).toEqual(['session', 'session']);
    expect(eventsOf('demo-healthy', healthy.connectionId).map((event) => event.type)).toEqual(['ACCESS']);
    clock.advance(1000);
    expect(eventsOf('demo-healthy', healthy.connectionId).map((event) => event.type)).toEqual(['CONNECTED', 'ACCESS']);
    expect(world.auditEvents({ imsi: world.sim('demo-no-evidence').sessionImsi })).toEqual([]);
    clock.advance(120_000);
    expect(eventsOf('demo-no-evidence', noEvidence.connectionId).map((event) => event.type)).toEqual(['CONNECTED', 'ACCESS']);
  });
});
