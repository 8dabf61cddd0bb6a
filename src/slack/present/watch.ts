import type { WebClient } from '@slack/web-api';
import { CHAT_UPDATE_BUDGET, FairUpdateQueue } from '../../common/fair-update-queue';
import type { Lang, MessageRef } from '../../domain/i18n/message-ref';
import { serviceLabel } from '../../domain/port-mapping';
import { cardMessages, requesterMessages } from '../../domain/watch/index';
import type { Job, StoredMapping } from '../../use-cases/ports/store';
import type { JobResult } from '../../use-cases/scheduler';
import { runWatchPoll, type WatchNotice } from '../../use-cases/watch-poll';
import { type WatchView, watchView } from '../../use-cases/watch-view';
import { encodeActionValue } from '../action-value';
import { actions, button, escapeMrkdwn, section, slackDate, type SlackMessage, tEscaped } from '../blocks/common';
import { type CardMessage, type CardState, mappingCardMessage } from '../blocks/mapping';
import type { SlackDeps } from '../deps';
import { slackFailureReason } from '../failure';
import { ACTION_IDS } from '../ids';
import { t } from '../text';

/**
 * The watch's deliveries, as scheduler jobs: the shared poll (a use-case), the requester's private notice (a DM:
 * it outlives the request, which a response_url or an ephemeral does not), and the channel card redrawn in place,
 * masked, under one fair `chat.update` budget per workspace so that a busy mapping never starves the others.
 */

/** A time inside escaped text: a marker escaping leaves alone, replaced by Slack's date token afterwards. */
const TIME_MARK = /\u27e6(\d+)\u27e7/g;
const markTime = (ms: number) => `\u27e6${ms}\u27e7`;
const render = { time: markTime };

/** A watch text with SORACOM's strings (addresses) escaped and its times shown in each reader's zone. */
function watchText(lang: Lang, ref: MessageRef): string {
  return tEscaped(lang, ref).replace(TIME_MARK, (_, ms: string) => slackDate(Number(ms), 'minutes'));
}

function cardOf(lang: Lang, view: WatchView) {
  const { mapping, summary } = view;
  const state: CardState =
    mapping.closed !== undefined
      ? { kind: 'closed', byUserId: mapping.closed.byUserId, atMs: mapping.closed.atMs }
      : summary.ended !== undefined && summary.ended.how !== 'closed'
        ? { kind: 'ended' }
        : { kind: 'open' };
  const lines = cardMessages(summary, render).map((ref) => watchText(lang, ref));
  return mappingCardMessage(lang, { mapping, simLabel: view.simLabel }, state, lines);
}

/** The requester's notice: what happened, and Open again when an address of theirs was turned away or it ended. */
export function watchNoticeMessage(lang: Lang, view: WatchView, notice: WatchNotice): SlackMessage {
  const { mapping } = view;
  const header = t(lang, 'slack.watch.notice', {
    sim: escapeMrkdwn(view.simLabel),
    service: serviceLabel(mapping.devicePort),
    expires: slackDate(mapping.expiresAtMs, 'minutes'),
  });
  const lines = requesterMessages({ watchId: mapping.id, changes: notice.changes, summary: view.summary, events: [] }, render).map((ref) =>
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

  const queues = new Map<string, FairUpdateQueue<string>>();
  const lastDrawn = new Map<string, string>();
  const redraw = async (mappingId: string): Promise<void> => {
    const view = await watchView(deps, mappingId);
    const card = view?.mapping.card;
    if (view === undefined || card === undefined) return;
    const message = cardOf(await deps.actors.lang(client, view.mapping.openedBy.userId), view);
    const key = `${card.channelId}:${card.ts}`;
    const drawn = JSON.stringify(message);
    // Another card's job may have drawn this one already in its turn: the same card is not sent twice.
    if (lastDrawn.get(key) === drawn) return;
    if (await updateCard(deps, client, view.mapping, message)) lastDrawn.set(key, drawn);
  };
  deps.scheduler.register('watch-card', async (job): Promise<JobResult> => {
    const mappingId = mappingIdOf(job);
    const view = await watchView(deps, mappingId);
    const card = view?.mapping.card;
    if (view === undefined || card === undefined) return { kind: 'done' };
    const teamId = view.mapping.openedBy.teamId;
    const queue = queues.get(teamId) ?? new FairUpdateQueue<string>(deps.clock, CHAT_UPDATE_BUDGET);
    queues.set(teamId, queue);
    const key = `${card.channelId}:${card.ts}`;
    queue.offer(key, mappingId);
    for (let next = queue.take(); next !== undefined; next = queue.take()) await redraw(next.payload);
    // Still waiting for the workspace's budget: this job comes back when a send is allowed.
    return queue.has(key) ? { kind: 'again', atMs: queue.nextAtMs() ?? deps.clock.nowMs() } : { kind: 'done' };
  });
}

/** Sends a mapping's card drawn anew to its message; a failure (deleted, not in the channel) is logged, not thrown. */
export async function updateCard(deps: Pick<SlackDeps, 'logger'>, client: WebClient, mapping: StoredMapping, message: CardMessage): Promise<boolean> {
  if (mapping.card === undefined) return false;
  try {
    await client.chat.update({ channel: mapping.card.channelId, ts: mapping.card.ts, text: message.text, blocks: message.blocks, metadata: message.metadata });
    return true;
  } catch (error) {
    deps.logger.warn('Could not update the mapping card', mapping.id, slackFailureReason(error));
    return false;
  }
}

/**
 * The card a mapping took over from the one an Extend replaced, redrawn in place for it at once: as its watch shows
 * it, or plainly open while it has no watch yet (a start repairs that after telling). A failure is only logged: the
 * requester has their answer, and the watch draws the card again at its next change.
 */
export async function redrawTakenCard(deps: SlackDeps, client: WebClient, mapping: StoredMapping, simLabel: string): Promise<void> {
  if (mapping.card === undefined) return;
  const lang = await deps.actors.lang(client, mapping.openedBy.userId);
  const view = await watchView(deps, mapping.id);
  await updateCard(deps, client, mapping, view === undefined ? mappingCardMessage(lang, { mapping, simLabel }, { kind: 'open' }) : cardOf(lang, view));
}

/** The App Home shows the user's active mappings: redrawn when one ends (the refresher never throws). */
export async function refreshHomeQuietly(deps: SlackDeps, user: { readonly teamId: string; readonly userId: string }): Promise<void> {
  await deps.homeRefresher.refreshHome(user.teamId, user.userId);
}
