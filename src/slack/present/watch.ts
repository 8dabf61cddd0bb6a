import type { WebClient } from '@slack/web-api';
import { CHAT_UPDATE_BUDGET, FairUpdateQueue } from '../../common/fair-update-queue';
import type { Lang, MessageRef } from '../../domain/i18n/message-ref';
import { serviceLabel } from '../../domain/port-mapping';
import { requesterMessages } from '../../domain/watch/index';
import type { Job, SlackMessageRef } from '../../use-cases/ports/store';
import type { JobResult } from '../../use-cases/scheduler';
import { runWatchPoll, type WatchNotice } from '../../use-cases/watch-poll';
import { type WatchView, watchView } from '../../use-cases/watch-view';
import { encodeActionValue } from '../action-value';
import { actions, button, escapeMrkdwn, section, slackDate, type SlackMessage, tEscaped } from '../blocks/common';
import type { SlackDeps } from '../deps';
import { ACTION_IDS } from '../ids';
import { t } from '../text';
import { cardKey } from './card-painter';

/**
 * The watch's deliveries, as scheduler jobs: the shared poll (a use-case), the requester's private notice (a DM:
 * it outlives the request, which a response_url or an ephemeral does not), and the channel card redrawn in place,
 * masked, under one fair `chat.update` budget per workspace so that a busy mapping never starves the others.
 */

/** A time inside escaped text: a marker escaping leaves alone, replaced by Slack's date token afterwards. */
const TIME_MARK = /\u27e6(\d+)\u27e7/g;
const markTime = (ms: number) => `\u27e6${ms}\u27e7`;
export const watchRender = { time: markTime };

/** A watch text with SORACOM's strings (addresses) escaped and its times shown in each reader's zone. */
export function watchText(lang: Lang, ref: MessageRef): string {
  return tEscaped(lang, ref).replace(TIME_MARK, (_, ms: string) => slackDate(Number(ms), 'minutes'));
}

/** The requester's notice: what happened, and Open again when an address of theirs was turned away or it ended. */
export function watchNoticeMessage(lang: Lang, view: WatchView, notice: WatchNotice): SlackMessage {
  const { mapping } = view;
  const header = t(lang, 'slack.watch.notice', {
    sim: escapeMrkdwn(view.simLabel),
    service: serviceLabel(mapping.devicePort),
    expires: slackDate(mapping.expiresAtMs, 'minutes'),
  });
  const lines = requesterMessages({ watchId: mapping.id, changes: notice.changes, summary: view.summary, events: [] }, watchRender).map((ref) =>
    watchText(lang, ref),
  );
  const mine = notice.changes.some((change) => (change.kind === 'denied' || change.kind === 'refused') && change.requester !== 'unlikely');
  const ended = notice.changes.some((change) => change.kind === 'ended');
  const value = encodeActionValue({ v: 1, mappingId: mapping.id });
  const buttons = [
    ...(mine || ended ? [button({ text: t(lang, 'slack.button.open-again'), actionId: ACTION_IDS.openAgain, value })] : []),
    ...(ended ? [] : [button({ text: t(lang, 'slack.button.diagnose'), actionId: ACTION_IDS.diagnoseMapping, value })]),
  ];
  return { text: `${header} ${lines.join(' ')}`, blocks: [section(header), section(lines.join('\n')), actions(`napter_watch_${mapping.id}`, buttons)] };
}

const mappingIdOf = (job: Job): string => {
  const payload = job.payload as { mappingId?: unknown } | undefined;
  return typeof payload?.mappingId === 'string' ? payload.mappingId : '';
};

/** Registers the watch's jobs with the scheduler; `client` is the app's. */
export function registerWatchJobs(deps: SlackDeps, client: WebClient): void {
  const { auditLog } = deps;
  if (auditLog !== undefined) deps.scheduler.register('watch-poll', (job) => runWatchPoll({ ...deps, auditLog }, job));

  deps.scheduler.register('watch-notify', async (job): Promise<JobResult> => {
    const notice = job.payload as WatchNotice;
    const view = await watchView(deps, notice.mappingId);
    if (view === undefined || !Array.isArray(notice.changes)) return { kind: 'done' };
    const userId = view.mapping.openedBy.userId;
    const message = watchNoticeMessage(await deps.actors.lang(client, userId), view, notice);
    // A failure throws: the scheduler tries again later.
    await client.chat.postMessage({ channel: userId, text: message.text, blocks: message.blocks });
    if (notice.changes.some((change) => change.kind === 'ended')) await refreshHomeQuietly(deps, view.mapping.openedBy);
    return { kind: 'done' };
  });

  // One fair budget per workspace; each card's update is drawn by the card painter when the budget gives its turn.
  const queues = new Map<string, FairUpdateQueue<SlackMessageRef>>();
  deps.scheduler.register('watch-card', async (job): Promise<JobResult> => {
    // The card as this mapping had it: the painter draws it for whichever mapping owns it at its turn.
    const mapping = (await watchView(deps, mappingIdOf(job)))?.mapping;
    const card = mapping?.card;
    if (mapping === undefined || card === undefined) return { kind: 'done' };
    const teamId = mapping.openedBy.teamId;
    const queue = queues.get(teamId) ?? new FairUpdateQueue<SlackMessageRef>(deps.clock, CHAT_UPDATE_BUDGET);
    queues.set(teamId, queue);
    const key = cardKey(card);
    queue.offer(key, card);
    for (let next = queue.take(); next !== undefined; next = queue.take()) await deps.cards.redraw(client, next.payload);
    // Still waiting for the workspace's budget: this job comes back when a send is allowed.
    return queue.has(key) ? { kind: 'again', atMs: queue.nextAtMs() ?? deps.clock.nowMs() } : { kind: 'done' };
  });
}

/** The App Home shows the user's active mappings: redrawn when one ends (the refresher never throws). */
export async function refreshHomeQuietly(deps: SlackDeps, user: { readonly teamId: string; readonly userId: string }): Promise<void> {
  await deps.homeRefresher.refreshHome(user.teamId, user.userId);
}
