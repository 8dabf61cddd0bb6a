import { SoracomHttpError, SoracomOutcomeUnknownError } from '../../src/soracom/errors';
import { type OpenIntent, type OpenRequest, openAgain, requestOpen, settleTold } from '../../src/use-cases/open';
import { actor, useCaseDeps } from '../fakes/deps';

/** Opening, as the use-case decides it: the policy first, at most one mapping per request, a ledger of it all. */
const HANAKO = actor('U0HANAKO');
const ALICE = actor('U0ALICE');

function setup(policyText?: string) {
  const deps = useCaseDeps(policyText === undefined ? {} : { policyText });
  const sim = deps.api.addSim({ name: 'gw-yokohama-01' });
  const intent: OpenIntent = {
    devicePort: 22,
    protocol: 'ssh',
    durationSec: 3600,
    tlsRequired: false,
    source: { kind: 'cidr', cidr: '198.51.100.20/32' },
    reason: 'open',
  };
  const request = (overrides: Partial<OpenRequest> = {}): OpenRequest => ({
    actor: HANAKO,
    channelId: 'C0OPS',
    sim,
    intent,
    requestKey: 'trigger-1',
    responseUrl: undefined,
    ...overrides,
  });
  return { deps, sim, intent, request };
}

describe('requestOpen', () => {
  test('a range as given: one mapping at SORACOM, stored and in the ledger; the work in flight ends once the requester was told', async () => {
    const { deps, request } = setup();
    const outcome = await requestOpen(deps, request());
    if (outcome.kind !== 'opened') throw new Error(`not opened: ${outcome.kind}`);
    expect(outcome.how).toBe('created');
    expect(deps.api.calls.filter((call) => call.startsWith('createPortMapping'))).toEqual(['createPortMapping 198.51.100.20/32']);
    expect(await deps.store.mappings.get(outcome.mapping.id)).toMatchObject({ sourceKind: 'cidr', openedBy: { userId: 'U0HANAKO' }, devicePort: 22 });
    expect((await deps.store.ledger.list()).map((entry) => entry.kind)).toEqual(['open']);
    expect(await deps.store.inflight.list({ unsettled: true })).toHaveLength(1);
    await settleTold(deps, outcome.flightId);
    expect(await deps.store.inflight.list({ unsettled: true })).toHaveLength(0);
  });

  test('the same request delivered twice makes one mapping and answers both with it', async () => {
    const { deps, request } = setup();
    const first = await requestOpen(deps, request());
    const second = await requestOpen(deps, request());
    expect(first.kind).toBe('opened');
    expect(second).toMatchObject({ kind: 'opened', how: 'reused' });
    expect(deps.api.mappings).toHaveLength(1);
  });

  test('a refusal reaches nothing at SORACOM and leaves a denied row naming the action and the reason', async () => {
    const { deps, request } = setup('rules:\n  - who: { users: [U0HANAKO] }\n    actions: [list]\n');
    const outcome = await requestOpen(deps, request());
    expect(outcome).toMatchObject({ kind: 'denied', reason: { key: expect.stringMatching(/^policy\.denied\./) } });
    expect(deps.api.calls.filter((call) => call.startsWith('createPortMapping'))).toEqual([]);
    const [row] = await deps.store.ledger.list();
    expect(row).toMatchObject({ kind: 'denied', userId: 'U0HANAKO', channelId: 'C0OPS', details: { action: 'open' } });
  });

  test('`from last` opens from the address the requester confirmed last, and says so when there is none', async () => {
    const { deps, intent, request } = setup();
    const last = { ...intent, source: { kind: 'last' } as const };
    expect(await requestOpen(deps, request({ intent: last }))).toEqual({ kind: 'no-last-ip' });
    await deps.store.lastIps.set(HANAKO.teamId, HANAKO.userId, '203.0.113.7');
    const outcome = await requestOpen(deps, request({ intent: last, requestKey: 'trigger-2' }));
    expect(outcome.kind).toBe('opened');
    expect(deps.api.calls).toContain('createPortMapping 203.0.113.7/32');
  });

  test('`from me` hands out a one-time link and opens nothing yet; the store keeps no token', async () => {
    const { deps, intent, request } = setup();
    const outcome = await requestOpen(deps, request({ intent: { ...intent, source: { kind: 'me' } } }));
    if (outcome.kind !== 'link') throw new Error(`no link: ${outcome.kind}`);
    expect(deps.api.mappings).toHaveLength(0);
    const capture = await deps.store.ipCaptures.get(outcome.captureId);
    expect(capture).toMatchObject({ userId: 'U0HANAKO', request: { devicePort: 22, simId: expect.any(String) } });
    expect(JSON.stringify(capture)).not.toContain(outcome.token);
  });

  test('a create whose answer was lost is not sent again: the outcome is unknown and stays in flight', async () => {
    const { deps, request } = setup();
    deps.api.failNext.set(
      'createPortMapping',
      new SoracomOutcomeUnknownError('POST', '/port_mappings', new SoracomHttpError('POST', '/port_mappings', 502, undefined, 'Bad Gateway')),
    );
    const outcome = await requestOpen(deps, request());
    expect(outcome.kind).toBe('unknown');
    expect(await deps.store.inflight.list({ unsettled: true })).toHaveLength(1);
  });
});

describe('openAgain', () => {
  test('a button naming no mapping the bot knows is stale', async () => {
    const { deps } = setup();
    expect(await openAgain(deps, { actor: HANAKO, mappingId: 'nope', requestKey: 'trigger-9', responseUrl: undefined })).toEqual({ kind: 'stale' });
  });

  test('the opener reopens a typed range as typed; anyone else proves their own address first', async () => {
    const { deps, request } = setup();
    const opened = await requestOpen(deps, request());
    if (opened.kind !== 'opened') throw new Error('not opened');
    const mine = await openAgain(deps, { actor: HANAKO, mappingId: opened.mapping.id, requestKey: 'trigger-2', responseUrl: undefined });
    expect(mine).toMatchObject({ kind: 'asked', outcome: { kind: 'opened' } });
    const theirs = await openAgain(deps, { actor: ALICE, mappingId: opened.mapping.id, requestKey: 'trigger-3', responseUrl: undefined });
    expect(theirs).toMatchObject({ kind: 'asked', outcome: { kind: 'link' } });
  });
});
