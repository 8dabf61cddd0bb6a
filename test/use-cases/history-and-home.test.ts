import type { AuditEvent } from '../../src/domain/soracom';
import { SoracomRateLimitedError } from '../../src/soracom/errors';
import { historyFor } from '../../src/use-cases/history';
import { exportHistory, offerHistoryExport } from '../../src/use-cases/history-export';
import { homeFor } from '../../src/use-cases/home';
import { requestOpen } from '../../src/use-cases/open';
import type { Actor, UseCaseDeps } from '../../src/use-cases/deps';
import type { SimSnapshot } from '../../src/domain/soracom';
import { actor, T0, useCaseDeps } from '../fakes/deps';

/** History and the Home tab's content over the fake SORACOM and the real store in memory. */
const HANAKO = actor('U0HANAKO');
const ALICE = actor('U0ALICE');
const ADMIN = actor('U0ADMIN');

const POLICY = [
  'admins: { users: [U0ADMIN] }',
  'rules:',
  '  - who: everyone',
  '    actions: [open, list]',
  '    sims: [{ tags: { name: "gw-*" } }]',
  '  - who: { users: [U0HANAKO] }',
  '    actions: [open, list]',
  '',
].join('\n');

async function open(deps: UseCaseDeps, who: Actor, sim: SimSnapshot, cidr: string, key: string) {
  const opened = await requestOpen(deps, {
    actor: who,
    channelId: 'C0OPS',
    sim,
    intent: { devicePort: 22, protocol: 'ssh', durationSec: 3600, tlsRequired: false, source: { kind: 'cidr', cidr }, reason: 'open' },
    requestKey: key,
    responseUrl: undefined,
  });
  if (opened.kind !== 'opened') throw new Error(`not opened: ${opened.kind}`);
  return opened.mapping;
}

function event(type: AuditEvent['type'], imsi: string, atMs: number, destinationPort = 22): AuditEvent {
  return { connectionId: `c-${atMs}`, atMs, type, imsi, tls: false, sourceIp: '198.51.100.20', sourcePort: 50000, destinationIp: '10.0.0.1', destinationPort };
}

async function world() {
  const deps = useCaseDeps({ policyText: POLICY });
  const gateway = deps.api.addSim({ name: 'gw-yokohama-01' });
  const lab = deps.api.addSim({ name: 'lab-kit-07' });
  const hanakos = await open(deps, HANAKO, lab, '198.51.100.20/32', 'k1');
  deps.clock.advance(60_000);
  const alices = await open(deps, ALICE, gateway, '203.0.113.5/32', 'k2');
  return { deps, gateway, lab, hanakos, alices };
}

