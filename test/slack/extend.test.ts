import type { FakeMessage } from '../../src/slack-fake/index';
import { ACTION_IDS, METADATA_EVENT_TYPES } from '../../src/slack/ids';
import { extend } from '../../src/use-cases/extend';
import type { SlackMessageRef, StoredMapping } from '../../src/use-cases/ports/store';
import { ALICE, ALICE_IP, MIN, OPS, startHarnessWithAlice } from '../support/alice';
import type { Harness } from '../support/harness';
import { activeWorldMappings, clickable, expectChannelsNeverSaw, latestEphemeral, textOf } from '../support/slack-views';

/**
 * The reminder before the end and Extend, end to end on the test's clock: the reminder is a scheduler job, Extend
 * a click on it; SORACOM is the simulator, so "a new working mapping" means the world has it and a client gets in.
 */
let h: Harness;
beforeEach(async () => {
  h = await startHarnessWithAlice();
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
/** The mapping cards in the channel, as Slack shows them now. */
const cards = () => h.slack.channelMessages(OPS).filter((message) => message.metadata?.event_type === METADATA_EVENT_TYPES.mappingCard);
function onlyCard(): FakeMessage {
  const all = cards();
  expect(all).toHaveLength(1);
  const [card] = all;
  if (card === undefined) throw new Error('No card');
  return card;
}
/** The card describes `mapping`, open: its id in the metadata and on every button, its end in the text. */
function expectCardShows(card: FakeMessage, mapping: StoredMapping, others: readonly StoredMapping[]): void {
  expect(card.metadata?.event_payload).toMatchObject({ mapping_id: mapping.id, expires_at_ms: mapping.expiresAtMs, state: 'open' });
  const text = textOf(card);
  expect(text).toContain(`<!date^${Math.floor(mapping.expiresAtMs / 1000)}^`);
  expect(text).toContain(mapping.id);
  expect(text).toContain(ACTION_IDS.closeNow);
  expect(text).not.toMatch(/closed/i);
  for (const other of others) expect(text).not.toContain(other.id);
}
async function clickExtendOnNewestReminder(): Promise<void> {
  const reminder = reminders().at(-1);
  if (reminder === undefined) throw new Error('No reminder');
  await h.driver.clickButton({ userId: ALICE, message: clickable(reminder), actionId: ACTION_IDS.extend });
  await h.settle();
}
const newest = async () => {
  const [latest] = await h.store.mappings.list({ activeAtMs: h.clock.nowMs() });
  if (latest === undefined) throw new Error('No active mapping');
  return latest;
};

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

describe("the channel's one card across Extends", () => {
  it('each Extend redraws the same card for the new mapping: no second card, nobody said to have closed it', async () => {
    const first = await open('45m');
    const card = first.card;
    if (card === undefined) throw new Error('No card');
    expectCardShows(onlyCard(), first, []);

    await h.driver.openHome(ALICE);
    h.clock.advance(40 * MIN);
    await h.runJobs();
    await clickExtendOnNewestReminder();
    const second = await newest();
    expect(second.id).not.toBe(first.id);
    expect(onlyCard().ts).toBe(card.ts);
    expectCardShows(onlyCard(), second, [first]);
    // The card moved in the store: the new mapping owns it, the old one no longer does.
    expect(second.card).toEqual(card);
    expect((await h.store.mappings.get(first.id))?.card).toBeUndefined();
    // The requester's private answer is as before; the Home tab was drawn again.
    expect(textOf(latestEphemeral(h.slack, ALICE))).toContain('Extended until');
    expect(JSON.stringify(h.slack.homeView(ALICE))).toContain(`:${second.port}`);

    // The second Extend, from the new mapping's own reminder.
    h.clock.advance(30 * MIN);
    await h.runJobs();
    await clickExtendOnNewestReminder();
    const third = await newest();
    expect(third.id).not.toBe(second.id);
    expect(third.expiresAtMs).toBe(second.expiresAtMs + 30 * MIN);
    expect(onlyCard().ts).toBe(card.ts);
    expectCardShows(onlyCard(), third, [first, second]);
    expect(worldHas(first) || worldHas(second)).toBe(false);
    // Nothing in the channel, in any version of the card, ever showed an endpoint.
    for (const mapping of [first, second, third]) expectChannelsNeverSaw(h.slack, mapping);
    // The ledger keeps its extend rows, each naming the mapping it replaced.
    const extendRows = (await h.store.ledger.list({})).filter((entry) => entry.kind === 'extend');
    expect(extendRows.map((entry) => [entry.mappingId, entry.details?.['replaces']])).toEqual([
      [third.id, second.id],
      [second.id, first.id],
    ]);

    // Close now on the card closes the newest mapping, and the card says so.
    await h.driver.clickButton({ userId: ALICE, message: clickable(onlyCard()), actionId: ACTION_IDS.closeNow });
    await h.settle();
    expect((await h.store.mappings.get(third.id))?.closed?.byUserId).toBe(ALICE);
    expect(worldHas(third)).toBe(false);
    expect(onlyCard().ts).toBe(card.ts);
    expect(onlyCard().metadata?.event_payload).toMatchObject({ mapping_id: third.id, state: 'closed', closed_by: ALICE });
  });

  it("the new mapping's watch redraws the card it took over; the old one's watch no longer does", async () => {
    const first = await open('45m');
    h.clock.advance(40 * MIN);
    await h.runJobs();
    await clickExtendOnNewestReminder();
    const second = await newest();
    const updatesBefore = h.slack.callsTo('chat.update').length;

    // Alice connects to the new endpoint: the next poll of the audit log shows it on the card.
    h.sim.world.attempt({ client: 'alice', endpoint: `${second.ipAddress}:${second.port}`, sessionSec: 45 });
    h.clock.advance(30_000);
    await h.runJobs();
    const card = onlyCard();
    expect(card.ts).toBe(first.card?.ts);
    expectCardShows(card, second, [first]);
    expect(textOf(card)).toMatch(/1 reached · 1 connected/);
    const redraws = h.slack.callsTo('chat.update').slice(updatesBefore);
    expect(redraws.length).toBeGreaterThan(0);
    expect(redraws.every((call) => JSON.stringify(call.args['metadata']).includes(second.id))).toBe(true);
    expectChannelsNeverSaw(h.slack, second);
  });

  it('a card that cannot be redrawn (deleted) is logged; no second card is posted and the requester is told', async () => {
    await open('45m');
    h.clock.advance(40 * MIN);
    await h.runJobs();
    const updatesBefore = h.slack.callsTo('chat.update').length;
    h.slack.faults.failNext('chat.update', 'message_not_found');
    await clickExtendOnNewestReminder();
    const second = await newest();
    expect(h.slack.callsTo('chat.update').slice(updatesBefore)[0]?.response['error']).toBe('message_not_found');
    expect(h.logs.some((line) => line.includes('Could not update the mapping card') && line.includes(second.id))).toBe(true);
    expect(cards()).toHaveLength(1);
    expect(h.slack.callsTo('chat.postMessage').filter((call) => call.args['channel'] === OPS)).toHaveLength(1);
    expect(textOf(latestEphemeral(h.slack, ALICE))).toContain(`${second.hostname ?? second.ipAddress}:${second.port}`);
    expect(second.card).toBeDefined();
  });

  it('a mapping that had no card (the bot was not in the channel) still gets one posted by its Extend, if it can be', async () => {
    // Slack refuses the open's card: the first mapping has none to hand over.
    h.slack.faults.failNext('chat.postMessage', 'not_in_channel');
    const first = await open('45m');
    expect(first.card).toBeUndefined();
    expect(cards()).toHaveLength(0);
    h.clock.advance(40 * MIN);
    await h.runJobs();
    await clickExtendOnNewestReminder();
    const second = await newest();
    expect(second.card).toBeDefined();
    expect(onlyCard().ts).toBe(second.card?.ts);
    expectCardShows(onlyCard(), second, [first]);
  });
});

describe('an Extend cut off by the process dying', () => {
  /** The process dies once `when` is about to be written: that write and every later one fail, as after a SIGKILL. */
  function dyingStore(when: (method: string, input: unknown) => boolean) {
    const { store } = h;
    let dead = false;
    const guard =
      <A extends unknown[], R>(method: string, write: (...args: A) => Promise<R>) =>
      async (...args: A): Promise<R> => {
        if (dead || when(method, args[0])) {
          dead = true;
          throw new Error('SIGKILL');
        }
        return write(...args);
      };
    return {
      ...store,
      mappings: { ...store.mappings, save: guard('mappings.save', store.mappings.save) },
      claims: { ...store.claims, complete: guard('claims.complete', store.claims.complete), release: guard('claims.release', store.claims.release) },
      inflight: {
        ...store.inflight,
        begin: guard('inflight.begin', store.inflight.begin),
        update: guard('inflight.update', store.inflight.update),
        settle: guard('inflight.settle', store.inflight.settle),
      },
    };
  }
  const extendOn = (store: ReturnType<typeof dyingStore>, old: StoredMapping) =>
    extend(
      { ...h.deps, store },
      {
        actor: { teamId: h.slack.workspace.teamId, userId: ALICE, channelId: OPS, lang: 'en', userGroupIds: [] },
        mappingId: old.id,
        requestKey: 'click:extend-1',
        responseUrl: undefined,
      },
    );
  const finishedAfterRestart = (from: number) =>
    h.slack
      .ephemerals({ userId: ALICE })
      .slice(from)
      .map(textOf)
      .filter((text) => text.includes('finished after the bot restarted'));

  /** A mapping with its card, 40 minutes in: its reminder is out, Extend can be clicked. */
  async function openedWithCard(): Promise<{ old: StoredMapping; card: SlackMessageRef }> {
    const old = await open('45m');
    if (old.card === undefined) throw new Error('No card');
    h.clock.advance(40 * MIN);
    return { old, card: old.card };
  }

  /**
   * The next start finishes the Extend: the new mapping alive, the old one deleted, the requester told once with the
   * new endpoint, and the one card, where it was, moved to the new mapping and redrawn for it (nobody closed anything).
   */
  async function expectFinishedAtRestart(old: StoredMapping, card: SlackMessageRef): Promise<StoredMapping> {
    const toldBefore = h.slack.ephemerals({ userId: ALICE }).length;
    await h.restartApp();
    await h.settle();
    const replacement = await newest();
    expect(replacement.id).not.toBe(old.id);
    expect(worldHas(replacement)).toBe(true);
    expect(worldHas(old)).toBe(false);
    expect((await h.store.mappings.get(old.id))?.closed).toBeDefined();
    expect(finishedAfterRestart(toldBefore)).toHaveLength(1);
    const told = h.slack.ephemerals({ userId: ALICE }).slice(toldBefore).map(textOf);
    expect(told.join('\n')).toContain(`${replacement.hostname ?? replacement.ipAddress}:${replacement.port}`);
    expect(replacement.card).toEqual(card);
    expect((await h.store.mappings.get(old.id))?.card).toBeUndefined();
    expect(onlyCard().ts).toBe(card.ts);
    expectCardShows(onlyCard(), replacement, [old]);
    expectChannelsNeverSaw(h.slack, replacement);

    // Another start tells nothing again and leaves the card where it is.
    await h.restartApp();
    await h.settle();
    expect(finishedAfterRestart(toldBefore)).toHaveLength(1);
    expect(onlyCard().ts).toBe(card.ts);
    return replacement;
  }

  it('is finished at the next start: the old one deleted, the card it handed over redrawn for the new one, the requester told once', async () => {
    const { old, card } = await openedWithCard();
    // The process dies once the new mapping exists (and took the card over), just before it writes the old one's close.
    const cutOff = await extendOn(
      dyingStore((method, input) => method === 'inflight.begin' && (input as { kind?: string }).kind === 'close'),
      old,
    );
    expect(cutOff.kind).toBe('extended');
    expect(worldHas(old)).toBe(true);
    // Nobody was told yet: the card still shows the old mapping.
    expect(onlyCard().metadata?.event_payload).toMatchObject({ mapping_id: old.id, state: 'open' });
    await expectFinishedAtRestart(old, card);
  });

  it('dying before the new mapping is recorded: the next start adopts it from SORACOM with the card, and redraws that card', async () => {
    const { old, card } = await openedWithCard();
    // SORACOM made the new mapping; the process dies before its row (and the card's move) is written.
    const cutOff = await extendOn(
      dyingStore((method) => method === 'mappings.save'),
      old,
    );
    expect(cutOff.kind).toBe('failed');
    expect(activeWorldMappings(h).filter((mapping) => mapping.sourceIpRanges.includes(old.sourceCidr))).toHaveLength(2);
    expect((await h.store.mappings.get(old.id))?.card).toEqual(card);

    const replacement = await expectFinishedAtRestart(old, card);
    expect(replacement.expiresAtMs).toBe(old.expiresAtMs + 30 * MIN);
    // The adopted mapping's ledger row still says what it replaced.
    expect((await h.store.ledger.list({ mappingId: replacement.id })).find((entry) => entry.kind === 'extend')?.details).toMatchObject({
      replaces: old.id,
      chainStartedAtMs: old.createdAtMs,
    });
  });
});
