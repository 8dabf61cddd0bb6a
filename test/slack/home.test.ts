import type { FakeView } from '../../src/slack-fake/index';
import { ACTION_IDS, METADATA_EVENT_TYPES } from '../../src/slack/ids';
import type { StoredMapping } from '../../src/use-cases/ports/store';
import { type Harness, startHarness } from '../support/harness';
import { activeWorldMappings, textOf } from '../support/slack-views';

/**
 * The App Home tab end to end: published when its viewer opens it, republished when one of their mappings opens or
 * closes, and its buttons (the same action ids as everywhere) work from a view that has no channel and no
 * response_url. An admin sees everyone's active mappings, never their endpoints.
 */
const ALICE = 'U0ALICE';
const ADMIN = 'U0ADMIN';
const OPS = 'C0OPS';

const POLICY = ['admins: { users: [U0ADMIN] }', 'rules:', '  - who: everyone', '    actions: [open, list, diagnose]', ''].join('\n');

let h: Harness;
beforeEach(async () => {
  h = await startHarness({ policyText: POLICY });
});
afterEach(async () => {
  await h.close();
});

function home(userId: string): FakeView {
  const view = h.slack.homeView(userId);
  if (view === undefined) throw new Error(`No Home published for ${userId}`);
  return view;
}

const homeText = (userId: string): string => textOf({ text: '', blocks: home(userId).blocks });

async function openAs(userId: string, text: string): Promise<StoredMapping> {
  await h.driver.command(text, { userId, channelId: OPS });
  await h.settle();
  const found = (await h.store.mappings.list({ activeAtMs: h.clock.nowMs() })).find((mapping) => mapping.openedBy.userId === userId);
  if (found === undefined) throw new Error(`No mapping after "${text}"`);
  return found;
}

function endpointTexts(mapping: StoredMapping): string[] {
  return [mapping.ipAddress, `:${mapping.port}`, ...(mapping.hostname === undefined ? [] : [mapping.hostname])];
}

