import { eventually } from '../../src/slack-fake/index';
import { ACTION_IDS, METADATA_EVENT_TYPES } from '../../src/slack/ids';
import { startHarness, type Harness } from '../support/harness';
import { captureUrlIn, clickable, createCalls, latestEphemeral, textOf } from '../support/slack-views';

/** The same product over Socket Mode: commands and clicks arrive as envelopes on the fake's WebSocket. */
const ALICE = 'U0ALICE';
const OPS = 'C0OPS';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ transport: 'socket' });
});
afterAll(async () => {
  await h.close();
});

it('serves /healthz and the IP page on its own small server', async () => {
  const health = await fetch(`${h.appUrl}/healthz`);
  expect(health.status).toBe(200);
  expect(await health.json()).toEqual({ ok: true });
  const unknown = await fetch(`${h.appUrl}/napter/ip/not-a-token`);
  expect(unknown.status).toBe(404);
  await unknown.text();
});

it('opens through the IP page and closes with the button, all over envelopes', async () => {
  const answer = await h.driver.command('open demo-healthy ssh', { userId: ALICE, channelId: OPS });
  expect(answer.status).toBe(200);
  await h.settle();
  await eventually(() => {
    captureUrlIn(latestEphemeral(h.slack, ALICE, OPS));
  });
  const url = captureUrlIn(latestEphemeral(h.slack, ALICE, OPS));
  expect(url.startsWith(h.appUrl)).toBe(true);
  const confirm = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'ip=203.0.113.55' });
  expect(confirm.status).toBe(200);
  await confirm.text();
  await h.settle();
  expect(createCalls(h)).toBe(1);

  const [stored] = await h.store.mappings.list({});
  if (stored === undefined) throw new Error('no mapping');
  expect(textOf(latestEphemeral(h.slack, ALICE, OPS))).toContain(`${stored.port}`);
  const card = h.slack.channelMessages(OPS).find((message) => message.metadata?.event_type === METADATA_EVENT_TYPES.mappingCard);
  if (card === undefined) throw new Error('no card');

  await h.driver.clickButton({ userId: ALICE, message: clickable(card), actionId: ACTION_IDS.closeNow });
  await h.settle();
  // Over the socket the work runs after the ack: the close lands a moment after the click returns.
  const closedBy = async () => (await h.store.mappings.get(stored.id))?.closed?.byUserId;
  for (let tries = 0; (await closedBy()) === undefined && tries < 200; tries += 1) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(await closedBy()).toBe(ALICE);
  expect(h.sim.requests.filter((request) => request.method === 'DELETE')).toHaveLength(1);
});

it('publishes the Home tab on an app_home_opened envelope', async () => {
  const answer = await h.driver.openHome(ALICE);
  expect(answer.status).toBe(200);
  await eventually(() => {
    expect(h.slack.homeView(ALICE)?.type).toBe('home');
  });
  await h.settle();
  expect(textOf({ text: '', blocks: h.slack.homeView(ALICE)?.blocks ?? [] })).toContain('Your active remote access');
});
