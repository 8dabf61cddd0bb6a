import { postSigned } from '../../src/slack-fake/index';
import { encodeActionValue } from '../../src/slack/action-value';
import { ACTION_IDS } from '../../src/slack/ids';
import type { LedgerEntry } from '../../src/use-cases/ports/store';
import { startHarness, type Harness } from '../support/harness';
import { clickable } from '../support/slack-views';
import { onlyParent, payloadOf, replyWithButton } from '../support/threads';

/**
 * Every refusal leaves a row in the ledger, whichever command or button asked: one walk through all of them, each
 * by someone the policy refuses, each checked for a new `denied` row naming the action.
 */
const HANAKO = 'U0HANAKO';
const ALICE = 'U0ALICE';
const ADMIN = 'U0ADMIN';
const OPS = 'C0OPS';
const SIM = 'gw-yokohama-01';

// Hanako may do anything; Alice may draft tickets only for SIMs tagged `team: nobody` (which she can click, the SIM
// being read only at the submission); the workspace admin is named by no rule at all.
const POLICY = [
  'rules:',
  '  - who: { users: [U0HANAKO] }',
  '    actions: [open, list, diagnose, peek, ticket]',
  '  - who: { users: [U0ALICE] }',
  '    actions: [ticket]',
  '    sims: [{ tags: { team: nobody } }]',
  '',
].join('\n');

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ scenario: 'tls-on-ssh', policyText: POLICY });
  // What the refused clicks act on: Hanako's mapping (and its card), her diagnosis with its fixes, her capture.
  await h.driver.command(`diagnose ${SIM}`, { userId: HANAKO, channelId: OPS });
  await h.driver.command(`open ${SIM} ssh from 198.51.100.20`, { userId: HANAKO, channelId: OPS });
  await h.settle();
  const capture = replyWithButton(onlyParent(h, OPS), ACTION_IDS.startCapture);
  await h.driver.clickButton({ userId: HANAKO, message: clickable(capture), actionId: ACTION_IDS.startCapture });
  await h.settle();
});
afterAll(async () => {
  await h.close();
});

async function denials(userId: string): Promise<LedgerEntry[]> {
  return (await h.store.ledger.list({ userId, limit: 1000 })).filter((entry) => entry.kind === 'denied');
}

/** Does `act` as `userId`, and expects `count` new denials of `action` in the ledger (one per mapping refused). */
async function expectDenied(userId: string, action: string, act: () => Promise<unknown>, count = 1): Promise<void> {
  const before = await denials(userId);
  await act();
  await h.settle();
  const after = await denials(userId);
  const added = after.slice(0, after.length - before.length);
  expect(added.map((entry) => entry.details?.['action'])).toEqual(Array.from({ length: count }, () => action));
  expect(added[0]).toMatchObject({ teamId: h.slack.workspace.teamId, userId, channelId: OPS });
}

const command =
  (text: string, userId = ADMIN) =>
  () =>
    h.driver.command(text, { userId, channelId: OPS });

function card() {
  const found = h.slack.channelMessages(OPS).find((message) => message.metadata?.event_type === 'napter_mapping');
  if (found === undefined) throw new Error('Hanako’s mapping has no card');
  return found;
}

/** A click on a button with this value, signed as Slack would send it (for buttons only their owner is shown). */
async function forgedClick(userId: string, actionId: string, value: string): Promise<void> {
  const parent = onlyParent(h, OPS);
  const payload = {
    type: 'block_actions',
    user: { id: userId, username: userId, name: userId, team_id: h.slack.workspace.teamId },
    api_app_id: h.slack.workspace.appId,
    token: 'fake-verification-token',
    trigger_id: h.slack.newTriggerId(userId),
    team: { id: h.slack.workspace.teamId, domain: h.slack.workspace.teamDomain },
    container: { type: 'message', message_ts: parent.ts, channel_id: OPS, is_ephemeral: false },
    channel: { id: OPS, name: 'iot-ops' },
    message: { type: 'message', ts: parent.ts, text: parent.text, blocks: parent.blocks },
    response_url: h.slack.newResponseUrl({ channelId: OPS, userId, sourceMessage: { channelId: OPS, ts: parent.ts, ephemeral: false } }),
    actions: [{ type: 'button', action_id: actionId, block_id: 'forged', value, action_ts: `${Math.floor(h.clock.nowMs() / 1000)}.000001` }],
  };
  await postSigned(h.eventsUrl, new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), { secret: h.signingSecret });
}

