import { postSigned } from '../../../src/slack-fake/index';
import { ACTION_IDS, CALLBACK_IDS } from '../../../src/slack/ids';
import { readDiagnosisRecord } from '../../../src/use-cases/diagnosis-record';
import { TICKET_INPUT_ACTION_ID } from '../../../src/slack/blocks/ticket';
import { startHarness, type Harness } from '../../support/harness';
import { activeWorldMappings, clickable, createCalls, everythingChannelsSaw, latestEphemeral, textOf } from '../../support/slack-views';
import { buttonValue, onlyParent, payloadOf, replyWithButton } from '../../support/threads';

/**
 * The diagnosis buttons end to end: signed clicks and modal submissions into the real Bolt app, each
 * checked for the clicker by the policy, with values that carry only store ids.
 */
const ALICE = 'U0ALICE';
const HANAKO = 'U0HANAKO';
const ADMIN = 'U0ADMIN';
const OPS = 'C0OPS';
const ALICE_HOME_IP = '203.0.113.10';

let h: Harness;
afterEach(async () => {
  await h.close();
});

async function diagnose(simRef: string, userId = ALICE): Promise<void> {
  await h.driver.command(`diagnose ${simRef}`, { userId, channelId: OPS });
  await h.settle();
}

function teamId(): string {
  return h.slack.workspace.teamId;
}

describe('Diagnose again', () => {
  beforeEach(async () => {
    h = await startHarness();
  });

  it('updates the same parent in place and adds the new evidence to its thread', async () => {
    await diagnose('demo-healthy');
    const parent = onlyParent(h, OPS);
    const repliesBefore = parent.replies.length;
    const diagnosisId = payloadOf(parent)['diagnosis_id'];

    h.clock.advance(60_000);
    const clickedAtMs = h.clock.nowMs();
    await h.driver.clickButton({ userId: HANAKO, message: clickable(parent), actionId: ACTION_IDS.diagnoseAgain });
    await h.settle();

    const after = onlyParent(h, OPS);
    expect(after.ts).toBe(parent.ts);
    expect(after.editCount).toBeGreaterThanOrEqual(1);
    expect(payloadOf(after)['diagnosis_id']).toBe(diagnosisId);
    // The new window ends at the click (the probe's round trips to the device come after it).
    expect(payloadOf(after)['window_to_ms']).toBe(clickedAtMs);
    expect(textOf(after)).toContain('<@U0HANAKO>');
    expect(after.replies.length).toBeGreaterThan(repliesBefore);
    expect((await h.store.ledger.list({ userId: HANAKO })).filter((entry) => entry.kind === 'retry')).toHaveLength(1);
  });

  it('runs once for a double click', async () => {
    await diagnose('demo-healthy');
    const parent = onlyParent(h, OPS);
    const repliesBefore = parent.replies.length;
    await Promise.all([
      h.driver.clickButton({ userId: ALICE, message: clickable(parent), actionId: ACTION_IDS.diagnoseAgain }),
      h.driver.clickButton({ userId: ALICE, message: clickable(parent), actionId: ACTION_IDS.diagnoseAgain }),
    ]);
    await h.settle();
    const after = onlyParent(h, OPS);
    expect(after.replies.length - repliesBefore).toBe(repliesBefore);
    expect((await h.store.ledger.list({ userId: ALICE })).filter((entry) => entry.kind === 'retry')).toHaveLength(1);
  });

  it('refuses a tampered value and a stale diagnosis id, and changes nothing', async () => {
    await diagnose('demo-healthy');
    const parent = onlyParent(h, OPS);
    await h.driver.clickButton({ userId: ALICE, message: clickable(parent), actionId: ACTION_IDS.diagnoseAgain, value: '{"v":1,"diagnosisId":"x","evil":1}' });
    await h.settle();
    expect(textOf(latestEphemeral(h.slack, ALICE, OPS))).toContain('does not work');
    await h.driver.clickButton({ userId: ALICE, message: clickable(parent), actionId: ACTION_IDS.diagnoseAgain, value: '{"v":1,"diagnosisId":"nope"}' });
    await h.settle();
    expect(textOf(latestEphemeral(h.slack, ALICE, OPS))).toContain('no longer stored');
    expect(onlyParent(h, OPS).editCount).toBe(0);
  });
});

