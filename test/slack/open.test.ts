import { postSigned } from '../../src/slack-fake/index';
import { ACTION_IDS, METADATA_EVENT_TYPES } from '../../src/slack/ids';
import { startHarness, type Harness } from '../support/harness';
import { activeWorldMappings, captureUrlIn, clickable, createCalls, expectChannelsNeverSaw, latestEphemeral, textOf } from '../support/slack-views';

/**
 * `/napter open` end to end: signed HTTP requests into the real Bolt app, the real SORACOM client against
 * the simulator, the fake Slack recording what every user and channel saw.
 */
const ALICE = 'U0ALICE';
const HANAKO = 'U0HANAKO';
const OPS = 'C0OPS';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

async function mappingsOpenedByBot(): Promise<number> {
  return (await h.store.ledger.list({})).filter((entry) => entry.kind === 'open' || entry.kind === 'retry').length;
}

/** The endpoint (host, IP, public port) of the one active mapping the bot opened. */
async function openedEndpoint() {
  const [stored] = await h.store.mappings.list({ activeAtMs: h.clock.nowMs() });
  if (stored === undefined) throw new Error('The bot stored no mapping');
  return stored;
}

describe('/napter open … from <ip>', () => {
  it('opens a mapping, sends the endpoint to the requester only and a masked card to the channel', async () => {
    const before = createCalls(h);
    const answer = await h.driver.command('open demo-healthy ssh for 45m from 203.0.113.5', { userId: ALICE, channelId: OPS });
    expect(answer.status).toBe(200);
    await h.settle();

    expect(createCalls(h) - before).toBe(1);
    const stored = await openedEndpoint();
    expect(stored.devicePort).toBe(22);
    expect(stored.durationSec).toBe(45 * 60);
    expect(stored.sourceCidr).toBe('203.0.113.5/32');
    expect(stored.openedBy.userId).toBe(ALICE);
    const world = h.sim.world.state.mappings.find((mapping) => mapping.ipAddress === stored.ipAddress && mapping.port === stored.port);
    expect(world?.durationSec).toBe(2700);
    expect(world?.sourceIpRanges).toEqual(['203.0.113.5/32']);

    const reply = latestEphemeral(h.slack, ALICE, OPS);
    const replyText = textOf(reply);
    expect(replyText).toContain(`${stored.hostname ?? stored.ipAddress}:${stored.port}`);
    // `<user>` is written as entities: Slack would read a bare `<…>` as a link.
    expect(replyText).toContain(`ssh -p ${stored.port} &lt;user&gt;@${stored.hostname ?? stored.ipAddress}`);
    expect(replyText).toMatch(/<!date\^\d+\^\{date_short_pretty\} \{time\}\|/);
    expect(replyText).toContain(ACTION_IDS.diagnoseMapping);
    expect(replyText).toContain(ACTION_IDS.closeNow);
    expect(replyText).toContain(ACTION_IDS.openAgain);
    expect(h.slack.ephemerals({ userId: HANAKO })).toHaveLength(0);

    const cards = h.slack.channelMessages(OPS).filter((message) => message.metadata?.event_type === METADATA_EVENT_TYPES.mappingCard);
    expect(cards).toHaveLength(1);
    expect(cards[0]?.metadata?.event_payload['mapping_id']).toBe(stored.id);
    expect(textOf(cards[0] as { text: string; blocks: unknown[] })).toContain(`<@${ALICE}>`);
    expect((await h.store.mappings.get(stored.id))?.card?.ts).toBe(cards[0]?.ts);
    expectChannelsNeverSaw(h.slack, stored);

    const ledger = await h.store.ledger.list({ mappingId: stored.id });
    expect(ledger.map((entry) => [entry.kind, entry.userId])).toEqual([['open', ALICE]]);
  });

  it('shows the progress in place: the ack is empty, then the reply is replaced', async () => {
    const answer = await h.driver.command('open demo-healthy https from 203.0.113.5', { userId: ALICE, channelId: OPS });
    expect(answer.body).toBeUndefined();
    await h.settle();
    const reply = latestEphemeral(h.slack, ALICE, OPS);
    expect(h.slack.ephemerals({ userId: ALICE, channelId: OPS })).toHaveLength(1);
    expect(reply.previousVersions.map((version) => version.text).join('\n')).toMatch(/Reading SIM[\s\S]*Opening Napter/);
    expect(reply.text).toContain('Napter is open');
  });

  it('reuses an active mapping that already admits the address instead of creating a second one', async () => {
    await h.driver.command('open demo-healthy ssh from 203.0.113.5', { userId: ALICE, channelId: OPS });
    await h.settle();
    const first = await openedEndpoint();
    const creates = createCalls(h);

    await h.driver.command('open demo-healthy ssh from 203.0.113.5', { userId: ALICE, channelId: OPS });
    await h.settle();

    expect(createCalls(h)).toBe(creates);
    const reply = latestEphemeral(h.slack, ALICE, OPS);
    expect(reply.text).toContain('already admits your address');
    expect(textOf(reply)).toContain(`${first.port}`);
    expect((await h.store.ledger.list({ mappingId: first.id })).map((entry) => entry.kind)).toEqual(['reuse', 'open']);
    expect(h.slack.channelMessages(OPS).filter((message) => message.metadata?.event_type === METADATA_EVENT_TYPES.mappingCard)).toHaveLength(1);
  });

  it('never reveals another user’s endpoint to a typed range: it opens a mapping of their own instead', async () => {
    await h.driver.command('open demo-healthy ssh from 203.0.113.0/24', { userId: ALICE, channelId: OPS });
    await h.settle();
    const alices = await openedEndpoint();
    const creates = createCalls(h);

    // Hanako types an address inside Alice's range (readable as 203.0.113.x on the masked card).
    await h.driver.command('open demo-healthy ssh from 203.0.113.5', { userId: HANAKO, channelId: OPS });
    await h.settle();

    expect(createCalls(h)).toBe(creates + 1);
    const hanakoSaw = h.slack
      .ephemerals({ userId: HANAKO })
      .map((ephemeral) => JSON.stringify(ephemeral))
      .join('\n');
    expect(hanakoSaw).not.toContain(String(alices.port));
    if (alices.hostname !== undefined) expect(hanakoSaw).not.toContain(alices.hostname);
    const hanakos = (await h.store.mappings.list({ activeAtMs: h.clock.nowMs() })).find((mapping) => mapping.openedBy.userId === HANAKO);
    expect(hanakos?.sourceCidr).toBe('203.0.113.5/32');
  });

  it('a redelivered command (same trigger_id) never creates a second mapping', async () => {
    const responseUrl = h.slack.newResponseUrl({ channelId: OPS, userId: ALICE });
    const triggerId = h.slack.newTriggerId(ALICE);
    const body = new URLSearchParams({
      token: 'x',
      team_id: h.slack.workspace.teamId,
      team_domain: h.slack.workspace.teamDomain,
      channel_id: OPS,
      channel_name: 'iot-ops',
      user_id: ALICE,
      user_name: 'alice',
      command: '/napter',
      text: 'open demo-healthy rdp from 198.51.100.9',
      api_app_id: 'A0FAKENAPTER',
      response_url: responseUrl,
      trigger_id: triggerId,
    }).toString();
    const creates = createCalls(h);
    const [first, second] = await Promise.all([
      postSigned(h.eventsUrl, body, { secret: h.signingSecret }),
      postSigned(h.eventsUrl, body, { secret: h.signingSecret }),
    ]);
    await h.settle();
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(createCalls(h) - creates).toBe(1);
    expect(await mappingsOpenedByBot()).toBe(1);
    // The copy stays silent: the one reply is the first delivery's result, not "in progress".
    const replies = h.slack.ephemerals({ userId: ALICE, channelId: OPS });
    expect(replies).toHaveLength(1);
    expect(replies[0]?.text).toContain('Napter is open');
  });

  it('a double click on Open again with an explicit range opens at most one new mapping', async () => {
    await h.driver.command('open demo-healthy vnc from 203.0.113.0/24', { userId: ALICE, channelId: OPS });
    await h.settle();
    const first = await openedEndpoint();
    // The first mapping is gone (closed elsewhere), so Open again really has to create one.
    await h.deps.api.deletePortMapping(first.ipAddress, first.port);
    const reply = latestEphemeral(h.slack, ALICE, OPS);
    const creates = createCalls(h);

    await Promise.all([
      h.driver.clickButton({ userId: ALICE, message: clickable(reply), actionId: ACTION_IDS.openAgain }),
      h.driver.clickButton({ userId: ALICE, message: clickable(reply), actionId: ACTION_IDS.openAgain }),
    ]);
    await h.settle();

    expect(createCalls(h) - creates).toBeLessThanOrEqual(1);
    const simId = h.sim.world.sim('demo-healthy').simId;
    const active = activeWorldMappings(h).filter((mapping) => mapping.simId === simId && mapping.devicePort === 5900);
    expect(active).toHaveLength(1);
    expect(active[0]?.sourceIpRanges).toEqual(['203.0.113.0/24']);
  });
});

