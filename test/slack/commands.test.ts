import { ACTION_IDS, METADATA_EVENT_TYPES } from '../../src/slack/ids';
import { startHarness, type Harness } from '../support/harness';
import { activeWorldMappings, captureUrlIn, clickable, createCalls, everythingChannelsSaw, latestEphemeral, textOf } from '../support/slack-views';

/** help, usage errors, SIM resolution, list, close, and the Close now / Open again buttons, end to end. */
const ALICE = 'U0ALICE';
const HANAKO = 'U0HANAKO';
const ADMIN = 'U0ADMIN';
const OPS = 'C0OPS';

const ADMIN_POLICY = `
admins: { users: [U0ADMIN] }
rules:
  - name: everyone
    who: everyone
    actions: [open, list, diagnose]
`;

let h: Harness;
beforeEach(async () => {
  h = await startHarness({ policyText: ADMIN_POLICY });
});
afterEach(async () => {
  await h.close();
});

/** Every SORACOM call except authentication. */
const soracomCalls = () => h.sim.requests.filter((request) => request.path !== '/v1/auth').length;

async function run(text: string, userId = ALICE, channelId = OPS) {
  const answer = await h.driver.command(text, { userId, channelId });
  expect(answer.status).toBe(200);
  await h.settle();
  return latestEphemeral(h.slack, userId, channelId);
}

describe('help and usage', () => {
  it('answers help in the user’s language (English for alice, Japanese for hanako)', async () => {
    expect((await run('help')).text).toBe('/napter: SORACOM Napter from Slack');
    const ja = await run('help', HANAKO);
    expect(ja.text).toBe('/napter: Slack から SORACOM Napter を使う');
    expect(textOf(ja)).toContain('グローバル IP アドレス');
  });

  it('falls back to English when users.info fails', async () => {
    h.slack.faults.failNext('users.info', 'user_not_found');
    expect((await run('help', HANAKO)).text).toBe('/napter: SORACOM Napter from Slack');
    expect(h.slack.callsTo('users.info').at(-1)?.args['include_locale']).toBeTruthy();
  });

  it.each([
    ['frobnicate gw-1', 'frobnicate'],
    ['open', 'open'],
    ['open demo-healthy udp', 'TCP'],
    ['open demo-healthy ssh tls', 'TLS'],
    ['open demo-healthy ssh from 10.0.0.1', '10.0.0.1'],
    ['open demo-healthy ssh from 0.0.0.0/0', '0.0.0.0/0'],
  ])('refuses "%s" with the problem and the right form, and calls SORACOM not at all', async (text, mentioned) => {
    const before = soracomCalls();
    const reply = await run(text);
    expect(textOf(reply).toLowerCase()).toContain(mentioned.toLowerCase());
    expect(textOf(reply)).toContain('/napter');
    expect(reply.text).toContain('The right form:');
    expect(soracomCalls()).toBe(before);
  });
});

describe('naming the SIM', () => {
  it('lists the candidates for an ambiguous name instead of guessing', async () => {
    const reply = await run('open demo-tls ssh from 203.0.113.5');
    expect(reply.text).toContain('SIMs match');
    expect(textOf(reply)).toContain('demo-tls-ssh');
    expect(textOf(reply)).toContain('demo-tls-rdp');
    expect(createCalls(h)).toBe(0);
  });

  it('says when no SIM matches', async () => {
    expect((await run('open no-such-sim ssh from 203.0.113.5')).text).toContain('No SIM matches `no-such-sim`');
  });

  it('accepts an IMSI', async () => {
    await run('open 295050910000001 ssh from 203.0.113.5');
    expect((await h.store.mappings.list({}))[0]?.simId).toBe('8942310022000000001');
  });
});