describe('history', () => {
  test('counts ACCESS and CONNECTED per mapping, one audit-log read per SIM, within the mapping’s life and port', async () => {
    const { deps, gateway, alices } = await world();
    const imsi = gateway.imsi ?? '';
    deps.api.events.push(
      event('ACCESS', imsi, T0 + 90_000),
      event('CONNECTED', imsi, T0 + 91_000),
      event('ACCESS', imsi, T0 + 92_000, 80),
      event('ACCESS', imsi, T0 - 60_000),
    );
    deps.clock.advance(10 * 60_000);
    const outcome = await historyFor(deps, ALICE, 'C0OPS', { sim: gateway, sinceMs: T0 - 3_600_000, limit: 50 });
    if (outcome.kind !== 'listed') throw new Error(outcome.kind);
    expect(outcome.listing.rows).toEqual([expect.objectContaining({ action: 'open', mappingId: alices.id, connections: { access: 1, connected: 1 } })]);
    expect(deps.api.auditQueries).toEqual([{ imsi, fromMs: alices.createdAtMs, toMs: deps.clock.nowMs() }]);
  });

  test('over every SIM a viewer sees their own rows and the SIMs the policy lets them list; an admin sees all', async () => {
    const { deps } = await world();
    const alice = await historyFor(deps, ALICE, 'C0OPS', { sinceMs: T0 - 1, limit: 50 });
    if (alice.kind !== 'listed') throw new Error(alice.kind);
    expect(alice.listing.rows.map((row) => row.userId)).toEqual(['U0ALICE']);
    expect(alice.listing.hidden).toBe(1);
    expect(alice.simLabels.get(alice.listing.rows[0]?.simId ?? '')).toBe('gw-yokohama-01');

    const admin = await historyFor(deps, ADMIN, 'C0OPS', { sinceMs: T0 - 1, limit: 50 });
    if (admin.kind !== 'listed') throw new Error(admin.kind);
    expect(admin.listing.rows.map((row) => row.userId)).toEqual(['U0ALICE', 'U0HANAKO']);
  });

  test('a SIM the policy does not let the viewer list is refused, with a ledger row', async () => {
    const { deps, lab } = await world();
    const outcome = await historyFor(deps, ALICE, 'C0OPS', { sim: lab, sinceMs: T0 - 1, limit: 50 });
    expect(outcome.kind).toBe('denied');
    expect((await deps.store.ledger.list({ userId: 'U0ALICE' }))[0]).toMatchObject({ kind: 'denied', simId: lab.simId, details: { action: 'list' } });
  });

  test('says why counts are missing: SORACOM rate-limited, or the mapping predates the log’s 24 hours', async () => {
    const { deps, gateway, alices } = await world();
    deps.api.failNext.set('getNapterAuditLogs', new SoracomRateLimitedError('GET', '/audit_logs/napter', 30_000));
    const limited = await historyFor(deps, ALICE, 'C0OPS', { sim: gateway, sinceMs: T0 - 1, limit: 50 });
    if (limited.kind !== 'listed') throw new Error(limited.kind);
    expect(limited.gaps.get(alices.id)).toBe('rate-limited');
    expect(limited.listing.rows[0]?.connections).toBeUndefined();

    deps.clock.advance(25 * 3_600_000);
    const reads = deps.api.auditQueries.length;
    const old = await historyFor(deps, ALICE, 'C0OPS', { sim: gateway, sinceMs: T0 - 1, limit: 50 });
    if (old.kind !== 'listed') throw new Error(old.kind);
    expect(old.gaps.get(alices.id)).toBe('past-retention');
    expect(deps.api.auditQueries.length).toBe(reads);
  });

  test('an export is the clicker’s own: the CSV for them, stale for anyone else', async () => {
    const { deps } = await world();
    const exportId = await offerHistoryExport(deps, ALICE, { channelId: 'C0OPS', simId: undefined, sinceMs: T0 - 1 });
    expect(await exportHistory(deps, HANAKO, exportId)).toEqual({ kind: 'stale' });
    const exported = await exportHistory(deps, ALICE, exportId);
    expect(exported).toMatchObject({ kind: 'exported', rows: 1, truncated: false });
    if (exported.kind !== 'exported') throw new Error(exported.kind);
    expect(exported.csv.split('\r\n')[1]).toContain(',open,U0ALICE,');
    deps.clock.advance(31 * 60_000);
    expect(await exportHistory(deps, ALICE, exportId)).toEqual({ kind: 'stale' });
  });
});

describe('home', () => {
  test('the viewer’s own active mappings, soonest end first; none of anyone else’s unless they are an admin', async () => {
    const { deps, alices, hanakos } = await world();
    const alice = await homeFor(deps, ALICE);
    expect(alice.own.map((item) => [item.mapping.id, item.simLabel])).toEqual([[alices.id, 'gw-yokohama-01']]);
    expect(alice.others).toBeUndefined();

    const admin = await homeFor(deps, ADMIN);
    expect(admin.own).toEqual([]);
    expect(admin.others?.map((item) => item.mapping.id)).toEqual([hanakos.id, alices.id]);
  });

  test('a closed or expired mapping leaves the tab; another workspace’s never shows', async () => {
    const { deps, alices } = await world();
    await deps.store.mappings.markClosed(alices.id, { byUserId: 'U0ALICE', atMs: deps.clock.nowMs() });
    expect((await homeFor(deps, ALICE)).own).toEqual([]);
    expect((await homeFor(deps, { ...HANAKO, teamId: 'T0OTHER' })).own).toEqual([]);
    deps.clock.advance(2 * 3_600_000);
    expect((await homeFor(deps, HANAKO)).own).toEqual([]);
  });
});
