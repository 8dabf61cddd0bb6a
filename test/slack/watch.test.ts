import { METADATA_EVENT_TYPES } from '../../src/slack/ids';
import type { StoredMapping } from '../../src/use-cases/ports/store';
import { ALICE, ALICE_IP, OPS, startHarnessWithAlice } from '../support/alice';
import type { Harness } from '../support/harness';
import { expectChannelsNeverSaw } from '../support/slack-views';

/**
 * Watching after the open, end to end on the test's clock: the real scheduler's jobs (run by the test, as the
 * app's loop would), the real client reading the simulator's operator-wide audit log, the fake Slack showing
 * what the requester (a DM) and the channel (the card, rewritten in place) saw.
 */
const POLL_MS = 30_000;

let h: Harness;
beforeEach(async () => {
  h = await startHarnessWithAlice();
  h.sim.world.addClient({ id: 'alice-phone', globalIp: '198.51.100.23' });
  h.sim.world.addClient({ id: 'scanner', globalIp: '192.0.2.200' });
});
afterEach(async () => {
  await h.close();
});

async function open(duration = '45m'): Promise<StoredMapping> {
  await h.driver.command(`open demo-healthy ssh for ${duration} from ${ALICE_IP}`, { userId: ALICE, channelId: OPS });
  await h.settle();
  const [stored] = await h.store.mappings.list({ activeAtMs: h.clock.nowMs() });
  if (stored?.card === undefined) throw new Error('No mapping with a card');
  // The first poll finds nothing yet: no notice, no redraw.
  await h.runJobs();
  return stored;
}

const endpointOf = (mapping: StoredMapping) => `${mapping.ipAddress}:${mapping.port}`;
const dms = (userId: string) => h.slack.callsTo('chat.postMessage').filter((call) => call.args['channel'] === userId);
const cardUpdates = (mapping: StoredMapping) =>
  h.slack.callsTo('chat.update').filter((call) => call.args['ts'] === mapping.card?.ts && call.args['channel'] === mapping.card?.channelId);
const textOfCall = (call: { args: Record<string, unknown> }) => `${String(call.args['text'])}\n${JSON.stringify(call.args['blocks'])}`;

async function nextPoll(): Promise<void> {
  h.clock.advance(POLL_MS);
  await h.runJobs();
}

describe('watching a mapping the bot opened', () => {
  it('an allowed attempt updates the card once and tells the requester privately', async () => {
    const mapping = await open();
    expect(cardUpdates(mapping)).toHaveLength(0);
    expect(dms(ALICE)).toHaveLength(0);

    h.sim.world.attempt({ client: 'alice', endpoint: endpointOf(mapping), sessionSec: 45 });
    await nextPoll();

    expect(dms(ALICE)).toHaveLength(1);
    expect(textOfCall(dms(ALICE)[0] ?? { args: {} })).toContain(ALICE_IP);
    expect(cardUpdates(mapping)).toHaveLength(1);
    const card = textOfCall(cardUpdates(mapping)[0] ?? { args: {} });
    expect(card).toMatch(/1 reached · 1 connected/);
    expect(card).not.toContain(ALICE_IP);
    expectChannelsNeverSaw(h.slack, mapping);

    // The session's end (CLOSED, 45 s later) is the next read's news; after it nothing is new: nothing said, nothing redrawn.
    await nextPoll();
    expect(dms(ALICE)).toHaveLength(2);
    expect(textOfCall(dms(ALICE)[1] ?? { args: {} })).toContain('Connections closed: 1');
    // The card's picture did not change (a close is not one of its counts): it is not sent again.
    expect(cardUpdates(mapping)).toHaveLength(1);
    await nextPoll();
    expect(dms(ALICE)).toHaveLength(2);
    expect(cardUpdates(mapping)).toHaveLength(1);
    // One read of the whole operator's log per interval, whatever is watched.
    const reads = h.sim.requests.filter((request) => request.path.startsWith('/v1/audit_logs/napter'));
    expect(reads.length).toBeLessThanOrEqual(4);
  });

  it('a denied attempt from another address of the requester tells only them, with Open again', async () => {
    const mapping = await open();
    h.sim.world.attempt({ client: 'alice-phone', endpoint: endpointOf(mapping) });
    await nextPoll();
    expect(dms(ALICE)).toHaveLength(1);
    const notice = textOfCall(dms(ALICE)[0] ?? { args: {} });
    expect(notice).toContain('198.51.100.23');
    expect(notice).toContain('napter_open_again');
    expect(cardUpdates(mapping)).toHaveLength(1);
    const card = textOfCall(cardUpdates(mapping)[0] ?? { args: {} });
    expect(card).not.toContain('198.51.100.23');
    expect(card).toContain('1 denied');
  });

  it('a refused burst collapses into one card update and one notice', async () => {
    const mapping = await open();
    for (let attempt = 0; attempt < 8; attempt += 1) {
      h.sim.world.attempt({ client: 'scanner', endpoint: endpointOf(mapping) }, h.clock.nowMs() + attempt * 1000);
    }
    await nextPoll();
    expect(cardUpdates(mapping)).toHaveLength(1);
    expect(dms(ALICE)).toHaveLength(1);
    const card = textOfCall(cardUpdates(mapping)[0] ?? { args: {} });
    expect(card).toMatch(/refused/);
    expect(card).not.toContain('192.0.2.200');
  });

  it('expiry and an outside delete update the card, with Open again and no Close now', async () => {
    const expiring = await open('10m');
    h.clock.advance(10 * 60_000 + 1000);
    await h.runJobs();
    const expired = textOfCall(cardUpdates(expiring).at(-1) ?? { args: {} });
    expect(expired).toContain('expired');
    expect(expired).toContain('napter_open_again');
    expect(expired).not.toContain('napter_close_now');
    expect(
      dms(ALICE)
        .map(textOfCall)
        .some((text) => text.includes('expired')),
    ).toBe(true);

    const deleted = await open('1h');
    const response = await fetch(`${h.sim.baseUrl}/_sim/mappings/${deleted.ipAddress}/${deleted.port}`, { method: 'DELETE' });
    expect(response.status).toBe(204);
    await nextPoll();
    const card = textOfCall(cardUpdates(deleted).at(-1) ?? { args: {} });
    expect(card).toContain('deleted outside napter-bot');
    expect(card).not.toContain('napter_close_now');
    const cards = h.slack.channelMessages(OPS).filter((message) => message.metadata?.event_type === METADATA_EVENT_TYPES.mappingCard);
    expect(cards.map((message) => message.metadata?.event_payload['state'])).toEqual(['ended', 'ended']);
  });
});
