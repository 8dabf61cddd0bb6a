import type { MessageRef } from '../domain/i18n/message-ref';
import type { SimSnapshot } from '../domain/soracom';
import { authorizeOrDeny } from './authorize';
import type { Actor, UseCaseDeps } from './deps';
import { type DiagnosisProgress, gatherRecord } from './diagnose';
import { type DiagnosisRecord, diagnosisForClick, type LoadedDiagnosis, readDiagnosisRecord, simIds } from './diagnosis-record';
import { resolveSim } from './resolve-sim';

/** A run that crashed leaves its key claimed this long, then "Diagnose again" works again. */
const RUN_KEY_TTL_MS = 5 * 60 * 1000;

export interface RediagnoseRequest {
  readonly actor: Actor;
  readonly diagnosisId: string;
  /** Told once the run may go ahead, before the evidence is gathered (the parent says it is running again). */
  readonly onRunning?: ((found: LoadedDiagnosis) => Promise<void>) | undefined;
  readonly onProgress?: ((progress: DiagnosisProgress) => void) | undefined;
}

export type RediagnoseOutcome =
  | { readonly kind: 'stale' }
  /** The button was clicked from another conversation than the diagnosis's. */
  | { readonly kind: 'elsewhere' }
  /** This run is already being made (a double click, another person's click). */
  | { readonly kind: 'duplicate' }
  | { readonly kind: 'denied'; readonly reason: MessageRef }
  /** The SIM no longer resolves to one (renamed, or several now carry the name). */
  | { readonly kind: 'sim-lost'; readonly typed: string; readonly candidates: readonly SimSnapshot[] }
  /** The record as stored after the run: the new evidence, what people did meanwhile kept. */
  | { readonly kind: 'diagnosed'; readonly found: LoadedDiagnosis };

/**
 * "Diagnose again": one run per stored run number, however often the button is clicked meanwhile. The policy is
 * asked for the clicker, about the SIM as SORACOM knows it now. On failure the run's key is released, so the next
 * click may try again.
 */
export async function diagnoseAgain(deps: UseCaseDeps, request: RediagnoseRequest): Promise<RediagnoseOutcome> {
  const { actor } = request;
  const access = await diagnosisForClick(deps, request.diagnosisId, actor.channelId);
  if (access.kind !== 'found') return access;
  const { stored, record } = access.found;
  const runKey = `diagnose-again:${stored.id}:run${record.run}`;
  if (!(await deps.store.claims.claim(runKey, RUN_KEY_TTL_MS)).claimed) return { kind: 'duplicate' };
  try {
    const resolution = await resolveSim(deps.api, record.simRef);
    const sim = resolution.kind === 'found' ? resolution.sim : undefined;
    const allowed = await authorizeOrDeny(deps, actor, { action: 'diagnose', channelId: stored.channelId, sim, simId: record.sim.simId });
    const lost = resolution.kind === 'ambiguous' || (resolution.kind === 'not-found' && record.simRef.kind === 'name');
    if (!allowed.allowed || lost) {
      await deps.store.claims.release(runKey);
      if (!allowed.allowed) return { kind: 'denied', reason: allowed.reason };
      return { kind: 'sim-lost', typed: record.sim.typed, candidates: resolution.kind === 'ambiguous' ? resolution.candidates : [] };
    }
    await request.onRunning?.(access.found);
    const fresh = await gatherRecord(deps, {
      actor,
      simRef: record.simRef,
      windowSec: record.windowSec,
      onProgress: request.onProgress,
      resolution,
      run: record.run + 1,
      captures: record.captures,
      activity: record.activity ?? [],
    });
    // The run took a while: captures, reopens and ticket drafts noted meanwhile are in the row now, not in
    // `record` as it was at the click. The new evidence replaces the old; what people did is kept.
    let next: DiagnosisRecord = fresh;
    const updated =
      (await deps.store.diagnoses.modify(stored.id, (current) => {
        const latest = readDiagnosisRecord(current) ?? record;
        next = { ...fresh, captures: Math.max(latest.captures, fresh.captures), activity: latest.activity ?? [] };
        return { verdict: next.diagnosis.verdict, diagnosis: next, windowFromMs: next.diagnosis.window.fromMs, windowToMs: next.diagnosis.window.toMs };
      })) ?? stored;
    await deps.store.ledger.record({
      kind: 'retry',
      teamId: stored.teamId,
      userId: actor.userId,
      channelId: stored.channelId,
      ...simIds(next.sim),
      details: { what: 'diagnose', diagnosisId: stored.id, verdict: next.diagnosis.verdict, run: next.run },
    });
    await deps.store.claims.complete(runKey, { run: next.run });
    return { kind: 'diagnosed', found: { stored: updated, record: next } };
  } catch (error) {
    await deps.store.claims.release(runKey);
    throw error;
  }
}
