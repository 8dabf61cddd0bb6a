import { t } from '../domain/i18n/catalog';
import type { Lang } from '../domain/i18n/message-ref';
import { MIN_PEEK_DURATION_SEC, type PeekSession } from '../domain/soracom';
import { escapeMrkdwn, notice, type SlackMessage } from './blocks/common';
import { diagnosisMetadata, simLabelText } from './blocks/diagnosis';
import { buildCaptureLink, buildCaptureProgress, FINAL_PEEK_STATUSES, type CaptureProgressView } from './blocks/peek';
import type { StoredDiagnosis, StoredCapture } from '../use-cases/ports/store';
import { isNotInChannel, noteActivity, readDiagnosisRecord, reasonOf, type DiagnoseContext, type DiagnosisRecord, type Responder } from './diagnosis-flow';

/**
 * SORACOM Peek from the diagnosis thread: start a capture on the SIM, follow it in one thread message
 * updated in place, and hand out the download link only when asked, fresh from SORACOM, to the asker only.
 */

/** Long enough to retry a connection a few times while it runs; Peek's documented minimum is 60 s. */
const CAPTURE_DURATION_SEC = Math.max(MIN_PEEK_DURATION_SEC, 120);
const CAPTURE_POLL_INTERVAL_MS = 5_000;
/** After the capture's own duration, how long SORACOM may take to produce the file before the bot stops watching. */
const CAPTURE_GRACE_MS = 10 * 60 * 1000;
const START_KEY_TTL_MS = 2 * 60 * 1000;

export interface StartCaptureRequest {
  readonly stored: StoredDiagnosis;
  readonly record: DiagnosisRecord;
  readonly userId: string;
  readonly lang: Lang;
  readonly responder: Responder;
  /** Identifies the click across redeliveries. */
  readonly clickKey: string;
}

export type StartCaptureOutcome =
  | { readonly kind: 'started'; readonly peekId: string }
  | { readonly kind: 'duplicate' }
  | { readonly kind: 'failed'; readonly error: unknown };

/**
 * One capture per diagnosis per "capture number": a double click or a redelivery finds the key taken.
 * Returns once the capture is started and shown; following it to a final status runs on as a tracked task.
 */
export async function startPacketCapture(ctx: DiagnoseContext, request: StartCaptureRequest): Promise<StartCaptureOutcome> {
  const { deps } = ctx;
  const { stored, record, lang, responder } = request;
  const simId = record.sim.simId;
  if (simId === undefined) {
    await responder.send(notice(t(lang, 'thread.refused.noSim')));
    return { kind: 'failed', error: new Error('diagnosis without a SIM') };
  }
  if ((await runningCapture(ctx, stored.id)) !== undefined) {
    await responder.send(notice(t(lang, 'thread.capture.alreadyRunning')));
    return { kind: 'duplicate' };
  }
  const clickClaim = await deps.store.claims.claim(`capture-click:${request.clickKey}`, START_KEY_TTL_MS);
  const startKey = `capture:${stored.id}:${record.captures}`;
  const startClaim = clickClaim.claimed ? await deps.store.claims.claim(startKey, START_KEY_TTL_MS) : clickClaim;
  if (!startClaim.claimed) {
    if (clickClaim.claimed) await deps.store.claims.release(`capture-click:${request.clickKey}`);
    await responder.send(notice(t(lang, 'thread.refused.duplicate')));
    return { kind: 'duplicate' };
  }

  let session: PeekSession;
  try {
    session = await deps.api.createPeekSession(simId, CAPTURE_DURATION_SEC);
  } catch (error) {
    await deps.store.claims.release(startKey);
    await deps.store.claims.release(`capture-click:${request.clickKey}`);
    deps.logger.error('packet capture could not start', error);
    await responder.send(notice(t(lang, 'thread.capture.startFailed', { reason: reasonOf(error) })));
    return { kind: 'failed', error };
  }

  const peek = await deps.store.captures.save({
    simId,
    sessionId: session.sessionId,
    diagnosisId: stored.id,
    channelId: stored.channelId,
    ...(stored.parentTs === undefined ? {} : { threadTs: stored.parentTs }),
    requestedBy: request.userId,
    teamId: stored.teamId,
  });
  await deps.store.diagnoses.modify(stored.id, (current) => {
    const latest = readDiagnosisRecord(current) ?? record;
    return { diagnosis: { ...latest, captures: latest.captures + 1 } };
  });
  await deps.store.ledger.record({
    kind: 'peek',
    teamId: stored.teamId,
    userId: request.userId,
    channelId: stored.channelId,
    simId,
    ...(record.sim.imsi === undefined ? {} : { imsi: record.sim.imsi }),
    details: { diagnosisId: stored.id, peekId: peek.id, sessionId: session.sessionId, durationSec: CAPTURE_DURATION_SEC },
  });
  await deps.store.claims.complete(startKey, { peekId: peek.id });
  await deps.store.claims.complete(`capture-click:${request.clickKey}`, { peekId: peek.id });

  const viewFor = progressViews(ctx, stored, record, peek);
  const surface = await openProgressSurface(ctx, peek, buildCaptureProgress(viewFor(session)), responder);
  await noteActivity(ctx, stored.id, { kind: 'capture-started', userId: request.userId, atMs: deps.clock.nowMs() });
  // The capture takes minutes: it is followed as its own tracked task, so the click's handler ends now
  // (a receiver holding the HTTP response until the handler ends would otherwise hold it for minutes).
  followInBackground(ctx, { peek, session, surface, viewFor, diagnosisId: stored.id, startedAtMs: deps.clock.nowMs() });
  return { kind: 'started', peekId: peek.id };
}

