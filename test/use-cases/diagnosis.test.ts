import { diagnose } from '../../src/use-cases/diagnose';
import { diagnoseAgain } from '../../src/use-cases/rediagnose';
import { pollCapture } from '../../src/use-cases/capture-poll';
import { captureLink, startCapture } from '../../src/use-cases/start-capture';
import { ticketForm } from '../../src/use-cases/draft-ticket';
import { actor, useCaseDeps } from '../fakes/deps';

/** A diagnosis and what its buttons do, as the use-cases decide it, with SORACOM and the store in memory. */
const HANAKO = actor('U0HANAKO');

async function diagnosed(policyText?: string) {
  const deps = useCaseDeps(policyText === undefined ? {} : { policyText });
  deps.api.addSim({ name: 'gw-yokohama-01' });
  deps.api.addSim({ name: 'gw-yokohama-02' });
  const outcome = await diagnose(deps, { actor: HANAKO, channelId: 'C0OPS', simRef: { kind: 'name', name: 'gw-yokohama-01' }, windowSec: 3600 });
  if (outcome.kind !== 'diagnosed') throw new Error(`not diagnosed: ${outcome.kind}`);
  return { deps, diagnosisId: outcome.found.stored.id, outcome };
}

describe('diagnose', () => {
  test('stores the diagnosis with a ledger row; its buttons carry only its id', async () => {
    const { deps, diagnosisId, outcome } = await diagnosed();
    expect(outcome.found.record).toMatchObject({ run: 1, captures: 0, sim: { typed: 'gw-yokohama-01' } });
    expect(await deps.store.ledger.list()).toEqual([expect.objectContaining({ kind: 'diagnose', details: expect.objectContaining({ diagnosisId, run: 1 }) })]);
  });

  test('a name several SIMs carry asks which one; a typo gets the closest names', async () => {
    const deps = useCaseDeps();
    deps.api.addSim({ name: 'gw-yokohama-01' });
    deps.api.addSim({ name: 'gw-yokohama-02' });
    const ambiguous = await diagnose(deps, { actor: HANAKO, channelId: 'C0OPS', simRef: { kind: 'name', name: 'gw-yokohama' }, windowSec: 3600 });
    expect(ambiguous).toMatchObject({ kind: 'ambiguous', candidates: [{ name: 'gw-yokohama-01' }, { name: 'gw-yokohama-02' }] });
    const typo = await diagnose(deps, { actor: HANAKO, channelId: 'C0OPS', simRef: { kind: 'name', name: 'gw-yokohoma-01' }, windowSec: 3600 });
    expect(typo).toMatchObject({ kind: 'not-found', typed: 'gw-yokohoma-01' });
  });

  test('Diagnose again runs once per run number, from the diagnosis’s own conversation only', async () => {
    const { deps, diagnosisId } = await diagnosed();
    expect(await diagnoseAgain(deps, { actor: { ...HANAKO, channelId: 'C0ELSEWHERE' }, diagnosisId })).toEqual({ kind: 'elsewhere' });
    const [first, second] = await Promise.all([diagnoseAgain(deps, { actor: HANAKO, diagnosisId }), diagnoseAgain(deps, { actor: HANAKO, diagnosisId })]);
    expect([first.kind, second.kind].sort()).toEqual(['diagnosed', 'duplicate']);
    const again = await diagnoseAgain(deps, { actor: HANAKO, diagnosisId });
    expect(again).toMatchObject({ kind: 'diagnosed', found: { record: { run: 3 } } });
  });
});

describe('packet capture', () => {
  test('one capture per click; followed until SORACOM finishes it; the link only for those who may peek', async () => {
    const { deps, diagnosisId } = await diagnosed();
    const clicks = await Promise.all([1, 2].map(() => startCapture(deps, { actor: HANAKO, diagnosisId, clickId: 'click-1' })));
    expect(clicks.map((click) => click.kind).sort()).toEqual(['duplicate', 'started']);
    const started = clicks.find((click) => click.kind === 'started');
    if (started?.kind !== 'started') throw new Error('not started');
    expect(await startCapture(deps, { actor: HANAKO, diagnosisId, clickId: 'click-2' })).toEqual({ kind: 'running' });

    const seen: string[] = [];
    deps.api.setSession(started.session.sessionId, { status: 'DONE', url: 'https://example.invalid/capture.pcap', endedAtMs: deps.clock.nowMs() });
    // Its job, saved with it, reads the session and says what to show.
    const job = await deps.store.jobs.get(`capture-poll:${started.capture.id}`);
    const polled = await pollCapture(deps, job?.payload);
    if (polled.shown !== undefined) seen.push(polled.shown.change.session.status);
    expect(polled.next).toEqual({ kind: 'done' });
    expect(seen.at(-1)).toBe('DONE');
    expect(await captureLink(deps, { actor: HANAKO, captureId: started.capture.id })).toMatchObject({ kind: 'link' });
  });

  test('someone the policy does not let peek is refused before SORACOM is asked', async () => {
    const { deps, diagnosisId } = await diagnosed(['rules:', '  - who: { users: [U0HANAKO] }', '    actions: [diagnose, ticket]', ''].join('\n'));
    expect(await startCapture(deps, { actor: HANAKO, diagnosisId, clickId: 'click-1' })).toMatchObject({ kind: 'denied' });
    expect(deps.api.calls.filter((call) => call.startsWith('createPeekSession'))).toEqual([]);
    expect((await deps.store.ledger.list())[0]).toMatchObject({ kind: 'denied', details: { action: 'peek' } });
  });
});

describe('support ticket', () => {
  test('the form is pre-filled from the diagnosis and what the bot did on the SIM', async () => {
    const { deps, diagnosisId } = await diagnosed();
    const outcome = await ticketForm(deps, { actor: HANAKO, diagnosisId });
    expect(outcome).toMatchObject({ kind: 'form', prefill: { imsi: expect.any(String), tried: [expect.objectContaining({ kind: 'diagnose' })] } });
  });
});
