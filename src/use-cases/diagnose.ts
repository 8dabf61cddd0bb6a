import type { SimRef } from '../domain/command/types';
import type { DiagnosisIntent } from '../domain/diagnosis/types';
import type { MessageRef } from '../domain/i18n/message-ref';
import type { SimSnapshot } from '../domain/soracom';
import { authorizeOrDeny } from './authorize';
import type { Actor, UseCaseDeps } from './deps';
import { intentFromLedger } from './diagnosis-intent';
import { type DiagnosisActivity, type DiagnosisRecord, type LoadedDiagnosis, simIds } from './diagnosis-record';
import { type GatherProgress, gatherEvidence } from './gather-evidence';
import { resolveSim, type SimResolution, simRefText, suggestSimNames } from './resolve-sim';
import { seenBySimWatches } from './watch-poll';

export type { GatherProgress as DiagnosisProgress };

/** The thread's table and the ticket's excerpt keep this many of the window's events, newest first. */
const STORED_EVENTS_CAP = 200;

export interface DiagnoseRequest {
  readonly actor: Actor;
  /** Where the diagnosis is posted: the policy's channel. */
  readonly channelId: string;
  readonly simRef: SimRef;
  readonly windowSec: number;
  /** What the caller knows for certain (the mapping behind a button); the ledger fills in the rest. */
  readonly intent?: DiagnosisIntent | undefined;
  /** Told of each stage as it starts ("Reading the audit log…"). */
  readonly onProgress?: ((progress: GatherProgress) => void) | undefined;
}

export type DiagnoseOutcome =
  | { readonly kind: 'denied'; readonly reason: MessageRef }
  /** Several SIMs carry the name: the person picks one. */
  | { readonly kind: 'ambiguous'; readonly typed: string; readonly candidates: readonly SimSnapshot[] }
  /** No SIM carries anything like the name: the closest names there are, for "did you mean …". */
  | { readonly kind: 'not-found'; readonly typed: string; readonly suggestions: readonly string[] }
  /** Stored; the adapter posts it and calls `parentPosted` with where. */
  | { readonly kind: 'diagnosed'; readonly found: LoadedDiagnosis };

/**
 * `/napter diagnose` and the Diagnose button: find the SIM, ask the policy once (about that SIM when there is
 * one), gather the evidence, and store the diagnosis (buttons carry only its id) with a ledger row.
 */
export async function diagnose(deps: UseCaseDeps, request: DiagnoseRequest): Promise<DiagnoseOutcome> {
  const { actor } = request;
  request.onProgress?.({ stage: 'sim' });
  const resolution = await resolveSim(deps.api, request.simRef);
  const sim = resolution.kind === 'found' ? resolution.sim : undefined;
  const access = await authorizeOrDeny(deps, actor, { action: 'diagnose', channelId: request.channelId, sim });
  if (!access.allowed) return { kind: 'denied', reason: access.reason };
  if (resolution.kind === 'ambiguous') return { kind: 'ambiguous', typed: simRefText(request.simRef), candidates: resolution.candidates };
  // A name that matches nothing is the requester's typo, told to them alone; an IMSI or SIM ID SORACOM does not
  // know is a finding of its own ("no such SIM"), posted like any diagnosis.
  if (resolution.kind === 'not-found' && request.simRef.kind === 'name') {
    return { kind: 'not-found', typed: request.simRef.name, suggestions: await suggestionsFor(deps, request.simRef.name) };
  }
  const record = await gatherRecord(deps, { ...request, resolution, run: 1, captures: 0, activity: [] });
  const stored = await deps.store.diagnoses.save({
    teamId: actor.teamId,
    channelId: request.channelId,
    requestedBy: actor.userId,
    simRefText: simRefText(request.simRef),
    ...simIds(record.sim),
    windowFromMs: record.diagnosis.window.fromMs,
    windowToMs: record.diagnosis.window.toMs,
    verdict: record.diagnosis.verdict,
    diagnosis: record,
    intent: request.intent,
    lang: actor.lang,
  });
  await deps.store.ledger.record({
    kind: 'diagnose',
    teamId: actor.teamId,
    userId: actor.userId,
    channelId: request.channelId,
    ...simIds(record.sim),
    details: { diagnosisId: stored.id, verdict: record.diagnosis.verdict, run: 1 },
  });
  return { kind: 'diagnosed', found: { stored, record } };
}

/** How long a click on Diagnose counts as the same request as the one before it (a double click, a retry). */
const DIAGNOSE_MAPPING_ONCE_MS = 60 * 1000;

export type DiagnoseMappingOutcome = DiagnoseOutcome | { readonly kind: 'stale' | 'duplicate' };