type ViewFor = (session: PeekSession, timedOutAfterMin?: number) => CaptureProgressView;

function progressViews(ctx: DiagnoseContext, stored: StoredDiagnosis, record: DiagnosisRecord, peek: StoredCapture): ViewFor {
  const metadata = diagnosisMetadata({ diagnosisId: stored.id, diagnosis: record.diagnosis, sim: record.sim });
  return (current, timedOutAfterMin) => ({
    peekId: peek.id,
    simText: simLabelText(record.sim),
    durationSec: current.durationSec || CAPTURE_DURATION_SEC,
    startedBy: peek.requestedBy,
    status: current.status,
    updatedAtMs: ctx.deps.clock.nowMs(),
    ...(current.failedReason === undefined ? {} : { failedReason: current.failedReason }),
    ...(timedOutAfterMin === undefined ? {} : { timedOutAfterMin }),
    lang: stored.lang,
    metadata,
  });
}

function followInBackground(
  ctx: DiagnoseContext,
  input: { peek: StoredCapture; session: PeekSession; surface: ProgressSurface; viewFor: ViewFor; diagnosisId: string; startedAtMs: number },
): void {
  const { deps } = ctx;
  const following = deps.tasks.run('capture-follow', async () => {
    const { finalStatus } = await followCapture(ctx, input);
    if (!FINAL_PEEK_STATUSES.includes(finalStatus)) return;
    const kind = finalStatus === 'DONE' ? 'capture-done' : 'capture-failed';
    await noteActivity(ctx, input.diagnosisId, { kind, userId: input.peek.requestedBy, atMs: deps.clock.nowMs() });
  });
  following.catch(() => undefined);
}

/**
 * At start: captures the previous process was still following (it stopped, or died) are followed again, in
 * their thread message, until SORACOM says they are over. One without a thread message cannot be updated and
 * is left as it was.
 */
export async function resumeCaptureFollows(ctx: DiagnoseContext): Promise<number> {
  const { deps, client } = ctx;
  let resumed = 0;
  for (const peek of await deps.store.captures.listNotIn(FINAL_PEEK_STATUSES)) {
    const stored = peek.diagnosisId === undefined ? undefined : await deps.store.diagnoses.get(peek.diagnosisId);
    const record = stored === undefined ? undefined : readDiagnosisRecord(stored);
    const progressTs = peek.progressTs;
    if (stored === undefined || record === undefined || progressTs === undefined) continue;
    const session = await deps.api.getPeekSession(peek.simId, peek.sessionId).catch(() => undefined);
    if (session === undefined) continue;
    const surface: ProgressSurface = {
      update: async (message) => {
        await client.chat.update({ channel: peek.channelId, ts: progressTs, ...message });
      },
    };
    const viewFor = progressViews(ctx, stored, record, peek);
    if (session.status !== peek.status) {
      await deps.store.captures.update(peek.id, { status: session.status });
      await surface.update(buildCaptureProgress(viewFor(session)), FINAL_PEEK_STATUSES.includes(session.status)).catch(() => undefined);
    }
    followInBackground(ctx, { peek, session, surface, viewFor, diagnosisId: stored.id, startedAtMs: peek.createdAtMs });
    resumed += 1;
  }
  return resumed;
}

/** A capture started from this diagnosis that has not reached a final status: a second click must not start another. */
async function runningCapture(ctx: DiagnoseContext, diagnosisId: string): Promise<StoredCapture | undefined> {
  return (await ctx.deps.store.captures.listByDiagnosis(diagnosisId)).find((capture) => !FINAL_PEEK_STATUSES.includes(capture.status));
}