describe('a redelivered click', () => {
  beforeEach(async () => {
    h = await startHarness();
  });

  it('is handled once: Slack sending the same click twice makes one new run', async () => {
    await diagnose('demo-healthy');
    const parent = onlyParent(h, OPS);
    const repliesBefore = parent.replies.length;
    const payload = {
      type: 'block_actions',
      user: { id: ALICE, username: 'alice', name: 'alice', team_id: teamId() },
      api_app_id: h.slack.workspace.appId,
      token: 'fake-verification-token',
      trigger_id: h.slack.newTriggerId(ALICE),
      team: { id: teamId(), domain: h.slack.workspace.teamDomain },
      container: { type: 'message', message_ts: parent.ts, channel_id: OPS, is_ephemeral: false },
      channel: { id: OPS, name: 'iot-ops' },
      message: { type: 'message', ts: parent.ts, text: parent.text, blocks: parent.blocks },
      response_url: h.slack.newResponseUrl({ channelId: OPS, userId: ALICE, sourceMessage: { channelId: OPS, ts: parent.ts, ephemeral: false } }),
      actions: [
        {
          type: 'button',
          action_id: ACTION_IDS.diagnoseAgain,
          block_id: 'napter_parent_actions:x:r1',
          value: buttonValue(parent, ACTION_IDS.diagnoseAgain),
          action_ts: '1748826000.123456',
          text: { type: 'plain_text', text: 'Diagnose again' },
        },
      ],
    };
    const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    const first = await postSigned(h.eventsUrl, body, { secret: h.signingSecret });
    await h.settle();
    const second = await postSigned(h.eventsUrl, body, { secret: h.signingSecret });
    await h.settle();
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(onlyParent(h, OPS).replies.length - repliesBefore).toBe(repliesBefore);
    expect((await h.store.ledger.list({ userId: ALICE })).filter((entry) => entry.kind === 'retry')).toHaveLength(1);
  });
});

describe('Open again with the fix', () => {
  it('opens with TLS off for the clicker only, and a double click makes one mapping', async () => {
    h = await startHarness({ scenario: 'tls-on-ssh' });
    await diagnose('gw-yokohama-01');
    expect(payloadOf(onlyParent(h, OPS))['verdict']).toBe('tls-on-non-tls-protocol');
    const reply = replyWithButton(onlyParent(h, OPS), ACTION_IDS.openAgainWithFix);
    await h.store.lastIps.set(teamId(), ALICE, ALICE_HOME_IP);

    const before = createCalls(h);
    await Promise.all([
      h.driver.clickButton({ userId: ALICE, message: clickable(reply), actionId: ACTION_IDS.openAgainWithFix }),
      h.driver.clickButton({ userId: ALICE, message: clickable(reply), actionId: ACTION_IDS.openAgainWithFix }),
    ]);
    await h.settle();

    expect(createCalls(h) - before).toBe(1);
    const [opened] = await h.store.mappings.list({ activeAtMs: h.clock.nowMs() });
    expect(opened?.tlsRequired).toBe(false);
    expect(opened?.devicePort).toBe(22);
    expect(opened?.sourceCidr).toBe(`${ALICE_HOME_IP}/32`);
    const aliceSaw = h.slack.ephemerals({ userId: ALICE }).map(textOf).join('\n');
    expect(aliceSaw).toContain(String(opened?.port));
    expect(everythingChannelsSaw(h.slack)).not.toContain(opened?.ipAddress ?? '?');
    expect(h.slack.ephemerals({ userId: HANAKO })).toHaveLength(0);
    expect(textOf(onlyParent(h, OPS))).toContain('opened the mapping again with the fix');
  });

  it('asks the clicker alone to confirm an address seen in DENIED events, then opens for it', async () => {
    h = await startHarness({ scenario: 'source-ip-mismatch' });
    await diagnose('gw-saitama-01');
    const parent = onlyParent(h, OPS);
    expect(payloadOf(parent)['verdict']).toBe('source-ip-mismatch');
    const reply = replyWithButton(parent, ACTION_IDS.openAgainWithFix);
    const before = createCalls(h);

    await h.driver.clickButton({ userId: ALICE, message: clickable(reply), actionId: ACTION_IDS.openAgainWithFix });
    await h.settle();
    const question = latestEphemeral(h.slack, ALICE, OPS);
    const seenIp = /\*(\d+\.\d+\.\d+\.\d+)\*/.exec(textOf(question))?.[1];
    expect(seenIp).toBeDefined();
    expect(everythingChannelsSaw(h.slack)).not.toContain(seenIp ?? '?');
    expect(createCalls(h)).toBe(before);

    await h.driver.clickButton({ userId: ALICE, message: clickable(question), actionId: ACTION_IDS.confirmObservedIp });
    await h.settle();
    expect(createCalls(h) - before).toBe(1);
    const opened = activeWorldMappings(h).find((mapping) => mapping.sourceIpRanges.includes(`${seenIp}/32`));
    expect(opened).toBeDefined();
    expect((await h.store.ledger.list({ userId: ALICE })).some((entry) => entry.kind === 'ip-confirmed')).toBe(true);
  });
});

