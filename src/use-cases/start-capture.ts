import type { MessageRef } from '../domain/i18n/message-ref';
import { FINAL_PEEK_STATUSES, MIN_PEEK_DURATION_SEC, type PeekSession } from '../domain/soracom';
import { authorizeOrDeny } from './authorize';
import type { Actor, UseCaseDeps } from './deps';
import { capturePollJob } from './capture-poll';
import { diagnosisForClick, type LoadedDiagnosis, noteActivity, readDiagnosisRecord } from './diagnosis-record';
import type { StoredCapture } from './ports/store';

/** Long enough to retry a connection a few times while it runs; Peek's documented minimum is 60 s. */
export const CAPTURE_DURATION_SEC = Math.max(MIN_PEEK_DURATION_SEC, 120);
const START_KEY_TTL_MS = 2 * 60 * 1000;

export type StartCaptureOutcome =
  | { readonly kind: 'stale' | 'elsewhere' | 'no-sim' | 'running' | 'duplicate' }
  | { readonly kind: 'denied'; readonly reason: MessageRef }
  /** Its `capture-poll` job is scheduled with it; the adapter shows its progress. */
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
  const capture = await deps.store.captures.save(
    {
      simId,
      sessionId: session.sessionId,
      diagnosisId: stored.id,
      channelId: stored.channelId,
      threadTs: stored.parentTs,
      requestedBy: actor.userId,
      teamId: stored.teamId,
    },
    (saved) => capturePollJob(saved, session, CAPTURE_DURATION_SEC),
  );
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
