import { ACTION_IDS } from '../../../src/slack/ids';
import type { StoredMapping } from '../../../src/use-cases/ports/store';
import { startHarness, type Harness } from '../../support/harness';
import {
  activeWorldMappings,
  captureUrlIn,
  clickable,
  createCalls,
  everythingChannelsSaw,
  expectChannelsNeverSaw,
  latestEphemeral,
  textOf,
} from '../../support/slack-views';
import { onlyParent, payloadOf, replyWithButton } from '../../support/threads';

/**
 * "Open again with the fix" clicked by someone with no confirmed address: the fix goes through the IP page,
 * end to end over signed HTTP, the real IP page, the simulator and the fake Slack.
 */
const ALICE = 'U0ALICE';
const HANAKO = 'U0HANAKO';
const OPS = 'C0OPS';
const ALICE_OFFICE_IP = '203.0.113.77';

let h: Harness;
beforeEach(async () => {
  h = await startHarness({ scenario: 'tls-on-ssh' });
});
afterEach(async () => {
  await h.close();
});

/** Alice's browser reaches the page through the trusted proxy, which names her address: the server sees it. */
const form = (ip: string): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': ip },
  body: '',
});

/** Hanako diagnoses the SIM; Alice, who never confirmed an address, clicks the TLS-off fix in the thread. */
async function aliceClicksTheFix() {
  await h.driver.command('diagnose gw-yokohama-01', { userId: HANAKO, channelId: OPS });
  await h.settle();
  const parent = onlyParent(h, OPS);
  expect(payloadOf(parent)['verdict']).toBe('tls-on-non-tls-protocol');
  const fixReply = replyWithButton(parent, ACTION_IDS.openAgainWithFix);
  expect(await h.store.lastIps.get(h.slack.workspace.teamId, ALICE)).toBeUndefined();
  const creates = createCalls(h);

  await h.driver.clickButton({ userId: ALICE, message: clickable(fixReply), actionId: ACTION_IDS.openAgainWithFix });
  await h.settle();

  // Nothing opens before the address is confirmed; the link reaches Alice alone.
  expect(createCalls(h)).toBe(creates);
  const prompt = latestEphemeral(h.slack, ALICE, OPS);
  const url = captureUrlIn(prompt);
  expect(url.startsWith(`${h.appUrl}/napter/ip/`)).toBe(true);
  expect(everythingChannelsSaw(h.slack)).not.toContain('/napter/ip/');
  expect(h.slack.ephemerals({ userId: HANAKO }).map(textOf).join('\n')).not.toContain('/napter/ip/');
  return { parent, fixReply, prompt, url, creates };
}

async function confirmOnThePage(url: string, ip: string): Promise<void> {
  const page = await fetch(url);
  expect(page.status).toBe(200);
  await page.text();
  const confirm = await fetch(url, form(ip));
  expect(confirm.status).toBe(200);
  await confirm.text();
  await h.settle();
}

async function theReopenedMapping(): Promise<StoredMapping> {
  const active = (await h.store.mappings.list({ activeAtMs: h.clock.nowMs() })).filter((mapping) => mapping.openedBy.userId === ALICE);
  expect(active).toHaveLength(1);
  return active[0] as StoredMapping;
}

