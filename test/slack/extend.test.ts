import { ACTION_IDS } from '../../src/slack/ids';
import { extend } from '../../src/use-cases/extend';
import type { StoredMapping } from '../../src/use-cases/ports/store';
import { startHarness, type Harness } from '../support/harness';
import { activeWorldMappings, clickable, latestEphemeral, textOf } from '../support/slack-views';

/**
 * The reminder before the end and Extend, end to end on the test's clock: the reminder is a scheduler job, Extend
 * a click on it; SORACOM is the simulator, so "a new working mapping" means the world has it and a client gets in.
 */
const ALICE = 'U0ALICE';
const OPS = 'C0OPS';
const ALICE_IP = '203.0.113.5';
const MIN = 60_000;

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
  h.sim.world.addClient({ id: 'alice', globalIp: ALICE_IP });
});
afterEach(async () => {
  await h.close();
});

async function open(duration: string): Promise<StoredMapping> {
  await h.driver.command(`open demo-healthy ssh for ${duration} from ${ALICE_IP}`, { userId: ALICE, channelId: OPS });
  await h.settle();
  const [stored] = await h.store.mappings.list({ activeAtMs: h.clock.nowMs() });
  if (stored === undefined) throw new Error('No mapping');
  await h.runJobs();
  return stored;
}

/** The bot's DMs to Alice that carry Extend, as Slack shows them now. */
const reminders = () =>
  h.slack
    .callsTo('chat.postMessage')
    .filter((call) => call.args['channel'] === ALICE && JSON.stringify(call.args['blocks']).includes(ACTION_IDS.extend))
    .map((call) => h.slack.findMessage(String(call.response['channel']), String(call.response['ts'])))
    .filter((message) => message !== undefined);
const worldHas = (mapping: Pick<StoredMapping, 'ipAddress' | 'port'>) =>
  activeWorldMappings(h).some((world) => world.ipAddress === mapping.ipAddress && world.port === mapping.port);

describe('the reminder and Extend', () => {
  it('reminds the requester once, five minutes before the end, with Extend and Close now', async () => {
    await open('45m');
    h.clock.advance(39 * MIN);
    await h.runJobs();
    expect(reminders()).toHaveLength(0);
    h.clock.advance(MIN);
    await h.runJobs();
    expect(reminders()).toHaveLength(1);
    const text = textOf(reminders()[0] ?? { text: '', blocks: [] });
    expect(text).toContain(ACTION_IDS.closeNow);
    expect(text).toMatch(/<!date\^\d+\^/);
    h.clock.advance(MIN);
    await h.runJobs();
    expect(reminders()).toHaveLength(1);
    // Nobody else, and no channel, got it.
    expect(h.slack.channelMessages(OPS).some((message) => JSON.stringify(message.blocks).includes(ACTION_IDS.extend))).toBe(false);
  });

  it('Extend makes a new working mapping, sends it privately, then deletes the old one', async () => {
    const old = await open('45m');
    h.clock.advance(40 * MIN);
    await h.runJobs();
    const [reminder] = reminders();
    if (reminder === undefined) throw new Error('No reminder');
    await h.driver.clickButton({ userId: ALICE, message: clickable(reminder), actionId: ACTION_IDS.extend });
    await h.settle();

    const replacement = (await h.store.mappings.list({ activeAtMs: h.clock.nowMs() })).find((mapping) => mapping.id !== old.id);
    if (replacement === undefined) throw new Error('No new mapping');
    expect(worldHas(replacement)).toBe(true);
    expect(worldHas(old)).toBe(false);
    expect(replacement.expiresAtMs).toBe(old.expiresAtMs + 30 * MIN);
    expect(replacement.sourceCidr).toBe(old.sourceCidr);
    expect(replacement.devicePort).toBe(old.devicePort);
    expect(h.sim.world.attempt({ client: 'alice', endpoint: `${replacement.ipAddress}:${replacement.port}` }).outcome).toBe('session');

    const told = textOf(latestEphemeral(h.slack, ALICE));
    expect(told).toContain(`${replacement.hostname ?? replacement.ipAddress}:${replacement.port}`);
    expect(told).toContain('Extended until');
    const ledger = await h.store.ledger.list({});
    expect(ledger.find((entry) => entry.kind === 'extend')).toMatchObject({
      mappingId: replacement.id,
      details: { replaces: old.id, chainStartedAtMs: old.createdAtMs },
    });
    expect((await h.store.mappings.get(old.id))?.closed?.byUserId).toBe(ALICE);
  });

  it('a failed Extend leaves the old mapping as it was and says so', async () => {
    const old = await open('45m');
    h.clock.advance(40 * MIN);
    await h.runJobs();
    const [reminder] = reminders();
    if (reminder === undefined) throw new Error('No reminder');
    h.sim.faults.add({ kind: 'error-5xx', method: 'POST', path: '/v1/port_mappings*', count: 10 });
    await h.driver.clickButton({ userId: ALICE, message: clickable(reminder), actionId: ACTION_IDS.extend });
    await h.settle();
    expect(worldHas(old)).toBe(true);
    expect((await h.store.mappings.get(old.id))?.closed).toBeUndefined();
    expect(textOf(latestEphemeral(h.slack, ALICE))).toContain('Extend failed');
  });

  it('Close now on a mapping that already expired says it had ended', async () => {
    const old = await open('10m');
    h.clock.advance(11 * MIN);
    await h.runJobs();
    const reply = latestEphemeral(h.slack, ALICE, OPS);
    await h.driver.clickButton({ userId: ALICE, message: clickable(reply), actionId: ACTION_IDS.closeNow });
    await h.settle();
    expect(textOf(latestEphemeral(h.slack, ALICE))).toContain('had already ended');
    expect((await h.store.mappings.get(old.id))?.closed).toBeUndefined();
  });
});

