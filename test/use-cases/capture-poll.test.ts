import { CAPTURE_GRACE_MS, CAPTURE_POLL_INTERVAL_MS, pollCapture } from '../../src/use-cases/capture-poll';
import { diagnose } from '../../src/use-cases/diagnose';
import { readDiagnosisRecord } from '../../src/use-cases/diagnosis-record';
import { createScheduler } from '../../src/use-cases/scheduler';
import { CAPTURE_DURATION_SEC, startCapture } from '../../src/use-cases/start-capture';
import { actor, useCaseDeps } from '../fakes/deps';

/**
 * A packet capture followed by its `capture-poll` job: saved with the capture, run by the real scheduler against
 * the fake SORACOM and the real store, once per read, until SORACOM ends it or the bot stops waiting.
 */
const HANAKO = actor('U0HANAKO');

async function started() {
  const deps = useCaseDeps();
  deps.api.addSim({ name: 'gw-yokohama-01' });
  const diagnosed = await diagnose(deps, { actor: HANAKO, channelId: 'C0OPS', simRef: { kind: 'name', name: 'gw-yokohama-01' }, windowSec: 3600 });
  if (diagnosed.kind !== 'diagnosed') throw new Error(`not diagnosed: ${diagnosed.kind}`);
  const diagnosisId = diagnosed.found.stored.id;
  const outcome = await startCapture(deps, { actor: HANAKO, diagnosisId, clickId: 'click-1' });
  if (outcome.kind !== 'started') throw new Error(`not started: ${outcome.kind}`);
  const shown: { status: string; final: boolean; timedOutAfterMin?: number | undefined }[] = [];
  const scheduler = createScheduler(deps, { owner: 'test' });
  scheduler.register('capture-poll', async (job) => {
    const { shown: change, next } = await pollCapture(deps, job.payload);
    if (change !== undefined)
      shown.push({ status: change.change.session.status, final: change.change.final, timedOutAfterMin: change.change.timedOutAfterMin });
    return next;
  });
  const activity = async () => {
    const stored = await deps.store.diagnoses.get(diagnosisId);
    return (stored === undefined ? undefined : readDiagnosisRecord(stored))?.activity?.map((entry) => entry.kind);
  };
  return { deps, scheduler, shown, capture: outcome.capture, sessionId: outcome.session.sessionId, activity };
}