describe('list', () => {
  it('shows active mappings with who opened them; the endpoint only to its owner', async () => {
    await run('open demo-healthy ssh from 203.0.113.5');
    const [stored] = await h.store.mappings.list({});
    if (stored === undefined) throw new Error('no mapping');

    const mine = await run('list demo-healthy');
    expect(textOf(mine)).toContain(`${stored.port}`);
    expect(textOf(mine)).toContain(`<@${ALICE}>`);

    const theirs = await run('list', HANAKO);
    expect(textOf(theirs)).toContain(`<@${ALICE}>`);
    expect(textOf(theirs)).not.toContain(`:${stored.port}`);
    expect(textOf(theirs)).not.toContain(stored.ipAddress);
  });

  it('lists every SIM only as far as the policy lets the viewer list each SIM; admins see all', async () => {
    await h.close();
    h = await startHarness({
      policyText: `
admins: { users: [U0ADMIN] }
rules:
  - name: healthy-only
    who: everyone
    sims: [{ tags: { name: "demo-healthy" } }]
    actions: [open, list]
  - name: everyone-lists-somewhere
    who: everyone
    channels: [C0OPS]
    sims: [{ tags: { name: "no-such-sim-*" } }]
    actions: [list]
`,
    });
    await run('open demo-healthy ssh from 203.0.113.5');
    const others = activeWorldMappings(h).length;
    expect(others).toBeGreaterThan(1);

    const limited = textOf(await run('list', HANAKO));
    expect(limited).toContain('demo-healthy');
    expect(limited).not.toMatch(/demo-(?!healthy)/);
    expect(limited).toContain('アクセスポリシーにより一覧表示できない');

    const admin = textOf(await run('list', ADMIN));
    expect(admin).toMatch(/demo-(?!healthy)/);
    expect(admin).not.toContain('access policy does not let you list');
  });
});

describe('close', () => {
  it('closes the requester’s mapping, updates the card and writes the ledger', async () => {
    await run('open demo-healthy ssh from 203.0.113.5');
    const [stored] = await h.store.mappings.list({});
    if (stored === undefined) throw new Error('no mapping');

    const reply = await run('close demo-healthy');
    expect(textOf(reply)).toContain('closed');
    expect(activeWorldMappings(h).some((mapping) => mapping.port === stored.port && mapping.ipAddress === stored.ipAddress)).toBe(false);
    expect((await h.store.mappings.get(stored.id))?.closed?.byUserId).toBe(ALICE);
    const card = h.slack.channelMessages(OPS).find((message) => message.metadata?.event_type === METADATA_EVENT_TYPES.mappingCard);
    expect(card?.text).toContain('closed');
    expect(card?.metadata?.event_payload['state']).toBe('closed');
    expect((await h.store.ledger.list({ mappingId: stored.id })).map((entry) => entry.kind)).toEqual(['close', 'open']);
  });

  it('does not let another user close someone else’s mapping, but lets an admin', async () => {
    await run('open demo-healthy ssh from 203.0.113.5');
    const denied = await run('close demo-healthy', HANAKO);
    expect(denied.text).toContain('<@U0ALICE>');
    expect(denied.text).toContain('管理者');
    expect(activeWorldMappings(h).filter((mapping) => mapping.devicePort === 22 && mapping.sourceIpRanges.includes('203.0.113.5/32'))).toHaveLength(1);

    const byAdmin = await run('close demo-healthy', ADMIN);
    expect(textOf(byAdmin)).toContain('closed');
    expect(activeWorldMappings(h).filter((mapping) => mapping.sourceIpRanges.includes('203.0.113.5/32'))).toHaveLength(0);
  });

  it('closes by endpoint', async () => {
    await run('open demo-healthy ssh from 203.0.113.5');
    const [stored] = await h.store.mappings.list({});
    if (stored === undefined) throw new Error('no mapping');
    await run(`close ${stored.ipAddress}:${stored.port}`);
    expect((await h.store.mappings.get(stored.id))?.closed).toBeDefined();
  });
});

