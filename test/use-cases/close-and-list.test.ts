import { closeFor, closeNow, closeTargetsOf } from '../../src/use-cases/close';
import { listFor } from '../../src/use-cases/list';
import { requestOpen } from '../../src/use-cases/open';
import { actor, useCaseDeps, withOpenMapping } from '../fakes/deps';

/** Closing and listing under the default policy: anyone may open and list, only the opener (or an admin) close. */
const HANAKO = actor('U0HANAKO');
const ALICE = actor('U0ALICE');

const withMapping = () => withOpenMapping();

describe('close', () => {
  test('the SIM’s active mappings are found with the bot’s row of each', async () => {
    const { deps, sim, mapping } = await withMapping();
    const targets = await closeTargetsOf(deps, { kind: 'sim', sim });
    expect(targets).toEqual([
      expect.objectContaining({ ipAddress: mapping.ipAddress, port: mapping.port, stored: expect.objectContaining({ id: mapping.id }) }),
    ]);
  });

  test('someone else’s mapping is refused (a denied row), and stays open', async () => {
    const { deps, sim } = await withMapping();
    const [target] = await closeTargetsOf(deps, { kind: 'sim', sim });
    if (target === undefined) throw new Error('no target');
    const outcome = await closeFor(deps, { actor: ALICE, channelId: 'C0OPS', target, requestKey: 'trigger-close', responseUrl: undefined });
    expect(outcome).toMatchObject({ kind: 'denied', reason: { key: 'policy.denied.close-not-owner' } });
    expect(deps.api.mappings).toHaveLength(1);
    expect((await deps.store.ledger.list({ userId: 'U0ALICE' }))[0]).toMatchObject({ kind: 'denied', details: { action: 'close' } });
  });

  test('its opener closes it once: SORACOM deletes it, the row is closed, a second click learns who closed it', async () => {
    const { deps, mapping } = await withMapping();
    const first = await closeNow(deps, { actor: HANAKO, mappingId: mapping.id, requestKey: 'click-1', responseUrl: undefined });
    expect(first).toMatchObject({ kind: 'asked', simLabel: 'gw-yokohama-01', outcome: { kind: 'closed' } });
    expect(deps.api.mappings).toHaveLength(0);
    const second = await closeNow(deps, { actor: HANAKO, mappingId: mapping.id, requestKey: 'click-2', responseUrl: undefined });
    expect(second).toMatchObject({ kind: 'asked', outcome: { kind: 'already-closed', byUserId: 'U0HANAKO' } });
  });

  test('a button naming no mapping the bot knows is stale', async () => {
    const { deps } = await withMapping();
    expect(await closeNow(deps, { actor: HANAKO, mappingId: 'nope', requestKey: 'click-1', responseUrl: undefined })).toEqual({ kind: 'stale' });
  });
});

describe('list', () => {
  test('everyone sees the mappings the policy lets them list, with who opened them', async () => {
    const { deps, mapping } = await withMapping();
    const outcome = await listFor(deps, ALICE, 'C0OPS', undefined);
    expect(outcome).toMatchObject({ kind: 'listed', isAdmin: false, hidden: 0 });
    if (outcome.kind !== 'listed') throw new Error('not listed');
    expect(outcome.items.map((item) => item.stored?.id)).toEqual([mapping.id]);
  });

  test('rows on SIMs the person may not list are counted, never shown', async () => {
    const deps = useCaseDeps({
      policyText: [
        'rules:',
        '  - who: { users: [U0HANAKO] }',
        '    actions: [open, list]',
        '  - who: { users: [U0ALICE] }',
        '    actions: [list]',
        '    sims: [{ tags: { team: a } }]',
        '',
      ].join('\n'),
    });
    const sim = deps.api.addSim({ name: 'gw-yokohama-01' });
    await requestOpen(deps, {
      actor: HANAKO,
      channelId: 'C0OPS',
      sim,
      intent: { devicePort: 22, protocol: 'ssh', durationSec: 3600, tlsRequired: false, source: { kind: 'cidr', cidr: '198.51.100.20/32' }, reason: 'open' },
      requestKey: 'trigger-open',
      responseUrl: undefined,
    });
    expect(await listFor(deps, ALICE, 'C0OPS', undefined)).toMatchObject({ kind: 'listed', items: [], hidden: 1 });
  });
});
