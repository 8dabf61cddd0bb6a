import { startHarness, type Harness } from '../support/harness';
import { activeWorldMappings, createCalls, expectChannelsNeverSaw, latestEphemeral, textOf } from '../support/slack-views';

/**
 * A create whose answer is lost or unreadable, work a dead process left behind: SORACOM ends up holding exactly
 * one mapping per open request, the bot knows it (row, ledger, card), and the requester hears how it ended.
 */
const ALICE = 'U0ALICE';
const OPS = 'C0OPS';
const SIM_NAME = 'demo-healthy';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

function demoSim() {
  const sim = h.sim.world.state.sims.find((candidate) => candidate.tags['name'] === SIM_NAME);
  if (sim === undefined) throw new Error('no demo SIM');
  return sim;
}

/** Active mappings on SORACOM from one source range: one per open request, never more. */
function onSoracomFrom(cidr: string) {
  return activeWorldMappings(h).filter((mapping) => mapping.simId === demoSim().simId && mapping.sourceIpRanges.includes(cidr));
}

async function open(source: string): Promise<void> {
  await h.driver.command(`open ${SIM_NAME} ssh from ${source}`, { userId: ALICE, channelId: OPS });
  await h.settle();
}

describe('a create whose answer SORACOM garbles or loses', () => {
  it.each(['malformed-json', 'wrong-shape'] as const)('a %s 2xx: the mapping is found, recorded and told; a retry reuses it', async (kind) => {
    h.sim.faults.add({ kind, method: 'POST', path: '/v1/port_mappings/sims/*', count: 1 });
    await open('203.0.113.61');
    expect(onSoracomFrom('203.0.113.61/32')).toHaveLength(1);
    const [stored] = await h.store.mappings.list({ activeAtMs: h.clock.nowMs() });
    expect(stored?.sourceCidr).toBe('203.0.113.61/32');
    expect(textOf(latestEphemeral(h.slack, ALICE, OPS))).toContain(`${stored?.port}`);

    await open('203.0.113.61');
    expect(onSoracomFrom('203.0.113.61/32')).toHaveLength(1);
    expect(textOf(latestEphemeral(h.slack, ALICE, OPS))).toContain('already admits your address');
  });

  it('a lost answer and a failed listing: the bot keeps looking, adopts the mapping SORACOM made, and tells the requester', async () => {
    h.sim.faults.add({ kind: 'commit-then-drop', method: 'POST', path: '/v1/port_mappings/sims/*', count: 1 });
    // The first listing (reuse before create) goes through; the client's own look after the lost answer fails.
    h.sim.faults.add({ kind: 'error-5xx', method: 'GET', path: `/v1/port_mappings/sims/${demoSim().simId}`, after: 1, count: 2 });
    const creates = createCalls(h);
    await open('203.0.113.62');
    expect(createCalls(h) - creates).toBe(1);
    expect(onSoracomFrom('203.0.113.62/32')).toHaveLength(1);
    const [stored] = await h.store.mappings.list({ activeAtMs: h.clock.nowMs() });
    expect(stored?.openedBy.userId).toBe(ALICE);
    expect(stored?.card).toBeDefined();
    const reply = textOf(latestEphemeral(h.slack, ALICE, OPS));
    expect(reply).toContain(`${stored?.port}`);
    expect(await h.store.inflight.list({ unsettled: true })).toEqual([]);
    expectChannelsNeverSaw(h.slack, stored ?? { ipAddress: 'x', port: 0 });

    // The user, impatient, runs it again: the adopted mapping is theirs and is reused.
    await open('203.0.113.62');
    expect(onSoracomFrom('203.0.113.62/32')).toHaveLength(1);
  });

  it('a 5xx with nothing made: no second create, the requester is told nothing was created, and a new request opens one', async () => {
    h.sim.faults.add({ kind: 'error-5xx', method: 'POST', path: '/v1/port_mappings/sims/*', count: 1 });
    const creates = createCalls(h);
    await open('203.0.113.63');
    expect(createCalls(h) - creates).toBe(1);
    expect(onSoracomFrom('203.0.113.63/32')).toHaveLength(0);
    expect(latestEphemeral(h.slack, ALICE, OPS).text).toContain('SORACOM did not create the mapping');
    expect(await h.store.inflight.list({ unsettled: true })).toEqual([]);

    await open('203.0.113.63');
    expect(onSoracomFrom('203.0.113.63/32')).toHaveLength(1);
  });

  it('an earlier open of the same parameters with an unknown outcome: its mapping is adopted, not created again', async () => {
    // A process lost the answer of a create that did go through: the row says "unknown", SORACOM holds an orphan.
    const sim = demoSim();
    const flight = await h.store.inflight.begin({
      kind: 'open',
      requestKey: 'command:T:earlier',
      teamId: h.slack.workspace.teamId,
      userId: ALICE,
      channelId: OPS,
      simId: sim.simId,
      state: 'unknown',
      params: {
        v: 1,
        devicePort: 22,
        tlsRequired: false,
        sourceCidr: '203.0.113.64/32',
        sourceKind: 'cidr',
        durationSec: 1800,
        reason: 'open',
        imsi: sim.imsi,
      },
    });
    const orphan = h.sim.world.createMapping({
      target: { simId: sim.simId },
      devicePort: 22,
      durationSec: 1800,
      tlsRequired: false,
      sourceIpRanges: ['203.0.113.64/32'],
    });
    expect(orphan.ok).toBe(true);
    const creates = createCalls(h);

    await open('203.0.113.64');
    expect(createCalls(h)).toBe(creates);
    expect(onSoracomFrom('203.0.113.64/32')).toHaveLength(1);
    expect((await h.store.inflight.get(flight.id))?.state).toBe('created');
    expect(textOf(latestEphemeral(h.slack, ALICE, OPS))).toContain('already admits your address');
  });

  it('an earlier open of the same parameters still undecided holds a new one back; once long past, it no longer does', async () => {
    const sim = demoSim();
    const flight = await h.store.inflight.begin({
      kind: 'open',
      requestKey: 'command:T:undecided',
      teamId: h.slack.workspace.teamId,
      userId: ALICE,
      channelId: OPS,
      simId: sim.simId,
      state: 'unknown',
      params: {
        v: 1,
        devicePort: 22,
        tlsRequired: false,
        sourceCidr: '203.0.113.69/32',
        sourceKind: 'cidr',
        durationSec: 1800,
        reason: 'open',
        imsi: sim.imsi,
      },
    });
    await open('203.0.113.69');
    expect(onSoracomFrom('203.0.113.69/32')).toHaveLength(0);
    expect(latestEphemeral(h.slack, ALICE, OPS).text).toContain('being opened by an earlier request');

    h.clock.advance(6 * 60 * 1000);
    await open('203.0.113.69');
    expect(onSoracomFrom('203.0.113.69/32')).toHaveLength(1);
    expect((await h.store.inflight.get(flight.id))?.state).toBe('failed');
  });
});

