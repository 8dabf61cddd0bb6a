import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App } from '@slack/bolt';
import {
  createSlackDriver,
  eventually,
  postSigned,
  signSlackRequest,
  startFakeSlack,
  type FakeSlack,
  type SlackDriver,
} from '../../src/slack-fake';
import { recordingLogger, registerProbeListeners } from './probe-app';

const SIGNING_SECRET = 'fake-signing-secret';
const APP_TOKEN = 'xapp-1-A0FAKENAPTER-1-probe';

interface Harness {
  fake: FakeSlack;
  driver: SlackDriver;
  errors: unknown[][];
  stop: () => Promise<void>;
  eventsUrl?: string;
}

async function startHttpHarness(): Promise<Harness> {
  const fake = await startFakeSlack();
  const { logger, errors } = recordingLogger();
  const app = new App({
    token: fake.botToken,
    signingSecret: SIGNING_SECRET,
    processBeforeResponse: true,
    logger,
    clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } },
  });
  registerProbeListeners(app);
  const server = (await app.start({ port: 0, host: '127.0.0.1' })) as Server;
  const eventsUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  const driver = createSlackDriver({ fake, transport: { kind: 'http', eventsUrl, signingSecret: SIGNING_SECRET } });
  return {
    fake,
    driver,
    errors,
    eventsUrl,
    stop: async () => {
      await app.stop();
      await fake.close();
    },
  };
}

async function startSocketHarness(): Promise<Harness> {
  const fake = await startFakeSlack({ appToken: APP_TOKEN });
  const { logger, errors } = recordingLogger();
  const app = new App({
    token: fake.botToken,
    appToken: APP_TOKEN,
    socketMode: true,
    logger,
    clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } },
  });
  registerProbeListeners(app);
  await app.start();
  await fake.socket.waitForConnection();
  const driver = createSlackDriver({ fake, transport: { kind: 'socket' } });
  return {
    fake,
    driver,
    errors,
    stop: async () => {
      await app.stop();
      await fake.close();
    },
  };
}

