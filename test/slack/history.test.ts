import { ACTION_IDS } from '../../src/slack/ids';
import type { StoredMapping } from '../../src/use-cases/ports/store';
import { type Harness, startHarness } from '../support/harness';
import { clickable, everythingChannelsSaw, latestEphemeral, textOf } from '../support/slack-views';

/**
 * `/napter history` end to end: the ledger read back with the connections the simulator's Napter logged, the
 * policy deciding who sees which SIM, and the CSV uploaded to the requester's DM with the bot, never a channel.
 */
const ALICE = 'U0ALICE';
const HANAKO = 'U0HANAKO';
const ADMIN = 'U0ADMIN';
const OPS = 'C0OPS';

// Alice and Hanako may open and list demo-healthy; only Alice may list demo-https; the admin (no rule) may do nothing.
const POLICY = [
  'rules:',
  '  - who: { users: [U0ALICE, U0HANAKO] }',
  '    actions: [open, list, diagnose]',
  '    sims: [{ tags: { name: demo-healthy } }]',
  '  - who: { users: [U0ALICE] }',
  '    actions: [open, list, diagnose]',
  '    sims: [{ tags: { name: demo-https } }]',
  '  - who: { users: [U0HANAKO] }',
  '    actions: [open]',
  '',
].join('\n');

let h: Harness;
beforeEach(async () => {
  h = await startHarness({ policyText: POLICY });
});
afterEach(async () => {
  await h.close();
});

async function openAs(userId: string, text: string): Promise<StoredMapping> {
  await h.driver.command(text, { userId, channelId: OPS });
  await h.settle();
  const [newest] = await h.store.mappings.list({ activeAtMs: h.clock.nowMs() });
  if (newest === undefined) throw new Error(`No mapping after "${text}"`);
  return newest;
}

/** A client of the simulated world connects through the mapping's endpoint from `ip`; Napter logs what follows. */
function connect(mapping: StoredMapping, ip: string, name: string): void {
  h.sim.world.addClient({ id: name, label: name, globalIp: ip });
  h.sim.world.attempt({ client: name, endpoint: `${mapping.ipAddress}:${mapping.port}`, sessionSec: 30 });
}

const auditReads = (): number => h.sim.requests.filter((request) => request.path.startsWith('/v1/audit_logs/napter')).length;

async function history(userId: string, text = 'history'): Promise<string> {
  await h.driver.command(text, { userId, channelId: OPS });
  await h.settle();
  return textOf(latestEphemeral(h.slack, userId, OPS));
}