describe('/napter open … from me (the IP page)', () => {
  it('sends a one-time link; GET shows the page, POST confirms, and the Slack message is updated in place', async () => {
    const creates = createCalls(h);
    await h.driver.command('open demo-healthy ssh', { userId: ALICE, channelId: OPS });
    await h.settle();
    expect(createCalls(h)).toBe(creates);

    const prompt = latestEphemeral(h.slack, ALICE, OPS);
    const url = captureUrlIn(prompt);
    expect(url.startsWith(`${h.appUrl}/napter/ip/`)).toBe(true);

    const page = await fetch(url);
    expect(page.status).toBe(200);
    await page.text();
    expect(createCalls(h)).toBe(creates);

    // The server sees the address itself (through the trusted proxy): a proof, remembered as "last confirmed".
    const confirm = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': '203.0.113.77' },
      body: '',
    });
    expect(confirm.status).toBe(200);
    await confirm.text();
    await h.settle();

    expect(createCalls(h) - creates).toBe(1);
    const stored = await openedEndpoint();
    expect(stored.sourceCidr).toBe('203.0.113.77/32');
    expect((await h.store.lastIps.get(h.slack.workspace.teamId, ALICE))?.ip).toBe('203.0.113.77');

    const updated = latestEphemeral(h.slack, ALICE, OPS);
    expect(updated.ts).toBe(prompt.ts);
    expect(textOf(updated)).toContain(`${stored.port}`);
    expectChannelsNeverSaw(h.slack, stored);

    const again = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'ip=203.0.113.77' });
    expect(again.status).toBe(410);
    await again.text();
    expect(createCalls(h) - creates).toBe(1);
  });

  it('`from last` reuses the last confirmed address, and says so when there is none', async () => {
    await h.driver.command('open demo-healthy http from last', { userId: HANAKO, channelId: OPS });
    await h.settle();
    expect(latestEphemeral(h.slack, HANAKO, OPS).text).toContain('確認済みの IP アドレスがまだありません');
    expect(createCalls(h)).toBe(0);

    await h.store.lastIps.set(h.slack.workspace.teamId, HANAKO, '198.51.100.23');
    await h.driver.command('open demo-healthy http from last', { userId: HANAKO, channelId: OPS });
    await h.settle();
    expect((await openedEndpoint()).sourceCidr).toBe('198.51.100.23/32');
  });

  it('survives a restart between "open" and "confirm IP"', async () => {
    await h.driver.command('open demo-healthy ssh', { userId: ALICE, channelId: OPS });
    await h.settle();
    const oldUrl = captureUrlIn(latestEphemeral(h.slack, ALICE, OPS));
    const token = oldUrl.split('/napter/ip/')[1] ?? '';

    await h.restartApp();

    const url = `${h.appUrl}/napter/ip/${token}`;
    const confirm = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'ip=203.0.113.78' });
    expect(confirm.status).toBe(200);
    await confirm.text();
    await h.settle();
    expect((await openedEndpoint()).sourceCidr).toBe('203.0.113.78/32');
    expect(textOf(latestEphemeral(h.slack, ALICE, OPS))).toContain('Napter is open');
  });
  it('an address the browser reported (the server saw only a private peer) is a claim: never "last confirmed", never another user’s endpoint', async () => {
    // Hanako has a mapping that admits 198.51.100.40, proven through the proxy.
    await h.driver.command('open demo-healthy ssh', { userId: HANAKO, channelId: OPS });
    await h.settle();
    const hanakoLink = captureUrlIn(latestEphemeral(h.slack, HANAKO, OPS));
    const proven = await fetch(hanakoLink, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': '198.51.100.40' },
      body: '',
    });
    await proven.text();
    await h.settle();
    const hanakos = await openedEndpoint();
    expect(hanakos.openedBy.userId).toBe(HANAKO);

    // Alice's browser claims Hanako's address; the page saw only 127.0.0.1.
    await h.driver.command('open demo-healthy ssh', { userId: ALICE, channelId: OPS });
    await h.settle();
    const aliceLink = captureUrlIn(latestEphemeral(h.slack, ALICE, OPS));
    const claimed = await fetch(aliceLink, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'ip=198.51.100.40' });
    expect(claimed.status).toBe(200);
    await claimed.text();
    await h.settle();

    // Alice got a mapping of her own, not Hanako's endpoint, and the claim is not remembered.
    const alices = (await h.store.mappings.list({ activeAtMs: h.clock.nowMs() })).filter((mapping) => mapping.openedBy.userId === ALICE);
    expect(alices).toHaveLength(1);
    expect(alices[0]?.port === hanakos.port && alices[0]?.ipAddress === hanakos.ipAddress).toBe(false);
    expect(textOf(latestEphemeral(h.slack, ALICE, OPS))).not.toContain(`${hanakos.port}`);
    expect(await h.store.lastIps.get(h.slack.workspace.teamId, ALICE)).toBeUndefined();

    // `from last` therefore has nothing to reveal it with either.
    await h.driver.command('open demo-healthy ssh from last', { userId: ALICE, channelId: OPS });
    await h.settle();
    expect(textOf(latestEphemeral(h.slack, ALICE, OPS))).not.toContain(`${hanakos.port}`);
  });

  it('binds the link to the user who asked: whoever confirms it, the mapping is theirs and only they are told', async () => {
    await h.driver.command('open demo-healthy ssh', { userId: ALICE, channelId: OPS });
    await h.settle();
    const url = captureUrlIn(latestEphemeral(h.slack, ALICE, OPS));

    // The link reached someone else's browser: confirming it opens nothing for them.
    const confirm = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'ip=198.51.100.99' });
    expect(confirm.status).toBe(200);
    await confirm.text();
    await h.settle();

    const stored = await openedEndpoint();
    expect(stored.openedBy.userId).toBe(ALICE);
    const ledger = await h.store.ledger.list({ mappingId: stored.id });
    expect(ledger.length).toBeGreaterThan(0);
    expect(ledger.map((entry) => entry.userId)).toEqual(ledger.map(() => ALICE));
    expect(await h.store.lastIps.get(h.slack.workspace.teamId, HANAKO)).toBeUndefined();
    const hanakoSaw = h.slack.ephemerals({ userId: HANAKO }).map((ephemeral) => JSON.stringify(ephemeral));
    expect(hanakoSaw.join('\n')).not.toContain(stored.ipAddress);
    expect(hanakoSaw.join('\n')).not.toContain(String(stored.port));
    expectChannelsNeverSaw(h.slack, stored);
  });
});