describe('Close now', () => {
  async function openAndFindCard() {
    await run('open demo-healthy ssh from 203.0.113.5');
    const card = h.slack.channelMessages(OPS).find((message) => message.metadata?.event_type === METADATA_EVENT_TYPES.mappingCard);
    if (card === undefined) throw new Error('no card');
    return card;
  }

  it('closes for the requester, once, even on a double click', async () => {
    const card = await openAndFindCard();
    await Promise.all([
      h.driver.clickButton({ userId: ALICE, message: clickable(card), actionId: ACTION_IDS.closeNow }),
      h.driver.clickButton({ userId: ALICE, message: clickable(card), actionId: ACTION_IDS.closeNow }),
    ]);
    await h.settle();
    const [stored] = await h.store.mappings.list({});
    expect(stored?.closed?.byUserId).toBe(ALICE);
    expect(h.sim.requests.filter((request) => request.method === 'DELETE')).toHaveLength(1);
    const updated = h.slack.findMessage(OPS, card.ts);
    expect(updated?.text).toContain('closed');
    expect(JSON.stringify(updated?.blocks)).not.toContain(ACTION_IDS.closeNow);
    const replies = h.slack
      .ephemerals({ userId: ALICE, channelId: OPS })
      .map((message) => message.text)
      .join('\n');
    expect(replies).toContain('Closed Napter');
    expect(replies).toMatch(/already closed|being closed already/);
  });

  it('refuses a click by someone who did not open it (and is not an admin)', async () => {
    const card = await openAndFindCard();
    await h.driver.clickButton({ userId: HANAKO, message: clickable(card), actionId: ACTION_IDS.closeNow });
    await h.settle();
    expect(latestEphemeral(h.slack, HANAKO, OPS).text).toContain('<@U0ALICE>');
    expect((await h.store.mappings.list({}))[0]?.closed).toBeUndefined();
    expect(h.sim.requests.filter((request) => request.method === 'DELETE')).toHaveLength(0);
    expect((await h.store.ledger.list({ userId: HANAKO })).map((entry) => entry.kind)).toEqual(['denied']);
  });

  it('refuses a tampered or stale button value', async () => {
    const card = await openAndFindCard();
    for (const value of ['{"v":1,"mappingId":"nope"}', 'not json', '{"v":1,"mappingId":"x","ip":"1.2.3.4"}']) {
      await h.driver.clickButton({ userId: ALICE, message: clickable(card), actionId: ACTION_IDS.closeNow, value });
      await h.settle();
      expect(latestEphemeral(h.slack, ALICE, OPS).text).toContain('no longer points at a mapping');
    }
    expect(h.sim.requests.filter((request) => request.method === 'DELETE')).toHaveLength(0);
  });
});

describe('Open again', () => {
  it('opens with the same parameters after a new IP capture', async () => {
    const prompt = await run('open demo-healthy https for 20m');
    const confirm = await fetch(captureUrlIn(prompt), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'ip=203.0.113.40',
    });
    await confirm.text();
    await h.settle();
    const [first] = await h.store.mappings.list({});
    if (first === undefined) throw new Error('no mapping');
    await h.deps.api.deletePortMapping(first.ipAddress, first.port);

    const result = latestEphemeral(h.slack, ALICE, OPS);
    await h.driver.clickButton({ userId: ALICE, message: clickable(result), actionId: ACTION_IDS.openAgain });
    await h.settle();
    const newPrompt = latestEphemeral(h.slack, ALICE, OPS);
    const url = captureUrlIn(newPrompt);
    await (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'ip=203.0.113.41' })).text();
    await h.settle();

    const simId = h.sim.world.sim('demo-healthy').simId;
    const active = activeWorldMappings(h).filter((mapping) => mapping.simId === simId && mapping.devicePort === 443);
    expect(active).toHaveLength(1);
    expect(active[0]?.durationSec).toBe(1200);
    expect(active[0]?.sourceIpRanges).toEqual(['203.0.113.41/32']);
    expect((await h.store.ledger.list({ userId: ALICE })).some((entry) => entry.kind === 'retry')).toBe(true);
    expect(everythingChannelsSaw(h.slack)).not.toContain(active[0]?.hostname ?? '∅');
  });
});
