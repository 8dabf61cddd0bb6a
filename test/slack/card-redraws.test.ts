import { WebClient } from '@slack/web-api';
import type { HeldCall } from '../../src/slack-fake/index';
import { ACTION_IDS, METADATA_EVENT_TYPES } from '../../src/slack/ids';
import type { StoredMapping } from '../../src/use-cases/ports/store';
import { ALICE, ALICE_IP, MIN, OPS, startHarnessWithAlice } from '../support/alice';
import type { Harness } from '../support/harness';
import { clickable, expectChannelsNeverSaw, textOf } from '../support/slack-views';

/**
 * Two redraws of one channel card, finishing in the order that used to leave the older state showing: a watch's
 * redraw whose `chat.update` Slack answers last (held by the fake), and an Extend's or a close's redraw asked for
 * meanwhile. The card must end showing the store as it is: the newest owner, closed when closed.
 */
let h: Harness;
beforeEach(async () => {
  h = await startHarnessWithAlice();
});
afterEach(async () => {
  await h.close();
});

async function open(): Promise<StoredMapping> {
  await h.driver.command(`open demo-healthy ssh for 45m from ${ALICE_IP}`, { userId: ALICE, channelId: OPS });
  await h.settle();
  const [stored] = await h.store.mappings.list({ activeAtMs: h.clock.nowMs() });
  if (stored?.card === undefined) throw new Error('No mapping with a card');
  await h.runJobs();
  return stored;
}

function onlyCard() {
  const cards = h.slack.channelMessages(OPS).filter((message) => message.metadata?.event_type === METADATA_EVENT_TYPES.mappingCard);
  expect(cards).toHaveLength(1);
  const [card] = cards;
  if (card === undefined) throw new Error('No card');
  return card;
}

/**
 * Alice reaches `mapping`: the next poll redraws its card, and Slack holds that `chat.update` unanswered. Resolves
 * once it is held; `polled` once the poll's jobs are done (after the release).
 */
async function watchRedrawHeld(mapping: StoredMapping): Promise<{ hold: HeldCall; polled: Promise<number> }> {
  h.sim.world.attempt({ client: 'alice', endpoint: `${mapping.ipAddress}:${mapping.port}`, sessionSec: 45 });
  h.clock.advance(30_000);
  const hold = h.slack.faults.holdNext('chat.update');
  const polled = h.runJobs();
  await hold.reached;
  return { hold, polled };
}

/** A mapping 40 minutes in, with its card, and the reminder that carries Extend. */
async function openedAndReminded() {
  const first = await open();
  h.clock.advance(40 * MIN);
  await h.runJobs();
  const reminder = h.slack
    .callsTo('chat.postMessage')
    .filter((call) => call.args['channel'] === ALICE && JSON.stringify(call.args['blocks']).includes(ACTION_IDS.extend))
    .map((call) => h.slack.findMessage(String(call.response['channel']), String(call.response['ts'])))
    .at(-1);
  if (reminder === undefined) throw new Error('No reminder');
  return { first, reminder };
}