describe('packet capture', () => {
  beforeEach(async () => {
    h = await startHarness();
  });

  it('follows the capture in the thread until DONE, then gives a fresh link to the clicker only', async () => {
    await diagnose('demo-healthy');
    const parent = onlyParent(h, OPS);
    const reply = replyWithButton(parent, ACTION_IDS.startCapture);
    await h.driver.clickButton({ userId: ALICE, message: clickable(reply), actionId: ACTION_IDS.startCapture });

    // The capture's job reads its progress; time in SORACOM moves with the shared clock.
    let progress = onlyParent(h, OPS).replies.find((candidate) => candidate.text.includes('Packet capture'));
    for (let step = 0; step < 200 && !(progress?.text.includes('done') ?? false); step += 1) {
      h.clock.advance(5_000);
      await h.runJobs();
      progress = onlyParent(h, OPS).replies.find((candidate) => candidate.text.includes('Packet capture'));
    }
    expect(onlyParent(h, OPS).replies.filter((candidate) => candidate.text.includes('Packet capture'))).toHaveLength(1);
    progress = onlyParent(h, OPS).replies.find((candidate) => candidate.text.includes('Packet capture'));
    expect(progress?.text).toContain('done');
    expect(progress?.editCount).toBeGreaterThanOrEqual(3);
    expect(payloadOf(progress ?? { metadata: undefined })['verdict']).toBe(payloadOf(parent)['verdict']);
    expect(JSON.stringify(progress)).not.toContain('/_sim/peek/');
    // The parent, updated in place, tells the channel what happened in the thread.
    const parentNow = onlyParent(h, OPS);
    expect(parentNow.ts).toBe(parent.ts);
    expect(textOf(parentNow)).toContain('packet capture finished');

    await h.driver.clickButton({ userId: HANAKO, message: clickable(progress!), actionId: ACTION_IDS.downloadCapture });
    await h.settle();
    const first = textOf(latestEphemeral(h.slack, HANAKO, OPS));
    expect(first).toContain('/_sim/peek/');
    h.clock.advance(1_000);
    await h.driver.clickButton({ userId: HANAKO, message: clickable(progress!), actionId: ACTION_IDS.downloadCapture });
    await h.settle();
    const second = textOf(latestEphemeral(h.slack, HANAKO, OPS));
    const link = (text: string) => /<(http[^|>]+)\|/.exec(text)?.[1];
    expect(link(second)).toBeDefined();
    expect(link(second)).not.toBe(link(first));
    expect(everythingChannelsSaw(h.slack)).not.toContain('/_sim/peek/');
    expect(h.slack.ephemerals({ userId: ALICE }).map(textOf).join('\n')).not.toContain('/_sim/peek/');
    expect((await h.store.ledger.list({ userId: ALICE })).filter((entry) => entry.kind === 'peek')).toHaveLength(1);
  });

  it('starts one capture for a double click, and none while one is running', async () => {
    await diagnose('demo-healthy');
    const reply = replyWithButton(onlyParent(h, OPS), ACTION_IDS.startCapture);
    const sessionsBefore = h.sim.world.state.peekSessions.length;
    await Promise.all([
      h.driver.clickButton({ userId: ALICE, message: clickable(reply), actionId: ACTION_IDS.startCapture }),
      h.driver.clickButton({ userId: ALICE, message: clickable(reply), actionId: ACTION_IDS.startCapture }),
    ]);
    h.clock.advance(3_000);
    await h.driver.clickButton({ userId: ADMIN, message: clickable(reply), actionId: ACTION_IDS.startCapture });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(textOf(latestEphemeral(h.slack, ADMIN, OPS))).toContain('still running');
    for (let step = 0; step < 60; step += 1) {
      h.clock.advance(10_000);
      await h.runJobs();
    }
    expect(h.sim.world.state.peekSessions.length - sessionsBefore).toBe(1);
  });
});

