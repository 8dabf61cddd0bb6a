import type { WebClient } from '@slack/web-api';
import type { PeekSession } from '../../domain/soracom';
import type { LoadedDiagnosis } from '../../use-cases/diagnosis-record';
import type { StoredCapture } from '../../use-cases/ports/store';
import { CAPTURE_DURATION_SEC, type CaptureChange, captureShownAt, followCapture } from '../../use-cases/start-capture';
import type { SlackMessage } from '../blocks/common';
import { diagnosisMetadata, simLabelText } from '../blocks/diagnosis';
import { buildCaptureProgress } from '../blocks/peek';
import type { SlackDeps } from '../deps';
import { isNotInChannel } from '../failure';
import type { Responder } from '../pipeline/responder';

/** Where a capture's progress shows: updated in place in the thread, or (outside it) told at the end only. */
export type ProgressSurface = (message: SlackMessage, final: boolean) => Promise<void>;

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

/** The thread message when the bot may post there; otherwise the clicker's ephemeral, which cannot be edited. */
export async function openProgressSurface(
  deps: SlackDeps,
  client: WebClient,
  capture: StoredCapture,
  first: SlackMessage,
  responder: Responder,
): Promise<ProgressSurface> {
  if (capture.threadTs !== undefined) {
    try {
      const posted = await client.chat.postMessage({ channel: capture.channelId, thread_ts: capture.threadTs, ...first });
      if (typeof posted.ts === 'string') {
        const ts = posted.ts;
        await captureShownAt(deps, capture.id, ts);
        return threadSurface(client, capture.channelId, ts);
      }
    } catch (error) {
      if (!isNotInChannel(error)) throw error;
    }
  }
  await responder.send(first);
  return async (message, final) => {
    if (final) await responder.send(message);
  };
}

export function threadSurface(client: WebClient, channelId: string, ts: string): ProgressSurface {
  return async (message) => {
    await client.chat.update({ channel: channelId, ts, ...message });
  };
}

/**
 * Follows a capture on its own tracked task, so that the click's handler ends now (a receiver holding the HTTP
 * response until the handler ends would otherwise hold it for minutes); the parent notes how it ended.
 */
export function followInBackground(
  deps: SlackDeps,
  client: WebClient,
  input: {
    readonly found: LoadedDiagnosis;
    readonly capture: StoredCapture;
    readonly session: PeekSession;
    readonly startedAtMs: number;
    readonly surface: ProgressSurface;
  },
): void {
  const { found, capture, surface } = input;
  void deps.tasks
    .run('capture-follow', async () => {
      await followCapture(deps, input, (change) => surface(captureProgress(deps, found, capture, change), change.final));
      await deps.painter.redrawQuietly(client, found.stored.id);
    })
    .catch(() => undefined);
}
