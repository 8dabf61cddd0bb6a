import { z } from 'zod';
import { FINAL_PEEK_STATUSES, type PeekSession } from '../domain/soracom';
import type { UseCaseDeps } from './deps';
import { type LoadedDiagnosis, loadDiagnosis, noteActivity } from './diagnosis-record';
import type { JobInput, StoredCapture } from './ports/store';
import type { JobResult } from './scheduler';

/** Between two reads of a capture's progress. */
export const CAPTURE_POLL_INTERVAL_MS = 5_000;
/** After the capture's own duration, how long SORACOM may take to produce the file before the bot stops waiting. */
export const CAPTURE_GRACE_MS = 10 * 60 * 1000;

/** What the job keeps between its runs: the capture, its length, and the status its progress message shows. */
const CAPTURE_POLL_PAYLOAD = z.object({
  captureId: z.string(),
  durationSec: z.number().int().positive(),
  shown: z.string().optional(),
});
type CapturePollPayload = z.infer<typeof CAPTURE_POLL_PAYLOAD>;

/** The job that follows a capture, saved with its row (`captures.save`): one per capture, by key. */
export function capturePollJob(capture: StoredCapture, session: PeekSession, durationSec: number): JobInput {
  const payload: CapturePollPayload = { captureId: capture.id, durationSec: session.durationSec || durationSec, shown: session.status };
  return { key: `capture-poll:${capture.id}`, kind: 'capture-poll', dueAtMs: capture.createdAtMs + CAPTURE_POLL_INTERVAL_MS, payload };
}

/** A change the person following the capture should see; `timedOutAfterMin` when the bot stopped waiting first. */
export interface CaptureChange {
  readonly session: PeekSession;
  readonly final: boolean;
  readonly timedOutAfterMin?: number | undefined;
}

export interface CapturePollOutcome {
  /** What to show, when the status moved on since the progress message last showed it (or the wait is over). */
  readonly shown?: { readonly capture: StoredCapture; readonly found: LoadedDiagnosis | undefined; readonly change: CaptureChange } | undefined;
  /** The job's next step: again later with what is shown now, or done. */
  readonly next: JobResult;
}

/**
 * One run of a capture's `capture-poll` job: reads the Peek session once, stores a new status, says what to show,
 * and comes back until SORACOM says it is over or the capture's duration plus a grace period passed. Run again
 * after a crash it shows the same status again (in place) and notes the end on the diagnosis only once.
 */
export async function pollCapture(deps: UseCaseDeps, payloadJson: unknown): Promise<CapturePollOutcome> {
  const parsed = CAPTURE_POLL_PAYLOAD.safeParse(payloadJson);
  if (!parsed.success) return { next: { kind: 'done' } };
  const payload = parsed.data;
  const capture = await deps.store.captures.get(payload.captureId);
  if (capture === undefined) return { next: { kind: 'done' } };
  const found = capture.diagnosisId === undefined ? undefined : await loadDiagnosis(deps, capture.diagnosisId);
  const nowMs = deps.clock.nowMs();
  const deadlineMs = capture.createdAtMs + payload.durationSec * 1000 + CAPTURE_GRACE_MS;
  const again = (shown: string): JobResult => ({ kind: 'again', atMs: nowMs + CAPTURE_POLL_INTERVAL_MS, payload: { ...payload, shown } });
  const lastShown = payload.shown ?? capture.status;

  // A failed read is tried again at the next interval; past the deadline the wait ends as it stands.
  let read: { readonly session: PeekSession | undefined } | undefined;
  try {
    read = { session: await deps.api.getPeekSession(capture.simId, capture.sessionId) };
  } catch (error) {
    deps.logger.warn('capture status read failed; trying again', error);
    if (nowMs < deadlineMs) return { next: again(lastShown) };
  }
  // SORACOM no longer knowing the session ends the capture as failed.
  const current: PeekSession =
    read?.session ?? sessionAt(capture, payload.durationSec, read === undefined ? { status: lastShown } : { status: 'FAILED', failedReason: 'not found' });
  const final = FINAL_PEEK_STATUSES.includes(current.status);
  if (!final && nowMs >= deadlineMs) {
    const timedOutAfterMin = Math.round((nowMs - capture.createdAtMs) / 60_000);
    return { shown: { capture, found, change: { session: current, final: true, timedOutAfterMin } }, next: { kind: 'done' } };
  }
  if (current.status !== capture.status) await deps.store.captures.update(capture.id, { status: current.status });
  if (final) await noteCaptureEnd(deps, capture, current.status);
  if (current.status === lastShown && !final) return { next: again(lastShown) };
  return { shown: { capture, found, change: { session: current, final } }, next: final ? { kind: 'done' } : again(current.status) };
}

/** The session as the bot knows it when SORACOM's own answer is not at hand. */
function sessionAt(capture: StoredCapture, durationSec: number, state: Pick<PeekSession, 'status'> & { readonly failedReason?: string }): PeekSession {
  const unknown = { prefix: undefined, createdAtMs: undefined, startedAtMs: undefined, endedAtMs: undefined, failedReason: undefined, url: undefined };
  return { ...unknown, sessionId: capture.sessionId, simId: capture.simId, durationSec, ...state };
}

/** The diagnosis notes how its capture ended once: a run repeated after a crash finds the note there already. */
async function noteCaptureEnd(deps: UseCaseDeps, capture: StoredCapture, status: string): Promise<void> {
  if (capture.diagnosisId === undefined) return;
  const kind = status === 'DONE' ? 'capture-done' : 'capture-failed';
  await noteActivity(
    deps,
    capture.diagnosisId,
    { kind, userId: capture.requestedBy, atMs: deps.clock.nowMs() },
    // One capture runs per diagnosis at a time: an end noted since this one started is this one's.
    (activity) => !activity.some((entry) => (entry.kind === 'capture-done' || entry.kind === 'capture-failed') && entry.atMs >= capture.createdAtMs),
  );
}