describe('where the bot cannot post', () => {
  it.each([
    ['C0RANDOM', 'not in this channel'],
    ['G0SECRET', 'cannot see this conversation'],
  ])('in %s the requester still gets the result, with how to invite the bot', async (channelId, hint) => {
    await h.driver.command('open demo-healthy ssh from 203.0.113.5', { userId: ALICE, channelId });
    await h.settle();
    const reply = latestEphemeral(h.slack, ALICE, channelId);
    const stored = await openedEndpoint();
    expect(textOf(reply)).toContain(`${stored.port}`);
    expect(textOf(reply)).toContain(hint);
    expect(textOf(reply)).toContain('/invite @napter');
    expect(h.slack.channelMessages(channelId)).toHaveLength(0);
  });
});

describe('the policy', () => {
  const policyText = `
admins: { users: [U0ADMIN] }
rules:
  - name: ops-only
    who: everyone
    channels: [C0OPS]
    ports: [22]
    maxDurationSec: 3600
    actions: [open, list, diagnose]
`;

  it('refuses a command it does not allow, says why, and sends nothing to SORACOM', async () => {
    await h.close();
    h = await startHarness({ policyText });
    const before = createCalls(h);
    await h.driver.command('open demo-healthy https from 203.0.113.5', { userId: ALICE, channelId: OPS });
    await h.settle();
    expect(latestEphemeral(h.slack, ALICE, OPS).text).toContain('device port 443');
    await h.driver.command('open demo-healthy ssh for 2h from 203.0.113.5', { userId: ALICE, channelId: OPS });
    await h.settle();
    expect(latestEphemeral(h.slack, ALICE, OPS).text).toContain('1h');
    expect(createCalls(h)).toBe(before);
    expect((await h.store.ledger.list({ userId: ALICE })).map((entry) => entry.kind)).toEqual(['denied', 'denied']);
  });
});
