import Database from 'better-sqlite3';
import { awaitAnswer, sendCommand, useRig, waitFor, type Rig } from './support/rig';

/**
 * The scheduler across a SIGKILL: the bot (its own process) watches a mapping and owes a reminder; it is killed
 * while delivering one, a client connects while it is down, and it restarts on the same database. Each job
 * resumes once: one reminder, one notice of the connection, one card redraw; nothing twice, nothing lost.
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

it('a watch and a reminder cut off by SIGKILL each resume once after the restart', async () => {
  rig.sim.world.addClient({ id: 'alice-crash', globalIp: SOURCE });
  const command = await sendCommand(rig, `open demo-healthy ssh for 6m from ${SOURCE}`, { userId: ALICE, channelId: OPS });
  await awaitAnswer(rig, command);
  const mappingId = mappingIdFrom(SOURCE);
  const mapping = rig.sim.world.state.mappings.find((candidate) => candidate.end === 'active' && candidate.sourceIpRanges.includes(`${SOURCE}/32`));
  if (mapping === undefined) throw new Error('No mapping on SORACOM');

  // The reminder falls due a minute after the open, and its delivery hangs in Slack: the bot dies holding the job's lease.
  rig.slack.faults.hangNext('chat.postMessage');
  await waitFor('the reminder to be claimed', () => leaseHolder(`reminder:${mappingId}`) !== undefined, 90_000);
  const exit = await rig.bot.kill('SIGKILL');
  expect(exit.signal).toBe('SIGKILL');
  rig.slack.faults.clear();

  // While the bot is down, Alice connects.
  rig.sim.world.attempt({ client: 'alice-crash', endpoint: `${mapping.ipAddress}:${mapping.port}`, sessionSec: 600 });
  await rig.bot.restart();

  await waitFor('one reminder', () => dmsTo(ALICE, 'ends').length === 1, 30_000);
  await waitFor('one notice of the connection', () => dmsTo(ALICE, 'forwarded connections').length === 1, 45_000);
  const card = () =>
    rig.slack.callsTo('chat.update').filter((call) => call.response['ok'] === true && String(JSON.stringify(call.args['blocks'])).includes('1 connected'));
  await waitFor('the card redrawn', () => card().length === 1, 15_000);
  // A while later: nothing was said twice.
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  expect(dmsTo(ALICE, 'ends')).toHaveLength(1);
  expect(dmsTo(ALICE, 'forwarded connections')).toHaveLength(1);
  expect(card()).toHaveLength(1);
});