/** Real time, bounded: until the store shows what the click did (its work runs after the ack). */
async function untilStored(check: () => Promise<boolean>): Promise<void> {
  for (let tries = 0; !(await check()); tries += 1) {
    if (tries > 500) throw new Error('The store never showed it');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * A click whose work is done, or waits for its card redraw's turn behind the held one: the card's updates go one at
 * a time, so nothing shows that it waits, and a short real wait stands for it. Whatever this wait, a correct app
 * ends with the same card; only an app whose redraws overtake each other needs it, to show its wrong card.
 */
const doneOrWaiting = (clicked: Promise<unknown>) => Promise.race([clicked.then(() => h.settle()), new Promise((resolve) => setTimeout(resolve, 500))]);

describe('redraws of one card finishing in either order', () => {
  it("an old mapping's watch redraw answered after the Extend's cannot leave the card describing the old mapping", async () => {
    const { first, reminder } = await openedAndReminded();
    // The old mapping's watch draws the card (1 reached), and Slack has not applied it yet when Alice extends.
    const { hold, polled } = await watchRedrawHeld(first);
    const clicked = h.driver.clickButton({ userId: ALICE, message: clickable(reminder), actionId: ACTION_IDS.extend });
    await untilStored(async () => (await h.store.mappings.get(first.id))?.card === undefined);
    await doneOrWaiting(clicked);
    hold.release();
    await Promise.all([polled, clicked]);
    await h.settle();

    const second = await h.store.mappings.findByCard(first.card ?? { channelId: '', ts: '' });
    expect(second?.id).toBeDefined();
    expect(second?.id).not.toBe(first.id);
    const card = onlyCard();
    expect(card.metadata?.event_payload).toMatchObject({ mapping_id: second?.id, state: 'open', expires_at_ms: second?.expiresAtMs });
    expect(textOf(card)).not.toContain(first.id);
    expect(textOf(card)).toContain(ACTION_IDS.closeNow);
    if (second !== undefined) expectChannelsNeverSaw(h.slack, second);
    expectChannelsNeverSaw(h.slack, first);
  });

  it("a watch redraw answered after the close's cannot show a closed mapping as open", async () => {
    const mapping = await open();
    const { hold, polled } = await watchRedrawHeld(mapping);
    // Alice closes it from the card as Slack still shows it (open, with Close now).
    const clicked = h.driver.clickButton({ userId: ALICE, message: clickable(onlyCard()), actionId: ACTION_IDS.closeNow });
    await untilStored(async () => (await h.store.mappings.get(mapping.id))?.closed !== undefined);
    await doneOrWaiting(clicked);
    hold.release();
    await Promise.all([polled, clicked]);
    await h.settle();

    const card = onlyCard();
    expect(card.metadata?.event_payload).toMatchObject({ mapping_id: mapping.id, state: 'closed', closed_by: ALICE });
    expect(textOf(card)).not.toContain(ACTION_IDS.closeNow);
    // What the watch saw stays on the closed card.
    expect(textOf(card)).toMatch(/1 reached · 1 connected/);
    expectChannelsNeverSaw(h.slack, mapping);
  });

  it('a redraw asked with the card as the old mapping had it draws it, at its turn, for the mapping that owns it then', async () => {
    const { first, reminder } = await openedAndReminded();
    const card = first.card ?? { channelId: '', ts: '' };
    const client = new WebClient(h.botToken, { slackApiUrl: h.slack.apiUrl, retryConfig: { retries: 0 } });
    const updatesBefore = h.slack.callsTo('chat.update').length;
    const { hold, polled } = await watchRedrawHeld(first);
    // Asked before the Extend, as the old mapping's card: its turn comes after the card moved.
    const asked = h.deps.cards.redraw(client, card);
    const clicked = h.driver.clickButton({ userId: ALICE, message: clickable(reminder), actionId: ACTION_IDS.extend });
    await untilStored(async () => (await h.store.mappings.get(first.id))?.card === undefined);
    await doneOrWaiting(clicked);
    hold.release();
    await Promise.all([polled, clicked, asked]);
    await h.settle();

    const second = await h.store.mappings.findByCard(card);
    const sent = h.slack
      .callsTo('chat.update')
      .slice(updatesBefore)
      .map((call) => (call.args['metadata'] as { event_payload?: { mapping_id?: string } } | undefined)?.event_payload?.mapping_id);
    // The held one (drawn before the move) for the old mapping, then only the new owner; the same card not sent twice.
    expect(sent).toEqual([first.id, second?.id]);
    expect(onlyCard().metadata?.event_payload).toMatchObject({ mapping_id: second?.id, state: 'open' });

    // A message no mapping owns is left alone.
    await h.deps.cards.redraw(client, { channelId: OPS, ts: '1.000001' });
    expect(h.slack.callsTo('chat.update').slice(updatesBefore)).toHaveLength(2);
  });
});