describe('capture-poll job', () => {
  test('is saved with the capture, once, and not due before the first interval', async () => {
    const { deps, scheduler, capture } = await started();
    const pending = await deps.store.jobs.listPending('capture-poll');
    expect(pending).toEqual([expect.objectContaining({ key: `capture-poll:${capture.id}`, dueAtMs: capture.createdAtMs + CAPTURE_POLL_INTERVAL_MS })]);
    expect(await scheduler.runDue()).toBe(0);
  });

  test('reads SORACOM once per run, shows each new status once, ends at DONE and notes it on the diagnosis', async () => {
    const { deps, scheduler, shown, capture, sessionId, activity } = await started();
    const reads = () => deps.api.calls.filter((call) => call.startsWith('getPeekSession')).length;

    deps.clock.advance(CAPTURE_POLL_INTERVAL_MS);
    expect(await scheduler.runDue()).toBe(1);
    expect(reads()).toBe(1);
    expect(shown).toEqual([]);

    deps.api.setSession(sessionId, { status: 'CAPTURING' });
    deps.clock.advance(CAPTURE_POLL_INTERVAL_MS);
    await scheduler.runDue();
    deps.clock.advance(CAPTURE_POLL_INTERVAL_MS);
    await scheduler.runDue();
    expect(reads()).toBe(3);
    expect(shown).toEqual([{ status: 'CAPTURING', final: false }]);
    expect((await deps.store.captures.get(capture.id))?.status).toBe('CAPTURING');

    deps.api.setSession(sessionId, { status: 'DONE', url: 'https://example.invalid/capture.pcap' });
    deps.clock.advance(CAPTURE_POLL_INTERVAL_MS);
    await scheduler.runDue();
    expect(shown.at(-1)).toEqual({ status: 'DONE', final: true });
    expect((await deps.store.captures.get(capture.id))?.status).toBe('DONE');
    expect((await deps.store.jobs.get(`capture-poll:${capture.id}`))?.doneAtMs).toBeDefined();
    expect(await activity()).toEqual(['capture-started', 'capture-done']);

    deps.clock.advance(60_000);
    expect(await scheduler.runDue()).toBe(0);
    expect(reads()).toBe(4);
  });

  test('run again after a crash past the store write, it shows the end again in place but notes it once', async () => {
    const { deps, capture, sessionId, activity } = await started();
    const job = await deps.store.jobs.get(`capture-poll:${capture.id}`);
    deps.api.setSession(sessionId, { status: 'FAILED', failedReason: 'device offline' });
    deps.clock.advance(CAPTURE_POLL_INTERVAL_MS);
    const first = await pollCapture(deps, job?.payload);
    // The process dies here: the job was never completed, so its unchanged payload runs again.
    const second = await pollCapture(deps, job?.payload);
    expect([first.shown?.change.final, second.shown?.change.final]).toEqual([true, true]);
    expect(second.next).toEqual({ kind: 'done' });
    expect(await activity()).toEqual(['capture-started', 'capture-failed']);
  });

  test('stops waiting at the capture’s duration plus the grace period, and says how long it waited', async () => {
    const { deps, scheduler, shown, sessionId } = await started();
    deps.api.setSession(sessionId, { status: 'POST_PROCESSING' });
    const endMs = deps.clock.nowMs() + CAPTURE_DURATION_SEC * 1000 + CAPTURE_GRACE_MS;
    let runs = 0;
    while (deps.clock.nowMs() <= endMs + CAPTURE_POLL_INTERVAL_MS) {
      deps.clock.advance(CAPTURE_POLL_INTERVAL_MS);
      runs += await scheduler.runDue();
    }
    expect(runs).toBeGreaterThan(100);
    expect(shown.map((entry) => entry.status)).toEqual(['POST_PROCESSING', 'POST_PROCESSING']);
    expect(shown.at(-1)).toMatchObject({ final: true, timedOutAfterMin: Math.round((CAPTURE_DURATION_SEC * 1000 + CAPTURE_GRACE_MS) / 60_000) });
    expect(await deps.store.jobs.listPending('capture-poll')).toEqual([]);
  });

  test('a read that fails past the deadline ends the wait as it stood, not as a failed capture', async () => {
    const { deps, capture, sessionId, activity } = await started();
    deps.api.setSession(sessionId, { status: 'CAPTURING' });
    const job = await deps.store.jobs.get(`capture-poll:${capture.id}`);
    deps.api.getPeekSession = async () => {
      throw new Error('SORACOM unreachable');
    };
    deps.clock.advance(CAPTURE_DURATION_SEC * 1000 + CAPTURE_GRACE_MS);
    const polled = await pollCapture(deps, { ...(job?.payload as object), shown: 'CAPTURING' });
    expect(polled.shown?.change).toMatchObject({ final: true, session: { status: 'CAPTURING' }, timedOutAfterMin: expect.any(Number) });
    expect(polled.next).toEqual({ kind: 'done' });
    expect((await deps.store.captures.get(capture.id))?.status).not.toBe('FAILED');
    expect(await activity()).toEqual(['capture-started']);
  });

  test('a session SORACOM no longer knows ends the capture as failed; a read that fails is tried again', async () => {
    const { deps, scheduler, shown, sessionId } = await started();
    const realGet = deps.api.getPeekSession.bind(deps.api);
    let failNext = true;
    deps.api.getPeekSession = async (simId, id) => {
      if (failNext) {
        failNext = false;
        throw new Error('SORACOM unreachable');
      }
      return realGet(simId, id === sessionId ? 'gone' : id);
    };
    deps.clock.advance(CAPTURE_POLL_INTERVAL_MS);
    await scheduler.runDue();
    expect(shown).toEqual([]);
    deps.clock.advance(CAPTURE_POLL_INTERVAL_MS);
    await scheduler.runDue();
    expect(shown).toEqual([{ status: 'FAILED', final: true }]);
  });
});
