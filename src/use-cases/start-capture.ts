import type { MessageRef } from '../domain/i18n/message-ref';
import { FINAL_PEEK_STATUSES, MIN_PEEK_DURATION_SEC, type PeekSession } from '../domain/soracom';
import { authorizeOrDeny } from './authorize';
import type { Actor, UseCaseDeps } from './deps';
import { diagnosisForClick, type LoadedDiagnosis, loadDiagnosis, noteActivity, readDiagnosisRecord } from './diagnosis-record';
import type { StoredCapture } from './ports/store';

/** Long enough to retry a connection a few times while it runs; Peek's documented minimum is 60 s. */
export const CAPTURE_DURATION_SEC = Math.max(MIN_PEEK_DURATION_SEC, 120);
const START_KEY_TTL_MS = 2 * 60 * 1000;
const POLL_INTERVAL_MS = 5_000;
/** After the capture's own duration, how long SORACOM may take to produce the file before the bot stops watching. */
const GRACE_MS = 10 * 60 * 1000;

export type StartCaptureOutcome =
  | { readonly kind: 'stale' | 'elsewhere' | 'no-sim' | 'running' | 'duplicate' }
  | { readonly kind: 'denied'; readonly reason: MessageRef }
  /** Follow it with `followCapture`; the adapter shows its progress. */
  | { readonly kind: 'started'; readonly found: LoadedDiagnosis; readonly capture: StoredCapture; readonly session: PeekSession };

/**
 * "Start packet capture" (SORACOM Peek on the diagnosed SIM): one capture per diagnosis per capture number, so a
 * double click or a redelivery finds its key taken; none while another from the same diagnosis still runs.
 */
export async function startCapture(
  deps: UseCaseDeps,
  request: { readonly actor: Actor; readonly diagnosisId: string; readonly clickId: string },
): Promise<StartCaptureOutcome> {
  const { actor } = request;
  const access = await diagnosisForClick(deps, request.diagnosisId, actor.channelId);
  if (access.kind !== 'found') return access;
  const { stored, record } = access.found;
  const simId = record.sim.simId;
  if (simId === undefined) return { kind: 'no-sim' };
  const sim = await deps.api.getSim(simId);
  const allowed = await authorizeOrDeny(deps, actor, { action: 'peek', channelId: stored.channelId, sim, simId });
  if (!allowed.allowed) return { kind: 'denied', reason: allowed.reason };
  const captures = await deps.store.captures.listByDiagnosis(stored.id);
  if (captures.some((capture) => !FINAL_PEEK_STATUSES.includes(capture.status))) return { kind: 'running' };

  const clickKey = `capture-click:${request.clickId}`;
  const startKey = `capture:${stored.id}:${record.captures}`;
  if (!(await deps.store.claims.claim(clickKey, START_KEY_TTL_MS)).claimed) return { kind: 'duplicate' };
  if (!(await deps.store.claims.claim(startKey, START_KEY_TTL_MS)).claimed) {
    await deps.store.claims.release(clickKey);
    return { kind: 'duplicate' };
  }
  let session: PeekSession;
  try {
    session = await deps.api.createPeekSession(simId, CAPTURE_DURATION_SEC);
  } catch (error) {
    await deps.store.claims.release(startKey);
    await deps.store.claims.release(clickKey);
    throw error;
  }
  const capture = await deps.store.captures.save({
    simId,
    sessionId: session.sessionId,
    diagnosisId: stored.id,
    channelId: stored.channelId,
    threadTs: stored.parentTs,
    requestedBy: actor.userId,
    teamId: stored.teamId,
  });
  const updated = await deps.store.diagnoses.modify(stored.id, (current) => {
    const latest = readDiagnosisRecord(current) ?? record;
    return { diagnosis: { ...latest, captures: latest.captures + 1 } };
  });
  await deps.store.ledger.record({
    kind: 'peek',
    teamId: stored.teamId,
    userId: actor.userId,
    channelId: stored.channelId,
    simId,
    imsi: record.sim.imsi,
    details: { diagnosisId: stored.id, peekId: capture.id, sessionId: session.sessionId, durationSec: CAPTURE_DURATION_SEC },
  });
  await deps.store.claims.complete(startKey, { peekId: capture.id });
  await deps.store.claims.complete(clickKey, { peekId: capture.id });
  await noteActivity(deps, stored.id, { kind: 'capture-started', userId: actor.userId, atMs: deps.clock.nowMs() });
  return { kind: 'started', found: { stored: updated ?? stored, record }, capture, session };
}

/** Where the capture's progress shows, once the adapter has put it somewhere (a thread message, in place). */
export async function captureShownAt(deps: Pick<UseCaseDeps, 'store'>, captureId: string, progressTs: string): Promise<void> {
  await deps.store.captures.update(captureId, { progressTs });
}

/** A change the person following the capture should see; `timedOutAfterMin` when the bot stopped watching first. */
export interface CaptureChange {
  readonly session: PeekSession;
  readonly final: boolean;
  readonly timedOutAfterMin?: number | undefined;
}

