import { ManualClock } from '../../src/common/clock';
import { connectThroughMapping, describeConnection, describeDemoSim, describeDemoSims } from '../../src/local/playground-world';
import { DEMO_GUIDE, getScenario, loadDemoWorld } from '../../src/simulator/scenarios';
import { World } from '../../src/simulator/world';

const START_MS = Date.UTC(2025, 5, 2, 1, 0, 0);
const ALICE = { userName: 'alice', confirmedIp: undefined };

let clock: ManualClock;
let world: World;
beforeEach(() => {
  clock = new ManualClock(START_MS);
  world = new World(clock);
  loadDemoWorld(world, clock);
});

/** Opens a mapping as the bot does (by IMSI). */
function open(simName: string, sourceIpRanges: string[], extra: { tlsRequired?: boolean; durationSec?: number } = {}) {
  const sim = world.sim(simName);
  const created = world.createMapping({ target: { imsi: sim.sessionImsi }, devicePort: 22, sourceIpRanges, ...extra });
  if (!created.ok) throw new Error(created.error.message);
  return created.value;
}

const typesOf = (outcome: ReturnType<typeof connectThroughMapping>) => (outcome.ok ? outcome.attempt.events.map((event) => event.type) : outcome.message);

describe(':sims', () => {
  it('tells each demo SIM by its scenario, in the reader’s language, with its state in the world now', () => {
    world.setOnline('demo-healthy', false);
    const en = describeDemoSims(world, 'en');
    const ja = describeDemoSims(world, 'ja');
    for (const entry of DEMO_GUIDE) {
      expect(en.find((line) => line.startsWith(`${entry.simName} `))).toContain(entry.title.en);
      expect(ja.find((line) => line.startsWith(`${entry.simName} `))).toContain(entry.title.ja);
    }
    expect(en.find((line) => line.startsWith('demo-healthy '))).toContain('active, offline');
    expect(en.find((line) => line.startsWith('demo-inactive '))).toContain('inactive, offline');
    // The SIM the mistyped IMSI was meant for is in the world too, though no scenario is named after it.
    expect(en.some((line) => line.startsWith('gw-nagoya-01 '))).toBe(true);
  });

  it('tells one SIM’s whole story and what to type', () => {
    const story = describeDemoSim(world, 'demo-expired', 'en')?.join('\n') ?? '';
    const scenario = getScenario('mapping-expired');
    expect(story).toContain(scenario?.description.en ?? 'missing scenario');
    expect(story).toContain('/napter diagnose demo-expired');
    expect(describeDemoSim(world, 'gw-unknown', 'en')).toBeUndefined();
  });
});

