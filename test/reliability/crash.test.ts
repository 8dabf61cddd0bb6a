import { buttonsOf } from '../../src/local/render';
import { ACTION_IDS } from '../../src/slack/ids';
import { awaitAnswer, demoSim, finalAnswer, mappingsFrom, sendCommand, useRig, waitFor, type Rig, type SentCommand } from './support/rig';

/**
 * SIGKILL at points of an open, a close or an Extend, and a restart on the same database: nothing lost, nothing
 * doubled, every user's message finished. The bot is its own process; the kill is real.
 */
const ALICE = 'U0ALICE';
const OPS = 'C0OPS';

const fixture = useRig();
const tally = fixture.tally;
let rig: Rig;
beforeAll(() => {
  rig = fixture.rig;
});

/** SORACOM requests seen so far whose method and path match, answered or not. */
function soracomRequests(method: string, path: RegExp): number {
  return rig.sim.requests.filter((request) => request.method === method && path.test(request.path)).length;
}

async function killAndRestart(): Promise<void> {
  const exit = await rig.bot.kill('SIGKILL');
  expect(exit.signal).toBe('SIGKILL');
  rig.sim.faults.clear();
  rig.slack.faults.clear();
  await rig.bot.restart();
}

/** The answer, and the rule: exactly `expected` mappings on SORACOM from the source, never more. */
async function settle(command: SentCommand, cidr: string, expected: 0 | 1): Promise<string> {
  const answer = await awaitAnswer(rig, command, 30_000);
  tally.answer(command, answer);
  const held = mappingsFrom(rig, cidr);
  if (held > 1) tally.duplicates += held - 1;
  expect(held).toBe(expected);
  return `${answer.text}\n${JSON.stringify(answer.blocks)}`;
}

function endpointPortFrom(cidr: string): number {
  const mapping = rig.sim.world.state.mappings.find((candidate) => candidate.end === 'active' && candidate.sourceIpRanges.includes(cidr));
  if (mapping === undefined) throw new Error(`No mapping from ${cidr}`);
  return mapping.port;
}

it('killed before the create (listing the mappings): the user hears nothing was created; a retry opens exactly one', async () => {
  const { simId } = demoSim(rig, 'demo-healthy');
  rig.sim.faults.add({ kind: 'hang', method: 'GET', path: `/v1/port_mappings/sims/${simId}`, count: 1 });
  const command = await sendCommand(rig, 'open demo-healthy ssh from 203.0.113.101', { userId: ALICE, channelId: OPS });
  await waitFor('the listing to hang', () => rig.sim.requests.some((request) => request.path === `/v1/port_mappings/sims/${simId}` && request.status === 0));
  await killAndRestart();

  expect(await settle(command, '203.0.113.101/32', 0)).toContain('Nothing was created on SORACOM');
  const retry = await sendCommand(rig, 'open demo-healthy ssh from 203.0.113.101', { userId: ALICE, channelId: OPS });
  expect(await settle(retry, '203.0.113.101/32', 1)).toContain('Napter is open');
});