/**
 * Follows a capture until SORACOM says it is over, or its duration plus a grace period passed, or the process
 * stops (the next start follows it again). Each change of status is stored and told; at the end the diagnosis
 * notes it. Bounded by polls as well as by the clock, so a stalled clock cannot keep it alive forever.
 */
export async function followCapture(
  deps: UseCaseDeps,
  input: { readonly capture: StoredCapture; readonly session: PeekSession; readonly startedAtMs: number },
  onChange: (change: CaptureChange) => Promise<void>,
): Promise<void> {
  const { capture, startedAtMs } = input;
  const tell = (change: CaptureChange) => onChange(change).catch((error: unknown) => deps.logger.warn('capture progress update failed', error));
  let current = input.session;
  const watchMs = (current.durationSec || CAPTURE_DURATION_SEC) * 1000 + GRACE_MS;
  const maxPolls = Math.ceil(watchMs / POLL_INTERVAL_MS) + 1;
  for (let polls = 0; !FINAL_PEEK_STATUSES.includes(current.status); polls += 1) {
    if (deps.clock.nowMs() >= startedAtMs + watchMs || polls >= maxPolls) {
      await tell({ session: current, final: true, timedOutAfterMin: Math.round((deps.clock.nowMs() - startedAtMs) / 60_000) });
      return;
    }
    await deps.sleep(POLL_INTERVAL_MS);
    if (deps.stopping.aborted) return;
    let next: PeekSession | undefined;
    try {
      next = await deps.api.getPeekSession(capture.simId, capture.sessionId);
    } catch (error) {
      deps.logger.warn('capture status read failed; trying again', error);
      continue;
    }
    next ??= { ...current, status: 'FAILED', failedReason: current.failedReason ?? 'not found' };
    const changed = next.status !== current.status;
    current = next;
    if (!changed) continue;
    await deps.store.captures.update(capture.id, { status: current.status });
    await tell({ session: current, final: FINAL_PEEK_STATUSES.includes(current.status) });
  }
  if (capture.diagnosisId !== undefined) {
    const kind = current.status === 'DONE' ? 'capture-done' : 'capture-failed';
    await noteActivity(deps, capture.diagnosisId, { kind, userId: capture.requestedBy, atMs: deps.clock.nowMs() });
  }
}

/** A capture the previous process was still following, with its diagnosis and SORACOM's word on it now. */
export interface CaptureToResume {
  readonly capture: StoredCapture;
  readonly found: LoadedDiagnosis;
  readonly session: PeekSession;
  readonly progressTs: string;
  /** SORACOM's status moved on while nobody watched (already stored). */
  readonly changed: boolean;
}

/** At start: the captures to follow again in their thread message. One without such a message cannot be updated. */
export async function capturesToResume(deps: UseCaseDeps): Promise<CaptureToResume[]> {
  const resumable: CaptureToResume[] = [];
  for (const capture of await deps.store.captures.listNotIn(FINAL_PEEK_STATUSES)) {
    const found = capture.diagnosisId === undefined ? undefined : await loadDiagnosis(deps, capture.diagnosisId);
    const progressTs = capture.progressTs;
    if (found === undefined || progressTs === undefined) continue;
    const session = await deps.api.getPeekSession(capture.simId, capture.sessionId).catch(() => undefined);
    if (session === undefined) continue;
    const changed = session.status !== capture.status;
    if (changed) await deps.store.captures.update(capture.id, { status: session.status });
    resumable.push({ capture, found, session, progressTs, changed });
  }
  return resumable;
}

export type CaptureLinkOutcome =
  | { readonly kind: 'stale' | 'elsewhere' | 'no-link' }
  | { readonly kind: 'denied'; readonly reason: MessageRef }
  | { readonly kind: 'not-ready'; readonly status: string }
  /** Valid about 5 minutes: for the clicker alone, never stored or posted. */
  | { readonly kind: 'link'; readonly url: string };

/** "Get download link": asked of SORACOM afresh for every click, which is what the person wants. */
export async function captureLink(deps: UseCaseDeps, request: { readonly actor: Actor; readonly captureId: string }): Promise<CaptureLinkOutcome> {
  const { actor } = request;
  const capture = await deps.store.captures.get(request.captureId);
  if (capture === undefined) return { kind: 'stale' };
  if (actor.channelId !== capture.channelId) return { kind: 'elsewhere' };
  const sim = await deps.api.getSim(capture.simId);
  const allowed = await authorizeOrDeny(deps, actor, { action: 'peek', channelId: capture.channelId, sim, simId: capture.simId });
  if (!allowed.allowed) return { kind: 'denied', reason: allowed.reason };
  const session = await deps.api.getPeekSession(capture.simId, capture.sessionId);
  if (session === undefined || session.status !== 'DONE') return { kind: 'not-ready', status: session?.status ?? 'FAILED' };
  if (session.url === undefined || session.url === '') return { kind: 'no-link' };
  return { kind: 'link', url: session.url };
}