interface ProgressSurface {
  update(message: SlackMessage, final: boolean): Promise<void>;
}

/** The thread message when the bot may post there; otherwise the clicker's ephemeral, which cannot be edited. */
async function openProgressSurface(ctx: DiagnoseContext, peek: StoredCapture, first: SlackMessage, responder: Responder): Promise<ProgressSurface> {
  const { deps, client } = ctx;
  if (peek.threadTs !== undefined) {
    try {
      const posted = await client.chat.postMessage({ channel: peek.channelId, thread_ts: peek.threadTs, ...first });
      if (typeof posted.ts === 'string') {
        const ts = posted.ts;
        await deps.store.captures.update(peek.id, { progressTs: ts });
        return {
          update: async (message) => {
            await client.chat.update({ channel: peek.channelId, ts, ...message });
          },
        };
      }
    } catch (error) {
      if (!isNotInChannel(error)) throw error;
    }
  }
  await responder.send(first);
  return {
    update: async (message, final) => {
      if (final) await responder.send(message);
    },
  };
}

async function followCapture(
  ctx: DiagnoseContext,
  input: { peek: StoredCapture; session: PeekSession; surface: ProgressSurface; viewFor: ViewFor; startedAtMs: number },
): Promise<{ readonly finalStatus: string }> {
  const { deps } = ctx;
  const { peek, surface, viewFor, startedAtMs } = input;
  let current = input.session;
  const watchMs = (current.durationSec || CAPTURE_DURATION_SEC) * 1000 + CAPTURE_GRACE_MS;
  const deadlineMs = startedAtMs + watchMs;
  // Bounded by polls as well as by the clock, so a stalled clock cannot keep the loop alive forever.
  const maxPolls = Math.ceil(watchMs / CAPTURE_POLL_INTERVAL_MS) + 1;
  for (let polls = 0; !FINAL_PEEK_STATUSES.includes(current.status); polls += 1) {
    if (deps.clock.nowMs() >= deadlineMs || polls >= maxPolls) {
      const minutes = Math.round((deps.clock.nowMs() - startedAtMs) / 60_000);
      await surface.update(buildCaptureProgress(viewFor(current, minutes)), true).catch((error: unknown) => {
        deps.logger.warn('capture progress update failed', error);
      });
      return { finalStatus: current.status };
    }
    await deps.sleep(CAPTURE_POLL_INTERVAL_MS);
    // The process is stopping: the capture is handed back (the next start follows it again), not waited for.
    if (deps.stopping.aborted) return { finalStatus: current.status };
    let next: PeekSession | undefined;
    try {
      next = await deps.api.getPeekSession(peek.simId, peek.sessionId);
    } catch (error) {
      deps.logger.warn('capture status read failed; trying again', error);
      continue;
    }
    if (next === undefined) {
      next = { ...current, status: 'FAILED', failedReason: current.failedReason ?? 'not found' };
    }
    if (next.status !== current.status) {
      current = next;
      await deps.store.captures.update(peek.id, { status: current.status });
      await surface.update(buildCaptureProgress(viewFor(current)), FINAL_PEEK_STATUSES.includes(current.status)).catch((error: unknown) => {
        deps.logger.warn('capture progress update failed', error);
      });
    } else {
      current = next;
    }
  }
  return { finalStatus: current.status };
}

export interface DownloadRequest {
  readonly peek: StoredCapture;
  readonly lang: Lang;
  readonly responder: Responder;
}

export type DownloadOutcome = { readonly kind: 'sent' } | { readonly kind: 'not-ready'; readonly status: string } | { readonly kind: 'no-link' };

/** The link is valid about 5 minutes: fetched now, sent to the clicker alone, never stored or posted. */
export async function sendCaptureLink(ctx: DiagnoseContext, request: DownloadRequest): Promise<DownloadOutcome> {
  const { peek, lang, responder } = request;
  const session = await ctx.deps.api.getPeekSession(peek.simId, peek.sessionId);
  if (session === undefined || session.status !== 'DONE') {
    const status = session?.status ?? 'FAILED';
    await responder.send(notice(t(lang, 'thread.capture.notReady', { status: escapeMrkdwn(status) })));
    return { kind: 'not-ready', status };
  }
  if (session.url === undefined || session.url === '') {
    await responder.send(notice(t(lang, 'thread.capture.noLink')));
    return { kind: 'no-link' };
  }
  await responder.send(buildCaptureLink(lang, session.url));
  return { kind: 'sent' };
}