describe('a capture finishing while Diagnose again runs', () => {
  beforeEach(async () => {
    h = await startHarness();
  });

  const recordOf = async (diagnosisId: string) => {
    const stored = await h.store.diagnoses.get(diagnosisId);
    const record = stored === undefined ? undefined : readDiagnosisRecord(stored);
    if (record === undefined) throw new Error(`No readable diagnosis ${diagnosisId}`);
    return record;
  };
  const hasDiagnoseAgain = () => JSON.stringify(onlyParent(h, OPS).blocks).includes(ACTION_IDS.diagnoseAgain);

  it('keeps both: the parent shows the new run and the finished capture', async () => {
    await diagnose('demo-healthy');
    const parent = onlyParent(h, OPS);
    const diagnosisId = String(payloadOf(parent)['diagnosis_id']);
    await h.driver.clickButton({ userId: ALICE, message: clickable(replyWithButton(parent, ACTION_IDS.startCapture)), actionId: ACTION_IDS.startCapture });
    expect((await recordOf(diagnosisId)).activity?.map((entry) => entry.kind)).toEqual(['capture-started']);

    // The re-run's evidence gathering waits on SORACOM's audit log, long enough for the capture to end meanwhile.
    h.sim.faults.add({ kind: 'latency', method: 'GET', path: '/v1/audit_logs/napter*', latencyMs: 3_000, count: 1 });
    const rerun = h.driver.clickButton({ userId: HANAKO, message: clickable(onlyParent(h, OPS)), actionId: ACTION_IDS.diagnoseAgain });
    // The re-run has read the record once the parent says it is running again.
    for (let step = 0; step < 100 && hasDiagnoseAgain(); step += 1) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(hasDiagnoseAgain()).toBe(false);
    let captureDone = false;
    for (let step = 0; step < 60 && !captureDone; step += 1) {
      h.clock.advance(20_000);
      // Not `runJobs`: its settling would wait for the re-run this test holds up.
      await h.app.runDueJobs();
      captureDone = (await recordOf(diagnosisId)).activity?.some((entry) => entry.kind === 'capture-done') ?? false;
    }
    expect(captureDone).toBe(true);
    // The two really overlapped: the capture's line was written while the re-run had not yet written its own.
    expect((await recordOf(diagnosisId)).run).toBe(1);
    for (let step = 0; step < 50 && !textOf(onlyParent(h, OPS)).includes('packet capture finished'); step += 1) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    // Redrawn for the capture, the parent still says a new run is under way (no button until it ends).
    expect(textOf(onlyParent(h, OPS))).toContain('packet capture finished');
    expect(hasDiagnoseAgain()).toBe(false);

    await rerun;
    await h.settle();
    const record = await recordOf(diagnosisId);
    expect(record.run).toBe(2);
    expect(record.ranBy).toBe(HANAKO);
    expect(record.captures).toBe(1);
    expect(record.activity?.map((entry) => entry.kind)).toEqual(['capture-started', 'capture-done']);
    const parentNow = onlyParent(h, OPS);
    expect(parentNow.ts).toBe(parent.ts);
    expect(textOf(parentNow)).toContain('Diagnosed again by <@U0HANAKO>');
    expect(textOf(parentNow)).toContain('packet capture finished');
    expect(hasDiagnoseAgain()).toBe(true);
  });
});