describe('Open again with the fix, for a clicker without a confirmed address', () => {
  it('opens with TLS off from the address confirmed on the IP page and updates the link message in place', async () => {
    const { parent, fixReply, prompt, url, creates } = await aliceClicksTheFix();
    // Opening the page from the link button: Slack sends that click too, from Alice's ephemeral.
    await h.driver.clickButton({ userId: ALICE, message: clickable(prompt), actionId: ACTION_IDS.openIpCapturePage });
    await h.settle();
    const ephemeralsBefore = h.slack.ephemerals({ userId: ALICE }).length;

    await confirmOnThePage(url, ALICE_OFFICE_IP);

    expect(createCalls(h) - creates).toBe(1);
    const mapping = await theReopenedMapping();
    expect(mapping.tlsRequired).toBe(false);
    expect(mapping.devicePort).toBe(22);
    expect(mapping.sourceCidr).toBe(`${ALICE_OFFICE_IP}/32`);
    const inSoracom = activeWorldMappings(h).find((world) => world.ipAddress === mapping.ipAddress && world.port === mapping.port);
    expect(inSoracom?.tlsRequired).toBe(false);
    expect(inSoracom?.sourceIpRanges).toEqual([`${ALICE_OFFICE_IP}/32`]);
    expect((await h.store.lastIps.get(h.slack.workspace.teamId, ALICE))?.ip).toBe(ALICE_OFFICE_IP);

    // The link message became the result, in place: same ts, no new message, the endpoint for Alice only.
    const updated = latestEphemeral(h.slack, ALICE, OPS);
    expect(updated.ts).toBe(prompt.ts);
    expect(h.slack.ephemerals({ userId: ALICE })).toHaveLength(ephemeralsBefore);
    expect(textOf(updated)).toContain('Napter is open');
    expect(textOf(updated)).toContain(`${mapping.hostname ?? mapping.ipAddress}:${mapping.port}`);
    expect(textOf(updated)).not.toContain('/napter/ip/');
    expect(h.slack.ephemerals({ userId: HANAKO }).map(textOf).join('\n')).not.toContain(String(mapping.port));

    // The thread reply that held the button is untouched; the channel learns that the fix was applied, not where to.
    const replyNow = h.slack.findMessage(OPS, fixReply.ts);
    expect(replyNow?.editCount).toBe(0);
    expect(replyNow?.text).toBe(fixReply.text);
    const parentNow = onlyParent(h, OPS);
    expect(parentNow.ts).toBe(parent.ts);
    // In Hanako's language: she asked for the diagnosis.
    expect(textOf(parentNow)).toContain('<@U0ALICE> さんが');
    expect(textOf(parentNow)).toContain('対処を適用してリモートアクセスをもう一度有効にしました');
    expectChannelsNeverSaw(h.slack, mapping);
    expect((await h.store.ledger.list({ userId: ALICE })).map((entry) => entry.kind)).toEqual(expect.arrayContaining(['ip-confirmed', 'retry']));
  });

  it('still tells the clicker alone when the page was opened without the link button', async () => {
    const { fixReply, url, creates } = await aliceClicksTheFix();
    const ephemeralsBefore = h.slack.ephemerals({ userId: ALICE }).length;

    await confirmOnThePage(url, ALICE_OFFICE_IP);

    expect(createCalls(h) - creates).toBe(1);
    const mapping = await theReopenedMapping();
    expect(mapping.tlsRequired).toBe(false);
    // No message of Alice's can be replaced: the result is one new ephemeral, with no progress line before it.
    const added = h.slack.ephemerals({ userId: ALICE }).slice(ephemeralsBefore);
    expect(added).toHaveLength(1);
    expect(textOf(added[0]!)).toContain(`${mapping.hostname ?? mapping.ipAddress}:${mapping.port}`);
    expect(h.slack.findMessage(OPS, fixReply.ts)?.editCount).toBe(0);
    expectChannelsNeverSaw(h.slack, mapping);
    expect(textOf(onlyParent(h, OPS))).toContain('対処を適用してリモートアクセスをもう一度有効にしました');
  });

  it('ignores a link-button click by someone else: the capture keeps no response_url of theirs', async () => {
    const { prompt } = await aliceClicksTheFix();
    const captureId = (
      JSON.parse(
        (prompt.blocks as { elements?: { action_id?: string; value?: string }[] }[])
          .flatMap((block) => block.elements ?? [])
          .find((element) => element.action_id === ACTION_IDS.openIpCapturePage)?.value ?? '{}',
      ) as { captureId?: string }
    ).captureId;
    expect(captureId).toBeDefined();
    // Hanako cannot see Alice's ephemeral; she replays its button value from an ephemeral of her own.
    const hanakos = latestEphemeral(h.slack, HANAKO, OPS);
    await h.driver.clickButton({
      userId: HANAKO,
      message: { ...clickable(hanakos), blocks: prompt.blocks },
      actionId: ACTION_IDS.openIpCapturePage,
    });
    await h.settle();
    expect((await h.store.ipCaptures.get(captureId ?? ''))?.responseUrl).toBeUndefined();
  });
});