describe('every refusal is in the ledger', () => {
  test('/napter open from an address', () => expectDenied(ADMIN, 'open', command(`open ${SIM} ssh from 203.0.113.5`)));
  test('/napter open from me (before the IP page)', () => expectDenied(ADMIN, 'open', command(`open ${SIM} ssh`)));
  test('/napter open from last, with none confirmed', () => expectDenied(ADMIN, 'open', command(`open ${SIM} ssh from last`)));
  test('/napter list', () => expectDenied(ADMIN, 'list', command('list')));
  test('/napter diagnose', () => expectDenied(ADMIN, 'diagnose', command(`diagnose ${SIM}`)));
  // The scenario's own mapping, and Hanako's: one refusal each.
  test('/napter close of someone else’s mappings', () => expectDenied(ADMIN, 'close', command(`close ${SIM}`), 2));

  test('Close now on the channel card', () =>
    expectDenied(ADMIN, 'close', () => h.driver.clickButton({ userId: ADMIN, message: clickable(card()), actionId: ACTION_IDS.closeNow })));
  test('Diagnose on the channel card', () =>
    expectDenied(ADMIN, 'diagnose', () => h.driver.clickButton({ userId: ADMIN, message: clickable(card()), actionId: ACTION_IDS.diagnoseMapping })));
  test('Open again', async () => {
    const [mapping] = await h.store.mappings.list({ activeAtMs: h.clock.nowMs() });
    await expectDenied(ADMIN, 'open', () => forgedClick(ADMIN, ACTION_IDS.openAgain, encodeActionValue({ v: 1, mappingId: mapping?.id ?? '' })));
  });
  test('Diagnose again', () =>
    expectDenied(ADMIN, 'diagnose', () => h.driver.clickButton({ userId: ADMIN, message: clickable(onlyParent(h, OPS)), actionId: ACTION_IDS.diagnoseAgain })));
  test('Open again with the fix', () =>
    expectDenied(ADMIN, 'open', () =>
      h.driver.clickButton({
        userId: ADMIN,
        message: clickable(replyWithButton(onlyParent(h, OPS), ACTION_IDS.openAgainWithFix)),
        actionId: ACTION_IDS.openAgainWithFix,
      }),
    ));
  test('Start packet capture', () =>
    expectDenied(ADMIN, 'peek', () =>
      h.driver.clickButton({
        userId: ADMIN,
        message: clickable(replyWithButton(onlyParent(h, OPS), ACTION_IDS.startCapture)),
        actionId: ACTION_IDS.startCapture,
      }),
    ));
  test('Get download link', async () => {
    const [capture] = await h.store.captures.listByDiagnosis(String(payloadOf(onlyParent(h, OPS))['diagnosis_id']));
    await expectDenied(ADMIN, 'peek', () => forgedClick(ADMIN, ACTION_IDS.downloadCapture, encodeActionValue({ v: 1, peekId: capture?.id ?? '' })));
  });
  test('Draft support ticket', () =>
    expectDenied(ADMIN, 'ticket', () =>
      h.driver.clickButton({
        userId: ADMIN,
        message: clickable(replyWithButton(onlyParent(h, OPS), ACTION_IDS.draftTicket)),
        actionId: ACTION_IDS.draftTicket,
      }),
    ));
  test('the ticket form’s submission (the SIM is read then)', async () => {
    const reply = replyWithButton(onlyParent(h, OPS), ACTION_IDS.draftTicket);
    await h.driver.clickButton({ userId: ALICE, message: clickable(reply), actionId: ACTION_IDS.draftTicket });
    await h.settle();
    const view = h.slack.openedViews.find((candidate) => candidate.userId === ALICE);
    if (view === undefined) throw new Error('Alice’s ticket form did not open');
    const values = Object.fromEntries(
      Object.entries({ imsi: '295050910000008', occurredAt: '2025-06-02 09:30 JST', reproduce: 'ssh times out' }).map(([field, value]) => [
        field,
        { value: { type: 'plain_text_input', value } },
      ]),
    );
    await expectDenied(ALICE, 'ticket', () => h.driver.submitView({ userId: ALICE, view, values }));
  });
});
