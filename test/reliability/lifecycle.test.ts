import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { buttonsOf } from '../../src/local/render';
import { createSlackDriver, startFakeSlack } from '../../src/slack-fake/index';
import { ACTION_IDS } from '../../src/slack/ids';
import { BotProcess } from './support/bot-process';
import { awaitAnswer, finalAnswer, mappingsFrom, sendCommand, useRig, waitFor, type Rig } from './support/rig';

/**
 * Starting and stopping as operations people see them: a workspace with no AuthKey, a busy port, Slack out of
 * reach at start, and SIGTERM with work in flight.
 */
const ALICE = 'U0ALICE';
const OPS = 'C0OPS';
const STACK_LINE = /^\s+at .+\(.*:\d+:\d+\)$/;

const fixture = useRig({ start: false }, 120_000);
const tally = fixture.tally;
let rig: Rig;
beforeAll(() => {
  rig = fixture.rig;
});

function extraBot(extra: Readonly<Record<string, string | undefined>>): BotProcess {
  return new BotProcess({
    slackApiUrl: rig.slack.apiUrl,
    botToken: rig.slack.botToken,
    soracom: { endpoint: rig.sim.baseUrl, authKeyId: rig.sim.authKeyId, authKey: rig.sim.authKey },
    extra,
  });
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

it('real Slack settings with no SORACOM AuthKey refuse to start, unless NAPTER_SIMULATOR=1 says so', async () => {
  const refused = extraBot({ SORACOM_AUTH_KEY_ID: undefined, SORACOM_AUTH_KEY: undefined, SORACOM_API_ENDPOINT: undefined });
  try {
    await refused.start({ waitForRunning: false });
    const exit = await refused.exit(20_000);
    expect(exit?.code).toBe(1);
    expect(refused.output()).toContain('NAPTER_SIMULATOR=1');
    expect(refused.output()).toContain('SORACOM_AUTH_KEY_ID');
  } finally {
    await refused.close();
  }

  const asked = extraBot({ SORACOM_AUTH_KEY_ID: undefined, SORACOM_AUTH_KEY: undefined, SORACOM_API_ENDPOINT: undefined, NAPTER_SIMULATOR: '1' });
  try {
    await asked.start();
    expect(asked.output()).toContain('SORACOM simulator on');
  } finally {
    await asked.close();
  }
});

it('a port in use stops start-up naming the setting to change, without a stack trace', async () => {
  const squatter: Server = createServer();
  await new Promise<void>((resolve) => squatter.listen(0, resolve));
  const { port } = squatter.address() as AddressInfo;
  const bot = extraBot({ PORT: String(port) });
  try {
    await bot.start({ waitForRunning: false });
    const exit = await bot.exit(20_000);
    expect(exit?.code).toBe(1);
    expect(bot.output()).toContain(`PORT ${port} is already in use`);
    expect(bot.lines.some((line) => STACK_LINE.test(line))).toBe(false);
  } finally {
    await bot.close();
    await new Promise((resolve) => squatter.close(resolve));
  }
});

it('Socket Mode with Slack out of reach says so, tries again with backoff, and connects once Slack is there', async () => {
  const port = await freePort();
  const apiUrl = `http://127.0.0.1:${port}/api/`;
  const bot = new BotProcess({
    slackApiUrl: apiUrl,
    botToken: rig.slack.botToken,
    soracom: { endpoint: rig.sim.baseUrl, authKeyId: rig.sim.authKeyId, authKey: rig.sim.authKey },
    extra: { SLACK_APP_TOKEN: 'xapp-1-A0FAKENAPTER-reliability', SLACK_SIGNING_SECRET: undefined },
  });
  let slack: Awaited<ReturnType<typeof startFakeSlack>> | undefined;
  try {
    await bot.start({ waitForRunning: false });
    await waitFor('two tries', () => bot.lines.filter((line) => line.includes('Cannot reach Slack')).length >= 2, 15_000);
    expect(bot.running).toBe(true);
    expect(bot.lines.some((line) => STACK_LINE.test(line))).toBe(false);
    const waits = bot.lines.flatMap((line) => {
      const match = /trying again in ([\d.]+) s/.exec(line);
      return match?.[1] === undefined ? [] : [Number(match[1])];
    });
    expect(waits[1]).toBeGreaterThan(waits[0] ?? 0);

    slack = await startFakeSlack({ port, socketPingIntervalMs: 1_000 });
    await waitFor('the bot to run', () => bot.lines.some((line) => /napter-bot is running \(socket mode/.test(line)), 60_000);
    const driver = createSlackDriver({ fake: slack, transport: { kind: 'socket' } });
    const answer = await driver.command('help', { userId: ALICE, channelId: OPS });
    expect(answer.status).toBe(200);
    const fake = slack;
    await waitFor('the help', () => fake.responseUrlPosts.some((post) => post.url === answer.responseUrl));
  } finally {
    await bot.close();
    await slack?.close();
  }
});

it('SIGTERM: no new work, running work finished or handed back within a bounded time, picked up at the next start', async () => {
  await rig.bot.start();
  // A packet capture being followed (minutes of polling) and an open whose create hangs are both in flight.
  const diagnose = await sendCommand(rig, 'diagnose demo-firewall', { userId: ALICE, channelId: OPS });
  tally.answer(diagnose, await awaitAnswer(rig, diagnose));
  const parent = await waitFor('the diagnosis', () => rig.slack.channelMessages(OPS).find((message) => message.metadata?.event_type === 'napter_diagnosis'));
  const withCapture = parent.replies.find((reply) => buttonsOf(reply.blocks).some((button) => button.actionId === ACTION_IDS.startCapture));
  if (withCapture === undefined) throw new Error('no capture button');
  await rig.driver().clickButton({ userId: ALICE, message: { ts: withCapture.ts, channelId: OPS, blocks: withCapture.blocks }, actionId: ACTION_IDS.startCapture });
  await waitFor('the capture to be followed', () => rig.slack.channelMessages(OPS).some((message) => message.replies.some((reply) => reply.text.includes('Packet capture'))));

  rig.sim.faults.add({ kind: 'hang', method: 'POST', path: '/v1/port_mappings/sims/*', count: 1 });
  const creates = rig.sim.requests.filter((request) => request.method === 'POST' && request.path.startsWith('/v1/port_mappings/sims/')).length;
  const open = await sendCommand(rig, 'open demo-healthy ssh from 203.0.113.120', { userId: ALICE, channelId: OPS });
  await waitFor('the create to be sent', () => rig.sim.requests.filter((request) => request.method === 'POST' && request.path.startsWith('/v1/port_mappings/sims/')).length > creates);

  const askedAt = Date.now();
  const exit = await rig.bot.kill('SIGTERM');
  const tookMs = Date.now() - askedAt;
  expect(exit.code).toBe(0);
  // Ten seconds of grace at most, and the servers closed after it: never the capture's minutes.
  expect(tookMs).toBeLessThan(20_000);
  rig.sim.faults.clear();

  await rig.bot.restart();
  // The open handed back is finished and told; the capture is followed again.
  const answer = await awaitAnswer(rig, open);
  tally.answer(open, answer);
  expect(answer.text).toMatch(/Nothing was created|did not create/);
  expect(mappingsFrom(rig, '203.0.113.120/32')).toBe(0);
  // Its job was handed back: stopped on SORACOM now, the capture ends, and its one progress message says so.
  const session = rig.sim.world.state.peekSessions.at(-1);
  if (session === undefined) throw new Error('no capture on SORACOM');
  rig.sim.world.stopPeek(session.simId, session.sessionId);
  const progress = () => rig.slack.channelMessages(OPS).flatMap((message) => message.replies.filter((reply) => reply.text.includes('Packet capture')));
  await waitFor('the capture to be followed again to its end', () => progress().some((reply) => reply.text.includes('done')), 30_000);
  expect(progress()).toHaveLength(1);
  expect(finalAnswer(rig.slack, diagnose)).toBeDefined();
});
