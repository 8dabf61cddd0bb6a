import type { FakeView } from '../../../src/slack-fake/index';
import { ACTION_IDS, CALLBACK_IDS } from '../../../src/slack/ids';
import { TICKET_INPUT_ACTION_ID } from '../../../src/slack/blocks/ticket';
import { startHarness, type Harness } from '../../support/harness';
import { clickable, createCalls, latestEphemeral, textOf } from '../../support/slack-views';
import { buttonValue, diagnosisParents, onlyParent, payloadOf, replyWithButton, openReplyWithDiagnoseButton } from '../../support/threads';

/**
 * What a click or a modal carries is bound to the person Slack showed it to: a forged view_submission
 * (another diagnosis or thread in private_metadata), a forged "yes, that address is mine", or a second
 * click on Diagnose does nothing more than the one legitimate action would.
 */
const ALICE = 'U0ALICE';
const HANAKO = 'U0HANAKO';
const OUTSIDER = 'U0OUTSIDER';
const OPS = 'C0OPS';

let h: Harness;
afterEach(async () => {
  await h.close();
});

function ticketValues(imsi: string): Record<string, Record<string, Record<string, unknown>>> {
  const fields = { imsi, occurredAt: '2025-06-02 09:30 JST', reproduce: 'it times out' };
  return Object.fromEntries(Object.entries(fields).map(([field, value]) => [field, { [TICKET_INPUT_ACTION_ID]: { type: 'plain_text_input', value } }]));
}

/** Every message and reply the bot posted to a user's DM (any conversation that is not a workspace channel). */
function dmPostsTo(userId: string): unknown[] {
  return h.slack
    .callsTo('chat.postMessage')
    .filter((call) => (call.args as { channel?: string }).channel === userId || String((call.args as { channel?: string }).channel).startsWith('D'));
}

describe('ticket modal submissions', () => {
  beforeEach(async () => {
    h = await startHarness();
  });

  async function diagnosisAndLegitimateView(): Promise<{ view: FakeView; diagnosisId: string; imsi: string }> {
    await h.driver.command('diagnose demo-healthy', { userId: ALICE, channelId: OPS });
    await h.settle();
    const parent = onlyParent(h, OPS);
    await h.driver.clickButton({ userId: HANAKO, message: clickable(replyWithButton(parent, ACTION_IDS.draftTicket)), actionId: ACTION_IDS.draftTicket });
    await h.settle();
    const view = h.slack.openedViews.find((candidate) => candidate.callbackId === CALLBACK_IDS.ticketModal);
    if (view === undefined) throw new Error('no ticket modal');
    return { view, diagnosisId: String(payloadOf(parent)['diagnosis_id']), imsi: String(payloadOf(parent)['imsi']) };
  }

  it('refuses a view the bot never opened for the submitter: another diagnosis cannot be read through a DM', async () => {
    const { view, diagnosisId, imsi } = await diagnosisAndLegitimateView();
    const postsBefore = h.slack.callsTo('chat.postMessage').length;
    // A view_submission whose private_metadata names Alice's diagnosis and no thread, "from" someone in no channel.
    const forged: FakeView = {
      ...view,
      id: 'VFORGED0001',
      userId: OUTSIDER,
      privateMetadata: JSON.stringify({ d: diagnosisId, c: OPS }),
    };
    const answer = await h.driver.submitView({ userId: OUTSIDER, view: forged, values: ticketValues(imsi) });
    await h.settle();

    expect(answer.body?.['response_action']).toBe('errors');
    expect(h.slack.callsTo('chat.postMessage').length).toBe(postsBefore);
    expect(dmPostsTo(OUTSIDER)).toHaveLength(0);
    expect((await h.store.ledger.list({})).filter((entry) => entry.kind === 'ticket-draft')).toHaveLength(0);
  });

  it('posts the draft in the diagnosis thread the bot stored, whatever thread private_metadata names', async () => {
    const { view, diagnosisId, imsi } = await diagnosisAndLegitimateView();
    // An unrelated message in the same channel, whose thread the forged metadata points at.
    await h.driver.command('diagnose demo-healthy', { userId: HANAKO, channelId: OPS });
    await h.settle();
    const other = diagnosisParents(h, OPS).find((parent) => payloadOf(parent)['diagnosis_id'] !== diagnosisId);
    expect(other).toBeDefined();
    const tampered: FakeView = { ...view, privateMetadata: JSON.stringify({ d: diagnosisId, c: OPS, t: other!.ts }) };
    h.slack.findView(view.id)!.privateMetadata = tampered.privateMetadata;

    const answer = await h.driver.submitView({ userId: HANAKO, view: tampered, values: ticketValues(imsi) });
    await h.settle();
    expect(answer.body?.['response_action']).toBeUndefined();

    const own = diagnosisParents(h, OPS).find((parent) => payloadOf(parent)['diagnosis_id'] === diagnosisId)!;
    expect(own.replies.some((reply) => textOf(reply).includes('```'))).toBe(true);
    expect(h.slack.findMessage(OPS, other!.ts)!.replies.some((reply) => textOf(reply).includes('```'))).toBe(false);
  });
});

