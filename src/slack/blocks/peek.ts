import type { Lang } from '../../domain/i18n/message-ref';
import { hasMessage } from '../../domain/i18n/catalog';
import { t } from '../text';
import { ACTION_IDS } from '../ids';
import { encodeActionValue, type PeekRefValue } from '../action-value';
import {
  mention,
  actions,
  button,
  context,
  escapeMrkdwn,
  slackLink,
  notice,
  section,
  slackDate,
  truncate,
  type KnownBlock,
  type MessageMetadata,
  type SlackMessage,
} from './common';

export interface CaptureProgressView {
  readonly peekId: string;
  /** The SIM as the channel sees it (name and IMSI). */
  readonly simText: string;
  readonly durationSec: number;
  readonly startedBy: string;
  readonly status: string;
  readonly updatedAtMs: number;
  readonly failedReason?: string | undefined;
  /** The bot stopped polling before a final status. */
  readonly timedOutAfterMin?: number | undefined;
  readonly lang: Lang;
  readonly metadata?: MessageMetadata;
}

/** SORACOM's status in the reader's words; one this bot does not know is shown as SORACOM wrote it, escaped. */
function statusLabel(lang: Lang, status: string): string {
  const key = `thread.capture.status.${status}`;
  return hasMessage(key) ? t(lang, key) : escapeMrkdwn(status);
}

function peekRefValue(peekId: string): string {
  const value: PeekRefValue = { v: 1, peekId };
  return encodeActionValue(value);
}

/**
 * The thread message that follows a capture, updated in place as SORACOM moves it along. When it is
 * DONE it offers "Get download link"; the link itself never appears here (it is fetched per click).
 */
export function buildCaptureProgress(view: CaptureProgressView): SlackMessage {
  const { lang } = view;
  const label = statusLabel(lang, view.status);
  const blocks: KnownBlock[] = [
    section(
      t(lang, 'thread.capture.title', { sim: view.simText, durationSec: view.durationSec, user: mention(view.startedBy) }),
      truncate(`napter_capture_title:${view.peekId}`, 255),
    ),
    context(t(lang, 'thread.capture.status', { status: label, at: slackDate(view.updatedAtMs) })),
  ];
  if (view.status === 'DONE') {
    blocks.push(section(t(lang, 'thread.capture.done')));
    blocks.push(
      actions(truncate(`napter_capture_actions:${view.peekId}:${view.updatedAtMs}`, 255), [
        button({ text: t(lang, 'thread.capture.download'), actionId: ACTION_IDS.downloadCapture, value: peekRefValue(view.peekId), style: 'primary' }),
      ]),
    );
  } else if (view.status === 'FAILED' || view.status === 'STOPPED') {
    blocks.push(section(t(lang, 'thread.capture.failed', { reason: view.failedReason === undefined ? label : escapeMrkdwn(view.failedReason) })));
  } else if (view.timedOutAfterMin !== undefined) {
    blocks.push(section(t(lang, 'thread.capture.timedOut', { minutes: view.timedOutAfterMin, status: label })));
  } else {
    blocks.push(context(t(lang, 'thread.capture.hint')));
  }
  return {
    text: t(lang, 'thread.capture.fallback', { sim: view.simText, status: label }),
    blocks,
    ...(view.metadata === undefined ? {} : { metadata: view.metadata }),
  };
}

/** Ephemeral, to the clicker only: the link SORACOM just issued (valid about 5 minutes). */
export function buildCaptureLink(lang: Lang, url: string): SlackMessage {
  return notice(t(lang, 'thread.capture.link', { link: slackLink(url, 'capture.pcap') }));
}