it('killed during the create, which SORACOM commits: the mapping is adopted, carded once and sent to the user', async () => {
  rig.sim.faults.add({ kind: 'latency', latencyMs: 1500, method: 'POST', path: '/v1/port_mappings/sims/*', count: 1 });
  const creates = soracomRequests('POST', /^\/v1\/port_mappings\/sims\//);
  const command = await sendCommand(rig, 'open demo-healthy ssh from 203.0.113.102', { userId: ALICE, channelId: OPS });
  await waitFor('the create to be sent', () => soracomRequests('POST', /^\/v1\/port_mappings\/sims\//) > creates);
  const exit = await rig.bot.kill('SIGKILL');
  expect(exit.signal).toBe('SIGKILL');
  // SORACOM goes on with the request it received.
  await waitFor('SORACOM to commit it', () => mappingsFrom(rig, '203.0.113.102/32') === 1, 10_000);
  rig.sim.faults.clear();
  await rig.bot.restart();

  const text = await settle(command, '203.0.113.102/32', 1);
  expect(text).toContain(`${endpointPortFrom('203.0.113.102/32')}`);
  expect(soracomRequests('POST', /^\/v1\/port_mappings\/sims\//) - creates).toBe(1);
  await waitFor('one open card', () => openCardsFrom('203.0.113.102/32') === 1);
});

it('killed during a create SORACOM never commits: nothing is held, the user is told, a retry opens exactly one', async () => {
  rig.sim.faults.add({ kind: 'hang', method: 'POST', path: '/v1/port_mappings/sims/*', count: 1 });
  const creates = soracomRequests('POST', /^\/v1\/port_mappings\/sims\//);
  const command = await sendCommand(rig, 'open demo-healthy ssh from 203.0.113.103', { userId: ALICE, channelId: OPS });
  await waitFor('the create to be sent', () => soracomRequests('POST', /^\/v1\/port_mappings\/sims\//) > creates);
  await killAndRestart();

  expect(await settle(command, '203.0.113.103/32', 0)).toContain('Nothing was created on SORACOM');
  const retry = await sendCommand(rig, 'open demo-healthy ssh from 203.0.113.103', { userId: ALICE, channelId: OPS });
  await settle(retry, '203.0.113.103/32', 1);
});

it('killed after the create, before the reply: the user still gets the endpoint, and the card is not doubled', async () => {
  // The create is slow enough to hold back the reply in time: "Opening…" is the second post, the result the third.
  rig.sim.faults.add({ kind: 'latency', latencyMs: 1500, method: 'POST', path: '/v1/port_mappings/sims/*', count: 1 });
  const command = await sendCommand(rig, 'open demo-healthy ssh from 203.0.113.104', { userId: ALICE, channelId: OPS });
  await waitFor('"Opening…"', () => rig.slack.responseUrlPosts.filter((post) => post.url === command.result.responseUrl).length >= 2);
  rig.slack.faults.hangNext('response_url');
  await waitFor('the card', () => openCardsFrom('203.0.113.104/32') === 1, 10_000);
  // The result's post is now held by Slack (the stand-in): the process dies before it is answered.
  await new Promise((resolve) => setTimeout(resolve, 200));
  await killAndRestart();

  const text = await settle(command, '203.0.113.104/32', 1);
  expect(text).toContain(`${endpointPortFrom('203.0.113.104/32')}`);
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(openCardsFrom('203.0.113.104/32')).toBe(1);
});

it('killed during a close: the close is finished, the card says closed, the user is told', async () => {
  const open = await sendCommand(rig, 'open demo-app-down ssh from 203.0.113.105', { userId: ALICE, channelId: OPS });
  await settle(open, '203.0.113.105/32', 1);
  rig.sim.faults.add({ kind: 'hang', method: 'DELETE', path: '/v1/port_mappings/*', count: 1 });
  const deletes = soracomRequests('DELETE', /^\/v1\/port_mappings\//);
  const close = await sendCommand(rig, 'close demo-app-down', { userId: ALICE, channelId: OPS });
  await waitFor('the delete to be sent', () => soracomRequests('DELETE', /^\/v1\/port_mappings\//) > deletes);
  await killAndRestart();

  const text = await settle(close, '203.0.113.105/32', 0);
  expect(text).toContain('Closed');
  await waitFor('the card to say closed', () => cardStatesFrom('203.0.113.105/32').every((state) => state === 'closed') && cardStatesFrom('203.0.113.105/32').length === 1);
});

it("killed during an Extend's create, which SORACOM commits: the old one deleted, the one card redrawn for the new one", async () => {
  const cidr = '203.0.113.108/32';
  const open = await sendCommand(rig, 'open demo-healthy ssh for 30m from 203.0.113.108', { userId: ALICE, channelId: OPS });
  await settle(open, cidr, 1);
  const card = await waitFor('the card', () => mappingCardsFrom(cidr)[0]);
  const oldId = String(card.metadata?.event_payload['mapping_id']);
  await rig.driver().openHome(ALICE);
  const home = await waitFor('the Home tab with the mapping', () => {
    const view = rig.slack.homeView(ALICE);
    return view !== undefined && JSON.stringify(view.blocks).includes(`napter_home_${oldId}`) ? view : undefined;
  });

  rig.sim.faults.add({ kind: 'latency', latencyMs: 1500, method: 'POST', path: '/v1/port_mappings/sims/*', count: 1 });
  const creates = soracomRequests('POST', /^\/v1\/port_mappings\/sims\//);
  const clicking = rig
    .driver()
    .clickButton({ userId: ALICE, view: home, actionId: ACTION_IDS.extend, blockId: `napter_home_${oldId}` })
    .catch(() => undefined);
  await waitFor('the create to be sent', () => soracomRequests('POST', /^\/v1\/port_mappings\/sims\//) > creates);
  const exit = await rig.bot.kill('SIGKILL');
  expect(exit.signal).toBe('SIGKILL');
  await clicking;
  // SORACOM goes on with the request it received: the old mapping and the new one are both alive.
  await waitFor('SORACOM to commit it', () => mappingsFrom(rig, cidr) === 2, 10_000);
  rig.sim.faults.clear();
  await rig.bot.restart();

  await waitFor('the old one deleted', () => mappingsFrom(rig, cidr) === 1, 30_000);
  const port = endpointPortFrom(cidr);
  await waitFor('the new endpoint told privately', () => toldPrivately(ALICE).includes(`:${port}`), 30_000);
  const redrawn = await waitFor('the card redrawn for the new mapping', () => {
    const now = rig.slack.findMessage(OPS, card.ts);
    const payload = now?.metadata?.event_payload;
    return payload !== undefined && payload['mapping_id'] !== oldId && payload['state'] === 'open' ? payload : undefined;
  });
  const alive = rig.sim.world.state.mappings.find((mapping) => mapping.end === 'active' && mapping.sourceIpRanges.includes(cidr));
  expect(redrawn['expires_at_ms']).toBe(alive?.expiresAtMs);
  // A while later: still one card for the source, where it was, open; the Extend told once.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  expect(mappingCardsFrom(cidr).map((message) => [message.ts, message.metadata?.event_payload['state']])).toEqual([[card.ts, 'open']]);
  expect(toldPrivately(ALICE).split('finished after the bot restarted').length - 1).toBe(1);
});

it('killed with an IP capture pending: the link still works after the restart and opens exactly one mapping', async () => {
  const command = await sendCommand(rig, 'open demo-healthy http', { userId: ALICE, channelId: OPS });
  const link = await waitFor('the IP link', () => linkIn(command));
  await killAndRestart();

  const confirm = await fetch(onCurrentPort(link), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': '203.0.113.106' }, body: '' });
  expect(confirm.status).toBe(200);
  await confirm.text();
  const text = await waitFor('the result', () => {
    const answer = finalAnswer(rig.slack, command);
    return answer !== undefined && answer.text.includes('Napter is open') ? answer : undefined;
  });
  tally.answer(command, text);
  expect(mappingsFrom(rig, '203.0.113.106/32')).toBe(1);
});

it('killed while a confirmed IP link was opening: the link works again and a second confirm opens exactly one', async () => {
  const command = await sendCommand(rig, 'open demo-healthy rdp', { userId: ALICE, channelId: OPS });
  const link = await waitFor('the IP link', () => linkIn(command));
  rig.sim.faults.add({ kind: 'hang', method: 'POST', path: '/v1/port_mappings/sims/*', count: 1 });
  const creates = soracomRequests('POST', /^\/v1\/port_mappings\/sims\//);
  const confirming = fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': '203.0.113.107' }, body: '' }).catch(
    () => undefined,
  );
  await waitFor('the create to be sent', () => soracomRequests('POST', /^\/v1\/port_mappings\/sims\//) > creates);
  await killAndRestart();
  await confirming;

  await waitFor('the user to hear the link works again', () => finalAnswer(rig.slack, command)?.text.includes('works again'));
  expect(mappingsFrom(rig, '203.0.113.107/32')).toBe(0);
  const again = await fetch(onCurrentPort(link), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': '203.0.113.107' }, body: '' });
  expect(again.status).toBe(200);
  await again.text();
  const answer = await waitFor('the result', () => {
    const latest = finalAnswer(rig.slack, command);
    return latest !== undefined && latest.text.includes('Napter is open') ? latest : undefined;
  });
  tally.answer(command, answer);
  expect(mappingsFrom(rig, '203.0.113.107/32')).toBe(1);
});

function linkIn(command: SentCommand): string | undefined {
  for (const post of rig.slack.responseUrlPosts.filter((candidate) => candidate.url === command.result.responseUrl)) {
    const blocks = (post.body as { blocks?: unknown }).blocks;
    const url = buttonsOf(Array.isArray(blocks) ? blocks : []).find((button) => button.url?.includes('/napter/ip/'))?.url;
    if (url !== undefined) return url;
  }
  return undefined;
}

/** The same page on the restarted bot (it listens on a new port; in production PUBLIC_URL stays the same). */
function onCurrentPort(link: string): string {
  const url = new URL(link);
  return `${rig.bot.baseUrl}${url.pathname}`;
}

function mappingCardsFrom(cidr: string) {
  const ports = rig.sim.world.state.mappings.filter((mapping) => mapping.sourceIpRanges.includes(cidr)).map((mapping) => mapping.port);
  const simIds = new Set(rig.sim.world.state.mappings.filter((mapping) => mapping.sourceIpRanges.includes(cidr)).map((mapping) => mapping.simId));
  return rig.slack
    .channelMessages(OPS)
    .filter((message) => message.metadata?.event_type === 'napter_mapping' && simIds.has(String(message.metadata.event_payload['sim_id'])))
    .filter((message) => ports.length > 0 && cardMatchesSource(message.metadata?.event_payload, cidr));
}

function cardStatesFrom(cidr: string): unknown[] {
  return mappingCardsFrom(cidr).map((message) => message.metadata?.event_payload['state']);
}

/** Everything the bot said to a person alone: their DM and their ephemerals. */
function toldPrivately(userId: string): string {
  return [...rig.slack.channelMessages(`D${userId}`), ...rig.slack.ephemerals({ userId })]
    .map((message) => `${message.text}\n${JSON.stringify(message.blocks)}`)
    .join('\n');
}

function openCardsFrom(cidr: string): number {
  return cardStatesFrom(cidr).filter((state) => state === 'open').length;
}

/** Cards carry only ids: the bot's own cards for mappings from this source are matched through SORACOM's expiry. */
function cardMatchesSource(payload: Record<string, unknown> | undefined, cidr: string): boolean {
  const expires = payload?.['expires_at_ms'];
  return rig.sim.world.state.mappings.some((mapping) => mapping.sourceIpRanges.includes(cidr) && mapping.expiresAtMs === expires);
}
