import { postSigned } from '../../src/slack-fake/index';
import { checkSlackRequest, DELIVERY_MEMORY_MS, SIGNATURE_MAX_SKEW_SEC } from '../../src/slack/request-gate';
import { signSlackRequest } from '../../src/slack-fake/signing';
import { startHarness, type Harness } from '../support/harness';
import { createCalls } from '../support/slack-views';

/** The door in front of Bolt: signed by Slack, within five minutes either way, and an object. */
const ALICE = 'U0ALICE';
const OPS = 'C0OPS';
const SECRET = 'gate-test-secret';
const NOW = 1_750_000_000;

const form = { 'content-type': 'application/x-www-form-urlencoded' };
function signed(body: string, timestampSec = NOW, contentType = form['content-type']) {
  return {
    'content-type': contentType,
    'x-slack-request-timestamp': String(timestampSec),
    'x-slack-signature': signSlackRequest(SECRET, body, timestampSec),
  };
}

describe('checkSlackRequest', () => {
  it('passes a signed command within the window', () => {
    const body = 'command=%2Fnapter&text=help';
    expect(checkSlackRequest(signed(body), Buffer.from(body), SECRET, NOW)).toEqual({ ok: true });
    expect(checkSlackRequest(signed(body, NOW - SIGNATURE_MAX_SKEW_SEC), Buffer.from(body), SECRET, NOW).ok).toBe(true);
    expect(checkSlackRequest(signed(body, NOW + SIGNATURE_MAX_SKEW_SEC), Buffer.from(body), SECRET, NOW).ok).toBe(true);
  });

  it.each([
    ['six minutes in the future', NOW + 6 * 60],
    ['an hour in the future', NOW + 3600],
    ['six minutes old', NOW - 6 * 60],
  ])('refuses a timestamp %s with 401', (_name, timestampSec) => {
    const body = 'command=%2Fnapter&text=help';
    expect(checkSlackRequest(signed(body, timestampSec), Buffer.from(body), SECRET, NOW)).toMatchObject({ ok: false, status: 401 });
  });

  it.each([
    ['payload=null', form['content-type']],
    ['payload=42', form['content-type']],
    ['payload=%22text%22', form['content-type']],
    ['payload=%5B%5D', form['content-type']],
    ['payload=%7Bnot-json', form['content-type']],
    ['payload=%7B%7D&payload=%7B%7D', form['content-type']],
    ['null', 'application/json'],
    ['[1,2]', 'application/json'],
    ['"x"', 'application/json'],
    ['', 'application/json'],
  ])('refuses the signed body %p (%s) with 400', (body, contentType) => {
    expect(checkSlackRequest(signed(body, NOW, contentType), Buffer.from(body), SECRET, NOW)).toMatchObject({ ok: false, status: 400 });
  });

  it('lets ssl_check through without a signature, as Slack sends it', () => {
    expect(checkSlackRequest(form, Buffer.from('ssl_check=1&token=x'), SECRET, NOW)).toEqual({ ok: true });
  });

  it('remembers a delivery for longer than a signed request stays acceptable', () => {
    expect(DELIVERY_MEMORY_MS).toBeGreaterThan(2 * SIGNATURE_MAX_SKEW_SEC * 1000);
  });
});

describe('the running app', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  function commandBody(text: string): string {
    return new URLSearchParams({
      team_id: h.slack.workspace.teamId,
      channel_id: OPS,
      user_id: ALICE,
      command: '/napter',
      text,
      response_url: h.slack.newResponseUrl({ channelId: OPS, userId: ALICE }),
      trigger_id: h.slack.newTriggerId(ALICE),
    }).toString();
  }

  it('refuses a correctly signed request dated ten minutes ahead, and it does nothing', async () => {
    const creates = createCalls(h);
    const answer = await postSigned(h.eventsUrl, commandBody('open demo-healthy ssh from 203.0.113.5'), {
      secret: h.signingSecret,
      timestampSec: Math.floor(Date.now() / 1000) + 10 * 60,
    });
    await h.settle();
    expect(answer.status).toBe(401);
    expect(createCalls(h)).toBe(creates);
  });

  it('answers a signed non-object body with 400 and keeps serving', async () => {
    for (const [body, contentType] of [
      ['payload=null', 'application/x-www-form-urlencoded'],
      ['null', 'application/json'],
    ] as const) {
      const answer = await postSigned(h.eventsUrl, body, { secret: h.signingSecret, contentType });
      expect(answer.status).toBe(400);
    }
    const creates = createCalls(h);
    const ok = await h.driver.command('open demo-healthy ssh from 203.0.113.5', { userId: ALICE, channelId: OPS });
    await h.settle();
    expect(ok.status).toBe(200);
    expect(createCalls(h)).toBe(creates + 1);
  });
});
