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
import { T0 } from './helpers';

/** What the diagnosis reads as "the connection ended at once" (PRODUCT.md §3, device-side verdicts). */
const AT_ONCE_MS = 1000;
const NON_TLS_PORTS = [22, 3389];

interface Evidence {
  readonly world: World;
  readonly events: AuditEventState[];
  readonly oldestFirst: AuditEventState[];
  readonly simFound: boolean;
  readonly probe: 'open' | 'failed' | 'not-run';
}

function gather(world: World, scenario: Scenario): Evidence {
  const sim = world.findSim(scenario.diagnoseSimRef);
  const events = sim === undefined ? [] : world.auditEvents({ imsi: sim.sessionImsi });
  let probe: Evidence['probe'] = 'not-run';
  if (sim !== undefined && sim.online && scenario.devicePort !== undefined) {
    probe = world.probeTcp(sim.simId, scenario.devicePort).ok ? 'open' : 'failed';
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

/** The evidence each verdict needs, as PRODUCT.md §3 states it. */
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
    expect(types.slice(expiredAt)).toContain('DENIED');
    expect(types.slice(expiredAt)).not.toContain('CONNECTED');
    const listed = world.listMappings({ imsiPrioritizedFor: world.sim(scenario.diagnoseSimRef).sessionImsi });
    expect(listed.map((mapping) => mapping.end)).toEqual(['expired']);
  },
  'tls-on-non-tls-protocol': ({ world, events }, scenario) => {
    const [mapping] = world.listMappings({ imsiPrioritizedFor: world.sim(scenario.diagnoseSimRef).sessionImsi });
    expect(mapping?.tlsRequired).toBe(true);
    expect(NON_TLS_PORTS).toContain(mapping?.devicePort);
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
  'device-side-problem': ({ events, probe }) => {
    expect(probe).toBe('open');
    const durations = connectedDurations(events);
    expect(durations.length).toBeGreaterThan(0);
    expect(durations.every((ms) => ms < AT_ONCE_MS)).toBe(true);
    expect(events.filter((event) => event.type === 'CONNECTED').every((event) => !(event.tls && NON_TLS_PORTS.includes(event.direction.destinationPort ?? 0)))).toBe(true);
  },
  'device-port-closed': ({ events, probe }) => {
    expect(probe).toBe('failed');
    expect(connectedDurations(events).every((ms) => ms < AT_ONCE_MS)).toBe(true);
  },
  healthy: ({ events, probe }) => {
    expect(probe).toBe('open');
    const durations = connectedDurations(events);
    expect(durations.length).toBeGreaterThan(0);
    expect(durations.every((ms) => ms >= 60_000)).toBe(true);
    expect(typesOf(events)).not.toContain('DENIED');
  },
  'insufficient-evidence': ({ world, events }, scenario) => {
    expect(events).toEqual([]);
    expect(world.listMappings({ imsiPrioritizedFor: world.sim(scenario.diagnoseSimRef).sessionImsi })[0]?.end).toBe('active');
  },
};

describe('scenario catalog', () => {
  it('covers every verdict id, with unique ids and unique demo names that are not prefixes of each other', () => {
    expect(new Set(SCENARIOS.map((scenario) => scenario.expectedVerdict))).toEqual(new Set(VERDICT_IDS));
    expect(new Set(SCENARIOS.map((scenario) => scenario.id)).size).toBe(SCENARIOS.length);
    const names = SCENARIOS.map((scenario) => scenario.demoSimName);
    for (const name of names) expect(names.filter((other) => other.includes(name))).toEqual([name]);
  });

  it('has several device-side scenarios (firewall, application down, wrong port, routing, rejecting application)', () => {
    expect(SCENARIOS.filter((scenario) => scenario.expectedVerdict === 'device-side-problem').length).toBeGreaterThanOrEqual(4);
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