describe('"Yes, that address is mine"', () => {
  it('opens only for the person the question was put to; a forged confirmation by someone else creates nothing', async () => {
    h = await startHarness({ scenario: 'source-ip-mismatch' });
    await h.driver.command('diagnose gw-saitama-01', { userId: ALICE, channelId: OPS });
    await h.settle();
    const parent = onlyParent(h, OPS);
    const reply = replyWithButton(parent, ACTION_IDS.openAgainWithFix);
    const fixValue = buttonValue(reply, ACTION_IDS.openAgainWithFix);
    const before = createCalls(h);

    // Hanako was never asked: she forges the confirmation with the fix button's value.
    await h.driver.clickButton({
      userId: HANAKO,
      message: clickable(reply),
      actionId: ACTION_IDS.confirmObservedIp,
      value: fixValue,
      blockId: 'forged-block',
    });
    await h.settle();
    expect(createCalls(h)).toBe(before);
    expect((await h.store.mappings.list({})).filter((mapping) => mapping.openedBy.userId === HANAKO)).toHaveLength(0);

    // The person who was asked still can.
    await h.driver.clickButton({ userId: ALICE, message: clickable(reply), actionId: ACTION_IDS.openAgainWithFix });
    await h.settle();
    const question = latestEphemeral(h.slack, ALICE, OPS);
    await h.driver.clickButton({ userId: ALICE, message: clickable(question), actionId: ACTION_IDS.confirmObservedIp });
    await h.settle();
    expect(createCalls(h) - before).toBe(1);
  });
});

describe('Diagnose on an open reply', () => {
  beforeEach(async () => {
    h = await startHarness();
  });

  it('posts one diagnosis for a double click', async () => {
    const reply = await openReplyWithDiagnoseButton(h, ALICE, OPS);

    await Promise.all([
      h.driver.clickButton({ userId: ALICE, message: clickable(reply), actionId: ACTION_IDS.diagnoseMapping }),
      h.driver.clickButton({ userId: ALICE, message: clickable(reply), actionId: ACTION_IDS.diagnoseMapping }),
    ]);
    await h.settle();
    await h.driver.clickButton({ userId: ALICE, message: clickable(reply), actionId: ACTION_IDS.diagnoseMapping });
    await h.settle();
    expect(diagnosisParents(h, OPS)).toHaveLength(1);
    expect((await h.store.ledger.list({ userId: ALICE })).filter((entry) => entry.kind === 'diagnose')).toHaveLength(1);

    // Later, a new click diagnoses again.
    h.clock.advance(2 * 60 * 1000);
    await h.driver.clickButton({ userId: ALICE, message: clickable(reply), actionId: ACTION_IDS.diagnoseMapping });
    await h.settle();
    expect(diagnosisParents(h, OPS)).toHaveLength(2);
  });
});

describe('a click naming a diagnosis of another conversation', () => {
  it.each([ACTION_IDS.draftTicket, ACTION_IDS.diagnoseAgain, ACTION_IDS.startCapture])(
    '%s is refused: nothing is read, opened, run or posted for the clicker',
    async (actionId) => {
      h = await startHarness();
      // Alice diagnoses in #iot-ops; the admin is not reading there but clicks in #random, the value forged.
      await h.driver.command('diagnose demo-healthy', { userId: ALICE, channelId: OPS });
      await h.settle();
      const parent = onlyParent(h, OPS);
      const value = buttonValue(replyWithButton(parent, ACTION_IDS.diagnoseAgain), ACTION_IDS.diagnoseAgain);
      const soracomBefore = h.sim.requests.length;
      const postsBefore = h.slack.callsTo('chat.postMessage').length + h.slack.callsTo('chat.update').length;

      await h.driver.clickButton({
        userId: 'U0ADMIN',
        message: { ts: '1700000000.000100', channelId: 'C0RANDOM', blocks: [] },
        actionId,
        value,
        blockId: 'forged-block',
      });
      await h.settle();

      expect(h.slack.openedViews).toHaveLength(0);
      expect(h.sim.requests.length).toBe(soracomBefore);
      expect(h.slack.callsTo('chat.postMessage').length + h.slack.callsTo('chat.update').length).toBe(postsBefore);
      expect(latestEphemeral(h.slack, 'U0ADMIN', 'C0RANDOM').text).toContain('does not work');

      // The same click from where the diagnosis lives works (the refusal is about the channel, nothing else).
      await h.driver.clickButton({ userId: 'U0ADMIN', message: clickable(replyWithButton(parent, ACTION_IDS.draftTicket)), actionId: ACTION_IDS.draftTicket });
      await h.settle();
      expect(h.slack.openedViews).toHaveLength(1);
    },
  );
});