describe('/napter history', () => {
  it('lists who opened and closed what, with the connections Napter logged on each mapping', async () => {
    const mapping = await openAs(ALICE, 'open demo-healthy ssh for 1h from 203.0.113.5');
    connect(mapping, '203.0.113.5', 'alice-laptop');
    connect(mapping, '203.0.113.5', 'alice-laptop');
    connect(mapping, '198.51.100.9', 'stranger');
    h.clock.advance(5 * 60_000);
    await h.driver.command('close demo-healthy', { userId: ALICE, channelId: OPS });
    await h.settle();

    const auditReadsBefore = auditReads();
    const text = await history(ALICE);
    expect(text).toContain(`<@${ALICE}> opened *demo-healthy* · port 22 from 203.0.113.5/32`);
    expect(text).toContain(`<@${ALICE}> closed *demo-healthy* · port 22`);
    // The demo world's own mapping on the SIM was not Alice's to close: the policy refused that part of the close.
    expect(text).toContain(`<@${ALICE}> was refused \`/napter close\` on *demo-healthy* by the policy`);
    // Every connection reaches Napter (ACCESS); the two from the admitted address connected, the stranger's was DENIED.
    expect(text).toContain('Napter: 3 reached, 2 connected');
    expect(text.indexOf('closed')).toBeLessThan(text.indexOf('opened'));
    expect(text).toContain(ACTION_IDS.exportHistory);
    // The audit log was read once, for the one SIM.
    expect(auditReads() - auditReadsBefore).toBe(1);
  });

  it('shows a SIM the policy does not let the viewer list only as a count', async () => {
    await openAs(ALICE, 'open demo-https https from 203.0.113.5');
    await openAs(HANAKO, 'open demo-healthy ssh from 198.51.100.20');

    const alice = await history(ALICE);
    expect(alice).toContain('*demo-https*');
    expect(alice).toContain('*demo-healthy*');

    // Hanako reads Japanese.
    const hanako = await history(HANAKO);
    expect(hanako).toContain(`<@${HANAKO}> さんが *demo-healthy* · ポート 22 をアクセス元 198.51.100.20/32 で有効にしました`);
    expect(hanako).toContain('Napter: 到達 0 件、接続 0 件');
    expect(hanako).not.toContain('demo-https');
    expect(hanako).not.toContain('203.0.113.5');
    expect(hanako).toContain('閲覧が許可されていない SIM の 1 件は表示していません。');
  });

  it('refuses someone the policy does not let list, and writes the refusal to the ledger', async () => {
    const before = (await h.store.ledger.list({ userId: ADMIN })).length;
    const text = await history(ADMIN);
    expect(text).toContain(':no_entry:');
    expect(text).not.toContain(ACTION_IDS.exportHistory);
    const rows = await h.store.ledger.list({ userId: ADMIN });
    expect(rows).toHaveLength(before + 1);
    expect(rows[0]).toMatchObject({ kind: 'denied', details: { action: 'list' } });
  });

  it('says when the counts are past Napter’s 24-hour audit log', async () => {
    await openAs(ALICE, 'open demo-healthy ssh for 1h from 203.0.113.5');
    h.clock.advance(25 * 60 * 60_000);
    const auditReadsBefore = auditReads();
    const text = await history(ALICE, 'history since 2d');
    expect(text).toContain(`<@${ALICE}> opened *demo-healthy*`);
    expect(text).toContain("Napter: no counts (older than the audit log's 24 hours)");
    expect(auditReads()).toBe(auditReadsBefore);
  });

  it('exports the history as a CSV file shared only in the requester’s DM with the bot', async () => {
    const mapping = await openAs(ALICE, 'open demo-healthy ssh for 1h from 203.0.113.5');
    connect(mapping, '203.0.113.5', 'alice-laptop');
    h.clock.advance(5 * 60_000);
    await history(ALICE);
    const listing = latestEphemeral(h.slack, ALICE, OPS);
    await h.driver.clickButton({ userId: ALICE, message: clickable(listing), actionId: ACTION_IDS.exportHistory });
    await h.settle();

    expect(h.slack.files).toHaveLength(1);
    const [file] = h.slack.files;
    expect(file?.completed).toBe(true);
    expect(file?.filename).toMatch(/^napter-history-\d{8}T\d{6}Z\.csv$/);
    expect(file?.sharedTo).toEqual([`D${ALICE}`]);
    const lines = (file?.content ?? '').split('\r\n');
    expect(lines[0]).toBe('time_utc,time_jst,action,slack_user_id,sim_id,imsi,device_port,source_range,mapping_id,napter_access,napter_connected,note');
    expect(lines[1]).toMatch(new RegExp(`^[^,]+,[^,]+,open,${ALICE},${mapping.simId},${mapping.imsi ?? ''},22,203\\.0\\.113\\.5/32,${mapping.id},1,1,$`));
    expect(file?.uploadedLength).toBe(Buffer.byteLength(file?.content ?? ''));
    expect(h.slack.callsTo('files.getUploadURLExternal')[0]?.args['length']).toBe(String(file?.uploadedLength));
    // Nothing of it in a channel; the clicker is told where it went.
    expect(everythingChannelsSaw(h.slack)).not.toContain(file?.id ?? 'no file');
    expect(h.slack.channelMessages(`D${ALICE}`).some((message) => message.fileIds?.includes(file?.id ?? ''))).toBe(true);
    expect(textOf(latestEphemeral(h.slack, ALICE, OPS))).toContain('is in your direct messages with napter-bot as a CSV file (1 row(s))');
  });

  it('refuses an export button played by someone else', async () => {
    await openAs(ALICE, 'open demo-healthy ssh for 1h from 203.0.113.5');
    await history(ALICE);
    const listing = latestEphemeral(h.slack, ALICE, OPS);
    const button = JSON.stringify(listing.blocks).match(/"value":"(\{\\"v\\":1,\\"exportId\\":\\"[^"\\]+\\"\})"/)?.[1];
    expect(button).toBeDefined();
    const value = JSON.parse(`"${button ?? ''}"`) as string;
    await h.driver.clickButton({
      userId: HANAKO,
      message: { ts: '1.000001', channelId: OPS, ephemeral: false, blocks: [] },
      actionId: ACTION_IDS.exportHistory,
      blockId: 'napter_history',
      value,
    });
    await h.settle();
    expect(h.slack.files).toHaveLength(0);
    expect(textOf(latestEphemeral(h.slack, HANAKO))).toContain('この書き出しは利用できなくなりました');
  });
});
