import type { WebClient } from '@slack/web-api';
import { DEFAULT_EXTENSION_SEC } from '../../domain/expiry';
import { formatSpan } from '../../domain/duration';
import type { Lang } from '../../domain/i18n/message-ref';
import { serviceLabel } from '../../domain/port-mapping';
import type { JobResult } from '../../use-cases/scheduler';
import { reminderLeadOf } from '../../use-cases/watch-records';
import { reminderDue, type WatchView } from '../../use-cases/watch-view';
import { encodeActionValue } from '../action-value';
import { actions, button, escapeMrkdwn, section, slackDate, type SlackMessage } from '../blocks/common';
import type { SlackDeps } from '../deps';
import { ACTION_IDS } from '../ids';
import { t } from '../text';

/** The reminder before the end, to the requester only (a DM): Extend, or Close now. */
export function reminderMessage(lang: Lang, view: WatchView, nowMs: number, extensionSec: number): SlackMessage {
  const { mapping } = view;
  const text = t(lang, 'watch.reminder', {
    sim: escapeMrkdwn(view.simLabel),
    service: serviceLabel(mapping.devicePort),
    at: slackDate(mapping.expiresAtMs, 'minutes'),
    left: formatSpan(Math.max(0, Math.round((mapping.expiresAtMs - nowMs) / 1000)), lang),
    extension: formatSpan(extensionSec, lang),
  });
  const value = encodeActionValue({ v: 1, mappingId: mapping.id });
  return {
    text,
    blocks: [
      section(text),
      actions(`napter_reminder_${mapping.id}`, [
        button({ text: t(lang, 'slack.button.extend'), actionId: ACTION_IDS.extend, value, style: 'primary' }),
        button({ text: t(lang, 'slack.button.close-now'), actionId: ACTION_IDS.closeNow, value, style: 'danger' }),
      ]),
    ],
  };
}

export function registerReminderJob(deps: SlackDeps, client: WebClient): void {
  deps.scheduler.register('reminder', async (job): Promise<JobResult> => {
    const mappingId = (job.payload as { mappingId?: unknown } | undefined)?.mappingId;
    if (typeof mappingId !== 'string') return { kind: 'done' };
    const due = await reminderDue(deps, mappingId, reminderLeadOf(deps));
    if (due.kind === 'wait') return { kind: 'again', atMs: due.untilMs };
    if (due.kind === 'skip') return { kind: 'done' };
    const userId = due.view.mapping.openedBy.userId;
    const message = reminderMessage(await deps.actors.lang(client, userId), due.view, deps.clock.nowMs(), deps.watch?.extensionSec ?? DEFAULT_EXTENSION_SEC);
    // A failure throws: the scheduler tries again later (and the decision above lets a too-late one go).
    await client.chat.postMessage({ channel: userId, text: message.text, blocks: message.blocks });
    return { kind: 'done' };
  });
}