describe('policy on clicks', () => {
  it('checks the clicker, not the requester', async () => {
    h = await startHarness({
      policyText: [
        'rules:',
        '  - name: everyone-diagnoses',
        '    who: everyone',
        '    actions: [diagnose]',
        '  - name: hanako-captures',
        '    who: { users: [U0HANAKO] }',
        '    actions: [diagnose, peek, ticket]',
        '',
      ].join('\n'),
    });
    await diagnose('demo-healthy');
    const reply = replyWithButton(onlyParent(h, OPS), ACTION_IDS.startCapture);
    const sessionsBefore = h.sim.world.state.peekSessions.length;
    await h.driver.clickButton({ userId: ALICE, message: clickable(reply), actionId: ACTION_IDS.startCapture });
    await h.settle();
    expect(textOf(latestEphemeral(h.slack, ALICE, OPS))).toContain('may not');
    expect(h.sim.world.state.peekSessions.length).toBe(sessionsBefore);
    expect((await h.store.ledger.list({ userId: ALICE })).some((entry) => entry.kind === 'denied')).toBe(true);

    await h.driver.clickButton({ userId: ALICE, message: clickable(reply), actionId: ACTION_IDS.draftTicket });
    await h.settle();
    expect(h.slack.openedViews).toHaveLength(0);
  });
});

describe('Draft support ticket', () => {
  beforeEach(async () => {
    h = await startHarness();
  });

  it('opens the modal within the trigger window, validates, then posts the draft in the thread', async () => {
    await diagnose('demo-healthy', HANAKO);
    const parent = onlyParent(h, OPS);
    const reply = replyWithButton(parent, ACTION_IDS.draftTicket);
    const soracomCallsBefore = h.sim.requests.length;
    await h.driver.clickButton({ userId: ALICE, message: clickable(reply), actionId: ACTION_IDS.draftTicket });
    await h.settle();
    // Nothing slow stands between the click and views.open: not one SORACOM call.
    expect(h.sim.requests.length).toBe(soracomCallsBefore);

    const [view] = h.slack.openedViews;
    expect(view?.callbackId).toBe(CALLBACK_IDS.ticketModal);
    expect(view?.userId).toBe(ALICE);
    const imsi = String(payloadOf(parent)['imsi']);
    expect(JSON.stringify(view?.blocks)).toContain(imsi);
    expect(h.slack.callsTo('views.open').every((call) => call.response['ok'] === true)).toBe(true);

    const values = (overrides: Record<string, string>) =>
      Object.fromEntries(
        Object.entries({
          imsi,
          occurredAt: '2025-06-02 09:30 JST',
          reproduce: 'ssh -p <port> pi@<host> times out',
          deviceMaker: 'Raspberry Pi',
          ...overrides,
        }).map(([field, value]) => [field, { [TICKET_INPUT_ACTION_ID]: { type: 'plain_text_input', value } }]),
      );
    const invalid = await h.driver.submitView({ userId: ALICE, view: view!, values: values({ imsi: '123' }) });
    expect(invalid.body?.['response_action']).toBe('errors');
    expect(JSON.stringify(invalid.body)).toContain('15 digits');

    const answer = await h.driver.submitView({ userId: ALICE, view: view!, values: values({}) });
    expect(answer.body?.['response_action']).toBeUndefined();
    await h.settle();
    const draft = onlyParent(h, OPS).replies.find((candidate) => textOf(candidate).includes('```'));
    expect(draft).toBeDefined();
    expect(textOf(draft!)).toContain(imsi);
    expect(textOf(draft!)).toContain('Raspberry Pi');
    expect(textOf(draft!)).toContain('JST');
    expect(payloadOf(draft!)['diagnosis_id']).toBe(payloadOf(parent)['diagnosis_id']);
    expect((await h.store.ledger.list({ userId: ALICE })).filter((entry) => entry.kind === 'ticket-draft')).toHaveLength(1);
    expect(textOf(onlyParent(h, OPS))).toContain('<@U0ALICE> さんが');
  });
});