describe.each([
  ['http', startHttpHarness],
  ['socket', startSocketHarness],
] as const)('a real Bolt app driven through the fake (%s)', (_transport, start) => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await start();
  });
  afterAll(async () => {
    await harness.stop();
  });
  beforeEach(() => {
    harness.fake.reset();
  });
  afterEach(() => {
    expect(harness.errors).toEqual([]);
  });

  it('delivers a command, returns the ack, and shows the ack, respond() and the posted thread root', async () => {
    const { fake, driver } = harness;
    const result = await driver.command('thread', { userId: 'U0ALICE', channelId: 'C0OPS' });
    expect(result.status).toBe(200);
    expect(result.body).toEqual({ text: 'on it' });
    expect(result.responseUrl).toMatch(/\/response\//);
    await eventually(() => {
      expect(fake.ephemerals({ userId: 'U0ALICE' }).map((e) => e.text).sort()).toEqual(['on it', 'ready']);
      expect(fake.channelMessages('C0OPS').map((m) => m.text)).toEqual(['Diagnosis root']);
    });
    const root = fake.channelMessages('C0OPS')[0];
    expect(root?.metadata).toEqual({ event_type: 'napter_diagnosis', event_payload: { diagnosisId: 'd-42' } });
  });

  it('clicks a button on a posted message; respond(replace_original) rewrites it', async () => {
    const { fake, driver } = harness;
    await driver.command('thread', { userId: 'U0ALICE', channelId: 'C0OPS' });
    await eventually(() => fake.channelMessages('C0OPS').length === 1);
    const root = fake.channelMessages('C0OPS')[0];
    if (root === undefined) throw new Error('no root message');
    const click = await driver.clickButton({ userId: 'U0HANAKO', message: root, actionId: 'napter_diagnose_again' });
    expect(click.status).toBe(200);
    expect(click.body).toBeUndefined();
    await eventually(() => {
      expect(fake.findMessage('C0OPS', root.ts)?.text).toBe('retried diag:d-42 for U0HANAKO from message, message field present');
    });
    expect(fake.findMessage('C0OPS', root.ts)?.editCount).toBe(1);
  });

  it('clicks a button on an ephemeral ack reply: no message field, and replace_original rewrites the ephemeral', async () => {
    const { fake, driver } = harness;
    await driver.command('private-button', { userId: 'U0ALICE', channelId: 'C0RANDOM' });
    const [ephemeral] = fake.ephemerals({ userId: 'U0ALICE', channelId: 'C0RANDOM' });
    if (ephemeral === undefined) throw new Error('no ephemeral');
    await expect(driver.clickButton({ userId: 'U0HANAKO', message: ephemeral, actionId: 'napter_diagnose_again' })).rejects.toThrow(
      /shown to U0ALICE only/,
    );
    await driver.clickButton({ userId: 'U0ALICE', message: ephemeral, actionId: 'napter_diagnose_again' });
    await eventually(() => {
      expect(fake.ephemerals({ userId: 'U0ALICE' }).map((e) => [e.ts, e.text, e.editCount])).toEqual([
        [ephemeral.ts, 'retried diag:d-7 for U0ALICE from ephemeral, message field absent', 1],
      ]);
    });
    expect(fake.channelMessages('C0RANDOM')).toEqual([]);
  });

  it('refuses to click a button that is not in the message', async () => {
    const { fake, driver } = harness;
    const message = { ts: '1.000001', channelId: 'C0OPS', blocks: [] };
    await expect(driver.clickButton({ userId: 'U0ALICE', message, actionId: 'napter_diagnose_again' })).rejects.toThrow(
      /No element with action_id napter_diagnose_again/,
    );
    expect(fake.calls).toEqual([]);
  });

  it('opens a modal from a command, shows validation errors, then closes it on a good submission', async () => {
    const { fake, driver } = harness;
    await driver.command('modal', { userId: 'U0HANAKO', channelId: 'C0OPS' });
    await eventually(() => fake.openedViews.length === 1);
    const view = fake.openedViews[0];
    if (view === undefined) throw new Error('no view');
    expect(view).toMatchObject({ userId: 'U0HANAKO', callbackId: 'napter_ticket_modal', status: 'open' });

    const empty = await driver.submitView({ userId: 'U0HANAKO', view, values: { ticket_note: { note: { type: 'plain_text_input', value: ' ' } } } });
    expect(empty.body).toEqual({ response_action: 'errors', errors: { ticket_note: 'Write a note' } });
    expect(fake.findView(view.id)?.status).toBe('open');

    const good = await driver.submitView({ userId: 'U0HANAKO', view, values: { ticket_note: { note: { type: 'plain_text_input', value: 'port 22 closed' } } } });
    expect(good.body).toBeUndefined();
    expect(fake.findView(view.id)?.status).toBe('closed');
    await eventually(() => {
      expect(fake.channelMessages('C0OPS').map((m) => m.text)).toEqual(['ticket drafted: port 22 closed']);
    });
  });

  it('closes a modal for its user only, and tells the app that asked to be told', async () => {
    const { fake, driver } = harness;
    await driver.command('modal', { userId: 'U0HANAKO', channelId: 'C0OPS' });
    await eventually(() => fake.openedViews.length === 1);
    const view = fake.openedViews[0];
    if (view === undefined) throw new Error('no view');
    await expect(driver.closeView({ userId: 'U0ALICE', view })).rejects.toThrow('shown to U0HANAKO');

    const closed = await driver.closeView({ userId: 'U0HANAKO', view });
    expect(closed?.status).toBe(200);
    expect(fake.findView(view.id)?.status).toBe('closed');
    await eventually(() => {
      expect(fake.channelMessages('C0OPS').map((m) => m.text)).toEqual(['U0HANAKO closed the modal']);
    });
    await expect(driver.closeView({ userId: 'U0HANAKO', view })).rejects.toThrow('already closed');
    await expect(driver.submitView({ userId: 'U0HANAKO', view, values: {} })).rejects.toThrow('closed');
  });

  it('tells a watcher after each change it shows, until it unsubscribes', async () => {
    const { fake, driver } = harness;
    let changes = 0;
    const unsubscribe = fake.onChange(() => {
      changes += 1;
    });
    await driver.command('thread', { userId: 'U0ALICE', channelId: 'C0OPS' });
    await eventually(() => fake.channelMessages('C0OPS').length === 1 && changes >= 2);
    const seen = changes;
    fake.postUserMessage({ channelId: 'C0OPS', userId: 'U0ALICE', text: 'thanks' });
    expect(changes).toBe(seen + 1);
    unsubscribe();
    fake.postUserMessage({ channelId: 'C0OPS', userId: 'U0ALICE', text: 'again' });
    expect(changes).toBe(seen + 1);
  });

  it('shows an in_channel ack to the channel, even where the bot is not a member', async () => {
    const { fake, driver } = harness;
    const result = await driver.command('public', { userId: 'U0ALICE', channelId: 'G0SECRET' });
    expect(result.body).toEqual({ response_type: 'in_channel', text: 'public card' });
    expect(fake.channelMessages('G0SECRET').map((m) => [m.text, m.origin])).toEqual([['public card', 'ack']]);
  });
});

describe('HTTP mode request signing', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHttpHarness();
  });
  afterAll(async () => {
    await harness.stop();
  });

  const commandBody = () =>
    new URLSearchParams({ command: '/napter', text: 'public', user_id: 'U0ALICE', channel_id: 'C0OPS', team_id: 'T0FAKETEAM' }).toString();

  it('signs like Slack: the worked example from Slack’s request-verification docs', () => {
    const body =
      'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar' +
      '&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=' +
      '&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN' +
      '&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
    expect(signSlackRequest('8f742231b10e8888abcd99yyyzzz85a5', body, 1531420618)).toBe(
      'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
    );
  });

  it('gets 200 with a good signature', async () => {
    const answer = await postSigned(harness.eventsUrl ?? '', commandBody(), { secret: SIGNING_SECRET });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text)).toEqual({ response_type: 'in_channel', text: 'public card' });
  });

  it('gets 401 for a forged signature, a wrong secret and a stale timestamp', async () => {
    const url = harness.eventsUrl ?? '';
    const forged = await postSigned(url, commandBody(), { secret: SIGNING_SECRET, signatureOverride: `v0=${'0'.repeat(64)}` });
    expect(forged.status).toBe(401);
    const wrongSecret = await postSigned(url, commandBody(), { secret: 'not-the-secret' });
    expect(wrongSecret.status).toBe(401);
    const stale = await postSigned(url, commandBody(), { secret: SIGNING_SECRET, timestampSec: Math.floor(Date.now() / 1000) - 6 * 60 });
    expect(stale.status).toBe(401);
  });

  it('gets 400 when the content type is not exactly the form type', async () => {
    const answer = await postSigned(harness.eventsUrl ?? '', commandBody(), {
      secret: SIGNING_SECRET,
      contentType: 'application/x-www-form-urlencoded; charset=utf-8',
    });
    expect(answer.status).toBe(400);
  });
});