describe('an Extend cut off by the process dying', () => {
  it('is finished at the next start: the old one deleted and its card closed, the requester told once', async () => {
    const old = await open('45m');
    h.clock.advance(40 * MIN);
    // The process dies once the new mapping exists, just before it writes the old one's close (the click's use-case
    // on the app's own deps, with a store that stops there).
    const { store } = h;
    const dying = {
      ...store,
      inflight: {
        ...store.inflight,
        begin: async (input: Parameters<typeof store.inflight.begin>[0]) => {
          if (input.kind === 'close') throw new Error('SIGKILL');
          return store.inflight.begin(input);
        },
      },
    };
    const cutOff = await extend(
      { ...h.deps, store: dying },
      {
        actor: { teamId: h.slack.workspace.teamId, userId: ALICE, channelId: OPS, lang: 'en', userGroupIds: [] },
        mappingId: old.id,
        requestKey: 'click:extend-1',
        responseUrl: undefined,
      },
    );
    expect(cutOff.kind).toBe('extended');
    expect(worldHas(old)).toBe(true);
    const toldBefore = h.slack.ephemerals({ userId: ALICE }).length;

    await h.restartApp();
    await h.settle();
    const replacement = (await h.store.mappings.list({ activeAtMs: h.clock.nowMs() })).find((mapping) => mapping.id !== old.id);
    if (replacement === undefined) throw new Error('No new mapping');
    expect(worldHas(replacement)).toBe(true);
    expect(worldHas(old)).toBe(false);
    const told = h.slack.ephemerals({ userId: ALICE }).slice(toldBefore).map(textOf);
    expect(told.filter((text) => text.includes('finished after the bot restarted'))).toHaveLength(1);
    expect(told.join('\n')).toContain(`${replacement.hostname ?? replacement.ipAddress}:${replacement.port}`);
    const oldCard = old.card === undefined ? undefined : h.slack.findMessage(old.card.channelId, old.card.ts);
    expect(textOf(oldCard ?? { text: '', blocks: [] })).toMatch(/[Cc]losed/);

    await h.restartApp();
    await h.settle();
    expect(
      h.slack
        .ephemerals({ userId: ALICE })
        .slice(toldBefore)
        .map(textOf)
        .filter((text) => text.includes('finished after the bot restarted')),
    ).toHaveLength(1);
  });
});
