import { createHmac } from 'node:crypto';
import { postSigned } from '../../src/slack-fake/index';
import { startHarness, type Harness } from '../support/harness';
import { captureUrlIn, createCalls, latestEphemeral } from '../support/slack-views';

/** Requests Slack did not sign are refused before anything happens; secrets never reach a log line. */
const ALICE = 'U0ALICE';
const OPS = 'C0OPS';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

function commandBody(text: string): string {
  return new URLSearchParams({
    token: 'x',
    team_id: h.slack.workspace.teamId,
    channel_id: OPS,
    user_id: ALICE,
    user_name: 'alice',
    command: '/napter',
    text,
    response_url: h.slack.newResponseUrl({ channelId: OPS, userId: ALICE }),
    trigger_id: h.slack.newTriggerId(ALICE),
  }).toString();
}

describe('request signing', () => {
  it.each([
    ['a forged signature', { signatureOverride: `v0=${'0'.repeat(64)}` }],
    ['a signature made with another secret', { secretOverride: 'not-the-signing-secret' }],
    ['a timestamp older than 5 minutes', { timestampSec: Math.floor(Date.now() / 1000) - 6 * 60 }],
  ] as const)('refuses %s with 401 and does nothing', async (_name, forgery) => {
    const soracomBefore = h.sim.requests.length;
    const slackBefore = h.slack.calls.length;
    const responseUrlBefore = h.slack.responseUrlPosts.length;
    const ledgerBefore = (await h.store.ledger.list({})).length;

    const body = commandBody('open demo-healthy ssh from 203.0.113.5');
    const secret = 'secretOverride' in forgery ? forgery.secretOverride : h.signingSecret;
    const answer = await postSigned(h.eventsUrl, body, {
      secret,
      ...('signatureOverride' in forgery ? { signatureOverride: forgery.signatureOverride } : {}),
      ...('timestampSec' in forgery ? { timestampSec: forgery.timestampSec } : {}),
    });
    await h.settle();

    expect(answer.status).toBe(401);
    expect(h.sim.requests.length).toBe(soracomBefore);
    expect(h.slack.calls.length).toBe(slackBefore);
    expect(h.slack.responseUrlPosts.length).toBe(responseUrlBefore);
    expect((await h.store.ledger.list({})).length).toBe(ledgerBefore);
  });

  it('accepts the same request when it is signed correctly (the negative cases are not vacuous)', async () => {
    const body = commandBody('open demo-healthy ssh from 203.0.113.5');
    const timestamp = Math.floor(Date.now() / 1000);
    const signature = `v0=${createHmac('sha256', h.signingSecret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
    const answer = await fetch(h.eventsUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': String(timestamp),
        'x-slack-signature': signature,
      },
      body,
    });
    await answer.text();
    await h.settle();
    expect(answer.status).toBe(200);
    expect(createCalls(h)).toBe(1);
  });
});

describe('logs', () => {
  it('never contain the bot token, the signing secret or the SORACOM AuthKey, even on failures', async () => {
    await h.driver.command('open demo-healthy http', { userId: ALICE, channelId: OPS });
    await h.settle();
    const url = captureUrlIn(latestEphemeral(h.slack, ALICE, OPS));
    await (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'ip=203.0.113.9' })).text();
    await h.settle();
    h.slack.faults.failNext('chat.postMessage', 'not_in_channel');
    await h.driver.command('open demo-healthy rdp from 203.0.113.5', { userId: ALICE, channelId: OPS });
    h.sim.faults.add({ kind: 'error-5xx', path: '/v1/port_mappings', method: 'GET', count: 10 });
    await h.driver.command('list', { userId: ALICE, channelId: OPS });
    await h.driver.command('close demo-healthy', { userId: ALICE, channelId: OPS });
    await h.settle();

    expect(h.logs.length).toBeGreaterThan(10);
    expect(h.logs.some((line) => line.includes('ERROR'))).toBe(true);
    const all = h.logs.join('\n');
    for (const secret of [h.botToken, h.signingSecret, h.sim.authKey]) {
      expect(all).not.toContain(secret);
    }
  });
});