/**
 * The Diagnose button on an open reply: the mapping behind it is what the person means (its device port, and the
 * address they opened it from when it is theirs); one diagnosis per person and mapping a minute, however they click.
 */
export async function diagnoseMapping(
  deps: UseCaseDeps,
  request: Omit<DiagnoseRequest, 'channelId' | 'simRef' | 'windowSec' | 'intent'> & { readonly mappingId: string; readonly windowSec: number },
): Promise<DiagnoseMappingOutcome> {
  const { actor } = request;
  const mapping = await deps.store.mappings.get(request.mappingId);
  const simRef: SimRef | undefined =
    mapping?.simId !== undefined ? { kind: 'simId', simId: mapping.simId } : mapping?.imsi !== undefined ? { kind: 'imsi', imsi: mapping.imsi } : undefined;
  if (mapping === undefined || simRef === undefined) return { kind: 'stale' };
  const onceKey = `diagnose-mapping:${actor.teamId}:${actor.userId}:${mapping.id}`;
  if (!(await deps.store.claims.claim(onceKey, DIAGNOSE_MAPPING_ONCE_MS)).claimed) return { kind: 'duplicate' };
  const sourceIp = mapping.sourceCidr.split('/')[0];
  const outcome = await diagnose(deps, {
    ...request,
    channelId: actor.channelId ?? mapping.channelId,
    simRef,
    // The address goes along only when it is theirs; absent, the ledger's confirmed address stands.
    intent:
      mapping.openedBy.userId === actor.userId && sourceIp !== undefined ? { devicePort: mapping.devicePort, sourceIp } : { devicePort: mapping.devicePort },
  }).catch(async (error: unknown) => {
    await deps.store.claims.release(onceKey);
    throw error;
  });
  // Nothing was made: the next click may try again at once.
  if (outcome.kind !== 'diagnosed') await deps.store.claims.release(onceKey);
  return outcome;
}

/** The diagnosis's parent is in the channel: later runs and actions update it in place. */
export async function parentPosted(deps: Pick<UseCaseDeps, 'store'>, diagnosisId: string, parentTs: string): Promise<void> {
  await deps.store.diagnoses.update(diagnosisId, { parentTs });
}

/** Gathers the evidence for one run and makes the record the store keeps of it. */
export async function gatherRecord(
  deps: UseCaseDeps,
  request: Pick<DiagnoseRequest, 'actor' | 'simRef' | 'windowSec' | 'intent' | 'onProgress'> & {
    readonly resolution: SimResolution;
    readonly run: number;
    readonly captures: number;
    readonly activity: readonly DiagnosisActivity[];
  },
): Promise<DiagnosisRecord> {
  const { actor } = request;
  const result = await gatherEvidence(deps, {
    sim: request.simRef,
    resolution: request.resolution,
    windowSec: request.windowSec,
    intent: request.intent,
    ledger: (sim) => intentFromLedger(deps, { teamId: actor.teamId, userId: actor.userId, sim, windowSec: request.windowSec }),
    protocolsByPort: deps.probe.protocols,
    probe: { enabled: deps.probe.enabled, timeoutSec: deps.probe.timeoutSec },
    onProgress: request.onProgress,
    // A watched mapping's connections are evidence the watch already holds (the log keeps them only 24 hours).
    seen: (sim) => seenBySimWatches(deps, sim.simId),
  });
  const sim = request.resolution.kind === 'found' ? request.resolution.sim : undefined;
  const typed = simRefText(request.simRef);
  return {
    v: 1,
    diagnosis: result.diagnosis,
    events: [...result.input.events].sort((a, b) => b.atMs - a.atMs).slice(0, STORED_EVENTS_CAP),
    probe: result.input.probe,
    sim: { typed, simId: sim?.simId, name: sim?.name, imsi: sim?.imsi ?? (request.simRef.kind === 'imsi' ? request.simRef.imsi : undefined) },
    simRef: sim === undefined ? request.simRef : { kind: 'simId', simId: sim.simId },
    windowSec: request.windowSec,
    run: request.run,
    ranBy: actor.userId,
    ranAtMs: deps.clock.nowMs(),
    captures: request.captures,
    activity: request.activity,
  };
}

/** "Did you mean …" is a courtesy: when the search for it fails, the answer is simply "no such name". */
async function suggestionsFor(deps: UseCaseDeps, name: string): Promise<string[]> {
  try {
    return await suggestSimNames(deps.api, name);
  } catch (error) {
    deps.logger.warn('could not search for names close to one that matched no SIM', error);
    return [];
  }
}
