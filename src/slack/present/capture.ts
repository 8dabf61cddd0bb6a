import type { WebClient } from '@slack/web-api';
import type { LoadedDiagnosis } from '../../use-cases/diagnosis-record';
import type { StoredCapture } from '../../use-cases/ports/store';
import { type CaptureChange, pollCapture } from '../../use-cases/capture-poll';
import type { JobResult } from '../../use-cases/scheduler';
import { CAPTURE_DURATION_SEC, captureShownAt } from '../../use-cases/start-capture';
import type { SlackMessage } from '../blocks/common';
import { diagnosisMetadata, simLabelText } from '../blocks/diagnosis';
import { buildCaptureProgress } from '../blocks/peek';
import type { SlackDeps } from '../deps';
import { deliverPrivately } from '../delivery';
import { isNotInChannel, slackFailureReason } from '../failure';
import type { Responder } from '../pipeline/responder';

/** The progress message of a capture at one moment. */
export function captureProgress(deps: SlackDeps, found: LoadedDiagnosis, capture: StoredCapture, change: CaptureChange): SlackMessage {
  const { stored, record } = found;
  return buildCaptureProgress({
    peekId: capture.id,
    simText: simLabelText(record.sim),
    durationSec: change.session.durationSec || CAPTURE_DURATION_SEC,
    startedBy: capture.requestedBy,
    status: change.session.status,
    updatedAtMs: deps.clock.nowMs(),
    failedReason: change.session.failedReason,
    timedOutAfterMin: change.timedOutAfterMin,
    lang: stored.lang,
    metadata: diagnosisMetadata({ diagnosisId: stored.id, diagnosis: record.diagnosis, sim: record.sim }),
  });
}

/** The thread message when the bot may post there (its ts stored: the capture's job updates it); else the clicker's ephemeral. */
export async function showFirstProgress(deps: SlackDeps, client: WebClient, capture: StoredCapture, first: SlackMessage, responder: Responder): Promise<void> {
  if (capture.threadTs !== undefined) {
    try {
      const posted = await client.chat.postMessage({ channel: capture.channelId, thread_ts: capture.threadTs, ...first });
      if (typeof posted.ts === 'string') {
        await captureShownAt(deps, capture.id, posted.ts);
        return;
      }
    } catch (error) {
      if (!isNotInChannel(error)) throw error;
    }
  }
  await responder.send(first);
}

/**
 * The `capture-poll` job: one read of the capture's progress, shown in place in its thread message (a message the
 * bot could not post there gets the end only, privately); at the end the diagnosis parent is redrawn.
 */
export function registerCaptureJob(deps: SlackDeps, client: WebClient): void {
  deps.scheduler.register('capture-poll', async (job): Promise<JobResult> => {
    const { shown, next } = await pollCapture(deps, job.payload);
    if (shown?.found === undefined) return next;
    const { capture, found, change } = shown;
    const message = captureProgress(deps, found, capture, change);
    try {
      if (capture.progressTs !== undefined) await client.chat.update({ channel: capture.channelId, ts: capture.progressTs, ...message });
      else if (change.final)
        await deliverPrivately({ client, logger: deps.logger, responseUrl: undefined, channelId: capture.channelId, userId: capture.requestedBy, message });
    } catch (error) {
      deps.logger.warn('capture progress update failed', slackFailureReason(error));
    }
    if (change.final) await deps.painter.redrawQuietly(client, found.stored.id);
    return next;
  });
}