describe('App Home', () => {
  it('publishes the tab when its viewer opens it', async () => {
    const answer = await h.driver.openHome(ALICE);
    expect(answer.status).toBe(200);
    await h.settle();
    expect(h.slack.callsTo('views.publish')).toHaveLength(1);
    expect(home(ALICE).type).toBe('home');
    expect(homeText(ALICE)).toContain('You have no active remote access');
    expect(homeText(ALICE)).toContain('No diagnoses yet');
    // Not an admin: no one else's access.
    expect(homeText(ALICE)).not.toContain('Every active remote access');
  });

  it('refreshes after an open and shows the mapping with its endpoint, time left and the three buttons', async () => {
    await h.driver.openHome(ALICE);
    await h.settle();
    const mapping = await openAs(ALICE, 'open demo-healthy ssh for 1h from 203.0.113.5');
    expect(home(ALICE).updateCount).toBe(1);
    const text = homeText(ALICE);
    expect(text).toContain('*demo-healthy* · SSH (22) · from 203.0.113.5/32 · ends <!date^');
    expect(text).toContain(`${mapping.hostname ?? mapping.ipAddress}:${mapping.port}`);
    const value = JSON.stringify(JSON.stringify({ v: 1, mappingId: mapping.id }));
    for (const actionId of [ACTION_IDS.extend, ACTION_IDS.closeNow, ACTION_IDS.diagnoseMapping]) {
      expect(text).toContain(`"action_id":"${actionId}","value":${value}`);
    }
  });

  it('shows an admin every active mapping the bot opened, without anyone else’s endpoint, kept current', async () => {
    await h.driver.openHome(ADMIN);
    await h.settle();
    expect(homeText(ADMIN)).toContain('Nobody else has active remote access');
    // Alice's open republishes the admin's tab, which was opened before it.
    const mapping = await openAs(ALICE, 'open demo-healthy ssh for 1h from 203.0.113.5');
    const text = homeText(ADMIN);
    expect(text).toContain('Every active remote access napter-bot turned on');
    expect(text).toContain(`*demo-healthy* · SSH (22) · <@${ALICE}> · from 203.0.113.5/32`);
    expect(text).toContain('endpoint hidden');
    for (const fragment of endpointTexts(mapping)) expect(text).not.toContain(fragment);
  });

  it('closes from the Home tab: SORACOM deletes it, the card says so, the clicker hears it and the tab refreshes', async () => {
    const mapping = await openAs(ALICE, 'open demo-healthy ssh for 1h from 203.0.113.5');
    await h.driver.openHome(ALICE);
    await h.settle();
    await h.driver.clickButton({ userId: ALICE, view: home(ALICE), actionId: ACTION_IDS.closeNow });
    await h.settle();

    expect(activeWorldMappings(h).some((candidate) => candidate.ipAddress === mapping.ipAddress && candidate.port === mapping.port)).toBe(false);
    expect((await h.store.mappings.get(mapping.id))?.closed?.byUserId).toBe(ALICE);
    const card = h.slack.channelMessages(OPS).find((message) => message.metadata?.event_type === METADATA_EVENT_TYPES.mappingCard);
    expect(card?.metadata?.event_payload['state']).toBe('closed');
    // No channel, no response_url: the answer goes to the clicker's DM with the bot.
    expect(
      h.slack
        .channelMessages(`D${ALICE}`)
        .map((message) => message.text)
        .join('\n'),
    ).toMatch(/closed|Closed/);
    expect(homeText(ALICE)).toContain('You have no active remote access');
  });

  it('extends from the Home tab: a new working mapping 30 minutes longer, its endpoint in the DM, the old one deleted, the tab current', async () => {
    const old = await openAs(ALICE, 'open demo-healthy ssh for 1h from 203.0.113.5');
    await h.driver.openHome(ALICE);
    await h.settle();
    await h.driver.clickButton({ userId: ALICE, view: home(ALICE), actionId: ACTION_IDS.extend });
    await h.settle();

    const replacement = (await h.store.mappings.list({ activeAtMs: h.clock.nowMs() })).find((mapping) => mapping.id !== old.id);
    if (replacement === undefined) throw new Error('No new mapping after Extend from the Home tab');
    expect(replacement.expiresAtMs).toBe(old.expiresAtMs + 30 * 60_000);
    const live = activeWorldMappings(h);
    expect(live.some((candidate) => candidate.ipAddress === replacement.ipAddress && candidate.port === replacement.port)).toBe(true);
    expect(live.some((candidate) => candidate.ipAddress === old.ipAddress && candidate.port === old.port)).toBe(false);
    // No channel, no response_url: the new endpoint goes to the clicker's DM, never to the channel.
    const dm = h.slack
      .channelMessages(`D${ALICE}`)
      .map((message) => textOf(message))
      .join('\n');
    expect(dm).toContain(`:${replacement.port}`);
    expect(JSON.stringify(h.slack.channelMessages(OPS))).not.toContain(`:${replacement.port}`);
    expect(homeText(ALICE)).toContain(`:${replacement.port}`);
    expect(homeText(ALICE)).not.toContain(`:${old.port}`);
  });

  it('diagnoses from the Home tab: the diagnosis goes to the mapping’s channel, the clicker is told where, and the tab lists it', async () => {
    await openAs(ALICE, 'open demo-healthy ssh for 1h from 203.0.113.5');
    await h.driver.openHome(ALICE);
    await h.settle();
    await h.driver.clickButton({ userId: ALICE, view: home(ALICE), actionId: ACTION_IDS.diagnoseMapping });
    await h.settle();

    const parents = h.slack.channelMessages(OPS).filter((message) => message.metadata?.event_type === METADATA_EVENT_TYPES.diagnosis);
    expect(parents).toHaveLength(1);
    expect(
      h.slack
        .channelMessages(`D${ALICE}`)
        .map((message) => message.text)
        .join('\n'),
    ).toContain(`The diagnosis of *demo-healthy* is posted in <#${OPS}>.`);
    const text = homeText(ALICE);
    expect(text).toContain('*Your recent diagnoses*');
    expect(text).toMatch(/\*demo-healthy\* · .+ · in <#C0OPS>/);
  });

  it('keeps only the tabs of people who opened theirs current; a failed publish is logged and the next one works', async () => {
    await openAs(ALICE, 'open demo-healthy ssh for 1h from 203.0.113.5');
    // Alice never opened her tab: the open cost no publish; she gets a fresh tab when she looks.
    expect(h.slack.callsTo('views.publish')).toHaveLength(0);

    h.slack.faults.failNext('views.publish', 'internal_error');
    await h.driver.openHome(ALICE);
    await h.settle();
    expect(h.slack.homeView(ALICE)).toBeUndefined();
    expect(h.logs.join('\n')).toContain('Could not publish the Home tab');
    await h.driver.command('close demo-healthy', { userId: ALICE, channelId: OPS });
    await h.settle();
    expect(homeText(ALICE)).toContain('You have no active remote access');
  });
});
