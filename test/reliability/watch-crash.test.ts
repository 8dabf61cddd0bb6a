import Database from 'better-sqlite3';
import { buttonsOf } from '../../src/local/render';
import { ACTION_IDS } from '../../src/slack/ids';
import { awaitAnswer, sendCommand, useRig, waitFor, type Rig } from './support/rig';

/**
 * The scheduler across a SIGKILL: the bot (its own process) watches a mapping, owes a reminder and follows a
 * packet capture; it is killed while delivering the reminder and reading the capture's progress, a client connects
 * and the capture is stopped while it is down, and it restarts on the same database. Each job resumes once: one
 * reminder, one notice of the connection, one card redraw, the capture's one progress message told its end once;
 * nothing twice, nothing lost.
 */
const ALICE = 'U0ALICE';
const OPS = 'C0OPS';
const SOURCE = '203.0.113.160';

// The reminder of a 6-minute mapping is due a minute after the open, in real time.
const fixture = useRig({}, 240_000);
let rig: Rig;
beforeAll(() => {
  rig = fixture.rig;
});

const dmsTo = (userId: string, marker: string) =>
  rig.slack.callsTo('chat.postMessage').filter((call) => call.args['channel'] === userId && call.response['ok'] === true && String(call.args['text']).includes(marker));

/** Who holds a job's lease, read from the bot's database from outside. */
function leaseHolder(key: string): string | undefined {
  const db = new Database(rig.bot.dbPath, { readonly: true });
  try {
    const row = db.prepare('SELECT lease_owner FROM jobs WHERE key = ? AND done_at_ms IS NULL').get(key) as { lease_owner: string | null } | undefined;
    return row?.lease_owner ?? undefined;
  } finally {
    db.close();
  }
}

function mappingIdFrom(source: string): string {
  const db = new Database(rig.bot.dbPath, { readonly: true });
  try {
    const row = db.prepare('SELECT id FROM mappings WHERE source_cidr = ?').get(`${source}/32`) as { id: string } | undefined;
    if (row === undefined) throw new Error(`No mapping from ${source}`);
    return row.id;
  } finally {
    db.close();
  }
}

/** The job of the one packet capture the bot started, read from its database from outside. */
function captureJob(): { key: string; done: boolean } {
  const db = new Database(rig.bot.dbPath, { readonly: true });
  try {
    const row = db.prepare("SELECT key, done_at_ms FROM jobs WHERE kind = 'capture-poll'").get() as { key: string; done_at_ms: number | null } | undefined;
    if (row === undefined) throw new Error('No capture-poll job');
    return { key: row.key, done: row.done_at_ms !== null };
  } finally {
    db.close();
  }
}

const progressPosts = () =>
  rig.slack.callsTo('chat.postMessage').filter((call) => call.response['ok'] === true && String(call.args['text']).includes('Packet capture'));
const progressUpdates = (ts: string, marker: string) =>
  rig.slack.callsTo('chat.update').filter((call) => call.args['ts'] === ts && call.response['ok'] === true && JSON.stringify(call.args).includes(marker));

it('a watch, a reminder and a packet capture cut off by SIGKILL each resume once after the restart', async () => {
  // A packet capture (two minutes on SORACOM) followed in the diagnosis thread.
  const diagnose = await sendCommand(rig, 'diagnose demo-healthy', { userId: ALICE, channelId: OPS });
  await awaitAnswer(rig, diagnose);
  const parent = await waitFor('the diagnosis', () => rig.slack.channelMessages(OPS).find((message) => message.metadata?.event_type === 'napter_diagnosis'));
  const withCapture = parent.replies.find((reply) => buttonsOf(reply.blocks).some((button) => button.actionId === ACTION_IDS.startCapture));
  if (withCapture === undefined) throw new Error('no capture button');
  await rig.driver().clickButton({ userId: ALICE, message: { ts: withCapture.ts, channelId: OPS, blocks: withCapture.blocks }, actionId: ACTION_IDS.startCapture });
  const progressTs = String((await waitFor('the capture progress', () => progressPosts()[0]))?.response['ts']);
  await waitFor('the capture shown capturing', () => progressUpdates(progressTs, 'capturing').length > 0, 30_000);

  rig.sim.world.addClient({ id: 'alice-crash', globalIp: SOURCE });
  const command = await sendCommand(rig, `open demo-healthy ssh for 6m from ${SOURCE}`, { userId: ALICE, channelId: OPS });
  await awaitAnswer(rig, command);
  const mappingId = mappingIdFrom(SOURCE);
  const mapping = rig.sim.world.state.mappings.find((candidate) => candidate.end === 'active' && candidate.sourceIpRanges.includes(`${SOURCE}/32`));
  if (mapping === undefined) throw new Error('No mapping on SORACOM');

  // The reminder falls due a minute after the open, and its delivery hangs in Slack; the capture's reads hang in
  // SORACOM: the bot dies holding both jobs' leases.
  rig.slack.faults.hangNext('chat.postMessage');
  rig.sim.faults.add({ kind: 'hang', method: 'GET', path: '/v1/sims/*/packet_capture_sessions/*' });
  const captureKey = captureJob().key;
  await waitFor('the reminder and the capture read to be claimed', () => leaseHolder(`reminder:${mappingId}`) !== undefined && leaseHolder(captureKey) !== undefined, 90_000);
  const exit = await rig.bot.kill('SIGKILL');
  expect(exit.signal).toBe('SIGKILL');
  rig.slack.faults.clear();
  rig.sim.faults.clear();

  // While the bot is down, Alice connects, and the capture is stopped on SORACOM (it ends a few seconds later).
  rig.sim.world.attempt({ client: 'alice-crash', endpoint: `${mapping.ipAddress}:${mapping.port}`, sessionSec: 600 });
  const session = rig.sim.world.state.peekSessions.at(-1);
  if (session === undefined) throw new Error('No capture on SORACOM');
  rig.sim.world.stopPeek(session.simId, session.sessionId);
  await rig.bot.restart();

  await waitFor('one reminder', () => dmsTo(ALICE, 'ends').length === 1, 30_000);
  await waitFor('one notice of the connection', () => dmsTo(ALICE, 'forwarded connections').length === 1, 45_000);
  const card = () =>
    rig.slack.callsTo('chat.update').filter((call) => call.response['ok'] === true && String(JSON.stringify(call.args['blocks'])).includes('1 connected'));
  await waitFor('the card redrawn', () => card().length === 1, 15_000);
  await waitFor('the capture told ready in place', () => progressUpdates(progressTs, 'The capture is ready').length === 1, 45_000);
  await waitFor('the capture job finished', () => captureJob().done, 15_000);
  // A while later: nothing was said twice.
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  expect(dmsTo(ALICE, 'ends')).toHaveLength(1);
  expect(dmsTo(ALICE, 'forwarded connections')).toHaveLength(1);
  expect(card()).toHaveLength(1);
  expect(progressPosts()).toHaveLength(1);
  expect(progressUpdates(progressTs, 'The capture is ready')).toHaveLength(1);
  const parentNow = rig.slack.channelMessages(OPS).find((message) => message.ts === parent.ts);
  expect(JSON.stringify(parentNow?.blocks)).toContain('packet capture finished');
});