describe('work a dead process left behind, finished at start', () => {
  it('an open cut off during its create: the mapping it made is adopted, carded and sent to the requester', async () => {
    const sim = demoSim();
    const responseUrl = h.slack.newResponseUrl({ channelId: OPS, userId: ALICE });
    await h.store.inflight.begin({
      kind: 'open',
      requestKey: 'command:T:killed',
      teamId: h.slack.workspace.teamId,
      userId: ALICE,
      channelId: OPS,
      simId: sim.simId,
      state: 'creating',
      params: {
        v: 1,
        devicePort: 22,
        tlsRequired: false,
        sourceCidr: '203.0.113.65/32',
        sourceKind: 'cidr',
        durationSec: 1800,
        reason: 'open',
        imsi: sim.imsi,
      },
      reply: { v: 1, lang: 'en', responseUrl },
    });
    h.sim.world.createMapping({ target: { simId: sim.simId }, devicePort: 22, durationSec: 1800, tlsRequired: false, sourceIpRanges: ['203.0.113.65/32'] });

    await h.restartApp();
    await h.settle();

    expect(onSoracomFrom('203.0.113.65/32')).toHaveLength(1);
    const [stored] = await h.store.mappings.list({ activeAtMs: h.clock.nowMs() });
    expect(stored?.openedBy.userId).toBe(ALICE);
    expect(stored?.card).toBeDefined();
    const posted = h.slack.responseUrlPosts.filter((post) => post.url === responseUrl);
    expect(posted.length).toBeGreaterThan(0);
    expect(JSON.stringify(posted[posted.length - 1])).toContain(`${stored?.port}`);
    expect(await h.store.inflight.list({ unsettled: true })).toEqual([]);
  });

  it('an open cut off before its create, and one whose create made nothing: the requester hears that nothing was created', async () => {
    const sim = demoSim();
    const params = {
      v: 1,
      devicePort: 22,
      tlsRequired: false,
      sourceCidr: '203.0.113.66/32',
      sourceKind: 'cidr',
      durationSec: 1800,
      reason: 'open',
      imsi: sim.imsi,
    };
    for (const state of ['started', 'creating'] as const) {
      await h.store.inflight.begin({
        kind: 'open',
        requestKey: `command:T:${state}`,
        teamId: h.slack.workspace.teamId,
        userId: ALICE,
        channelId: OPS,
        simId: sim.simId,
        state,
        params,
        reply: { v: 1, lang: 'en' },
      });
    }
    const creates = createCalls(h);
    await h.restartApp();
    await h.settle();
    expect(createCalls(h)).toBe(creates);
    expect(onSoracomFrom('203.0.113.66/32')).toHaveLength(0);
    const told = h.slack.ephemerals({ userId: ALICE, channelId: OPS }).filter((message) => message.text.includes('Nothing was created on SORACOM'));
    expect(told).toHaveLength(2);
    expect(await h.store.inflight.list({ unsettled: true })).toEqual([]);
  });

  it('a close cut off during its delete: the delete is finished, the card says closed, the closer is told', async () => {
    await open('203.0.113.67');
    const [stored] = await h.store.mappings.list({ activeAtMs: h.clock.nowMs() });
    if (stored === undefined || stored.card === undefined) throw new Error('no mapping with a card');
    await h.store.inflight.begin({
      kind: 'close',
      requestKey: 'click:T:killed-close',
      teamId: h.slack.workspace.teamId,
      userId: ALICE,
      channelId: OPS,
      simId: stored.simId,
      state: 'deleting',
      params: { v: 1, ipAddress: stored.ipAddress, port: stored.port, mappingId: stored.id, devicePort: 22 },
      reply: { v: 1, lang: 'en' },
    });

    await h.restartApp();
    await h.settle();

    expect(onSoracomFrom('203.0.113.67/32')).toHaveLength(0);
    expect((await h.store.mappings.get(stored.id))?.closed?.byUserId).toBe(ALICE);
    const card = h.slack.findMessage(stored.card.channelId, stored.card.ts);
    expect(card?.metadata?.event_payload['state']).toBe('closed');
    expect(latestEphemeral(h.slack, ALICE, OPS).text).toContain('Closed');
    expect(await h.store.inflight.list({ unsettled: true })).toEqual([]);
  });

  it('claims of the dead process do not block a retry', async () => {
    const sim = demoSim();
    await h.store.claims.claim(`open-lock:${h.slack.workspace.teamId}:${sim.simId}:22:false:203.0.113.68/32`, 60_000);
    await h.restartApp();
    const creates = createCalls(h);
    await open('203.0.113.68');
    expect(createCalls(h) - creates).toBe(1);
    expect(onSoracomFrom('203.0.113.68/32')).toHaveLength(1);
  });
});