describe(':connect', () => {
  it('connects through the open mapping from the one address it admits: ACCESS, CONNECTED, then CLOSED when the session ends', () => {
    const mapping = open('demo-healthy', ['203.0.113.5/32']);
    const outcome = connectThroughMapping(world, { simRef: 'demo-healthy', fromIp: undefined, sessionSec: 600 }, ALICE);
    expect(typesOf(outcome)).toEqual(['ACCESS', 'CONNECTED', 'CLOSED']);
    expect(outcome.ok && [outcome.fromIp, outcome.mapping.id, outcome.attempt.outcome]).toEqual(['203.0.113.5', mapping.id, 'session']);
    const text = describeConnection(outcome, 'alice', clock.nowMs()).join('\n');
    expect(text).toContain('the one address the mapping admits');
    expect(text).toMatch(/CLOSED \d\d:\d\d:\d\d \(in 10m: :advance/);

    // SORACOM shows what has happened so far, and the end of the session once it has come.
    const logged = () => world.auditEvents({ imsi: mapping.imsi }).filter((event) => event.direction.sourceIPAddress === '203.0.113.5').map((event) => event.type);
    clock.advance(1_000);
    expect(logged()).toEqual(['CONNECTED', 'ACCESS']);
    clock.advance(600_000);
    expect(logged()).toEqual(['CLOSED', 'CONNECTED', 'ACCESS']);
  });

  it('is denied from an address outside the source range', () => {
    open('demo-healthy', ['203.0.113.5/32']);
    const outcome = connectThroughMapping(world, { simRef: 'demo-healthy', fromIp: '198.51.100.9', sessionSec: undefined }, ALICE);
    expect(typesOf(outcome)).toEqual(['ACCESS', 'DENIED', 'CLOSED']);
    expect(outcome.ok && outcome.attempt.reason).toContain('outside source.ipRanges 203.0.113.5/32');
  });

  it('comes from the address the user confirmed, when there is one', () => {
    open('demo-healthy', ['203.0.113.5/32']);
    const outcome = connectThroughMapping(world, { simRef: 'demo-healthy', fromIp: undefined, sessionSec: undefined }, { userName: 'alice', confirmedIp: '198.51.100.20' });
    expect(outcome.ok && [outcome.fromIp, outcome.fromWhy, outcome.attempt.outcome]).toEqual(['198.51.100.20', 'the address you confirmed', 'denied']);
  });

  it('leaves to the world what TLS and the device make of it: SSH through a TLS-terminating mapping is hung up on', () => {
    open('demo-healthy', ['203.0.113.5/32'], { tlsRequired: true });
    const outcome = connectThroughMapping(world, { simRef: 'demo-healthy', fromIp: undefined, sessionSec: undefined }, ALICE);
    expect(outcome.ok && outcome.attempt.outcome).toBe('closed-by-device');
    expect(typesOf(outcome)).toEqual(['ACCESS', 'CONNECTED', 'CLOSED']);
    expect(outcome.ok && outcome.attempt.events.every((event) => event.tls)).toBe(true);
  });

  it('uses the endpoint the user still has once the mapping expired: Napter denies it', () => {
    open('demo-healthy', ['203.0.113.5/32'], { durationSec: 60 });
    clock.advance(120_000);
    const outcome = connectThroughMapping(world, { simRef: 'demo-healthy', fromIp: undefined, sessionSec: undefined }, ALICE);
    expect(typesOf(outcome)).toEqual(['ACCESS', 'DENIED', 'CLOSED']);
    expect(outcome.ok && outcome.attempt.reason).toBe('the mapping expired');
  });

  it('says when a late audit log will show the events', () => {
    open('demo-no-evidence', ['203.0.113.5/32']);
    const outcome = connectThroughMapping(world, { simRef: 'demo-no-evidence', fromIp: undefined, sessionSec: undefined }, ALICE);
    expect(outcome.ok && outcome.ingestDelayMs).toBeGreaterThan(0);
    expect(describeConnection(outcome, 'alice', clock.nowMs()).join('\n')).toMatch(/ACCESS \d\d:\d\d:\d\d \(in \d+m: :advance[\s\S]*reach the audit log/);
  });

  it('explains what is missing instead of inventing a connection', () => {
    expect(typesOf(connectThroughMapping(world, { simRef: 'gw-nagoya-01', fromIp: undefined, sessionSec: undefined }, ALICE))).toContain('/napter open gw-nagoya-01 first');
    expect(typesOf(connectThroughMapping(world, { simRef: 'nope', fromIp: undefined, sessionSec: undefined }, ALICE))).toContain('No SIM "nope"');
    open('demo-healthy', ['203.0.113.0/28']);
    expect(typesOf(connectThroughMapping(world, { simRef: 'demo-healthy', fromIp: undefined, sessionSec: undefined }, ALICE))).toContain('admits 203.0.113.0/28');
    expect(typesOf(connectThroughMapping(world, { simRef: 'demo-healthy', fromIp: '10.0.0.5', sessionSec: undefined }, ALICE))).toContain('not a global IP address');
    const before = world.state.events.length;
    connectThroughMapping(world, { simRef: 'demo-healthy', fromIp: '10.0.0.5', sessionSec: undefined }, ALICE);
    expect(world.state.events.length).toBe(before);
  });
});
