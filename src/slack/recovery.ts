import type { WebClient } from '@slack/web-api';
import { type MessageKey, msg } from '../domain/i18n/message-ref';
import { serviceLabel } from '../domain/port-mapping';
import { closeParamsOf } from '../use-cases/close-mapping';
import { parsePendingOpen, openParamsOf } from '../use-cases/open-records';
import { type Interrupted, recoverInterruptedWork } from '../use-cases/recover';
import { parseReplyRoute } from '../use-cases/reply-route';
import { simForMessage, simLabel } from '../use-cases/resolve-sim';
import { reconcileWatches } from '../use-cases/reconcile-watches';
import { releaseLeasesOfGone } from '../use-cases/scheduler';
import { escapeMrkdwn, slackDate, type SlackMessage } from './blocks/common';
import { plainMessageRef } from './blocks/errors';
import { deliverPrivately } from './delivery';
import type { SlackDeps } from './deps';
import { updateCardClosed } from './present/close';
import { announceOpened, followUnknown, type OpenAudience, type SimShown } from './present/open';
import { isGoneLocalOwner } from './scheduler-loop';
import { armHousekeeping } from '../use-cases/housekeeping';

/**
 * At start, after the app is up: what the previous process left unfinished is finished (the use-case) and the
 * people waiting are told, replacing their "Opening…" where the stored route allows, else by ephemeral or DM.
 * Packet captures need nothing here: their `capture-poll` jobs run again once the leases are handed back.
 */
export async function recoverAfterStart(deps: SlackDeps, client: WebClient): Promise<void> {
  const report = await recoverInterruptedWork(deps, (item) => tell(deps, client, item));
  try {
    // Jobs the killed process held run again now; the watches are checked against SORACOM (gone: ended, told once).
    const released = await releaseLeasesOfGone(deps, isGoneLocalOwner);
    const watches = await reconcileWatches(deps);
    if (released > 0 || watches.ended > 0 || watches.rearmed > 0) deps.logger.info('Scheduler and watches after start', { released, ...watches });
  } catch (error) {
    deps.logger.warn('Could not reconcile the watches at start; their next poll does', error);
  }
  await armHousekeeping(deps).catch((error: unknown) => deps.logger.warn('Could not arm the daily clearing of old rows; the next start does', error));
  if (Object.values(report).some((count) => count > 0)) {
    deps.logger.info('Finished work the previous process left', report);
  }
}

async function tell(deps: SlackDeps, client: WebClient, item: Interrupted): Promise<void> {
  if (item.kind === 'link-reopened') {
    const { capture } = item;
    const pending = parsePendingOpen(capture.request);
    const sim = await simShownFor(deps, pending?.simId);
    const params = { sim: escapeMrkdwn(sim.label), service: serviceLabel(pending?.devicePort ?? 0), expires: slackDate(capture.expiresAtMs, 'minutes') };
    const message = plainMessageRef(capture.lang, msg('slack.recovery.capture-reopened', params));
    await deliverPrivately({ client, logger: deps.logger, responseUrl: capture.responseUrl, channelId: capture.channelId, userId: capture.userId, message });
    return;
  }
  const { flight } = item;
  const route = parseReplyRoute(flight.reply);
  const audience: OpenAudience = {
    client,
    lang: route?.lang ?? 'en',
    channelId: flight.channelId,
    reply: async (message: SlackMessage) => {
      await deliverPrivately({ client, logger: deps.logger, responseUrl: route?.responseUrl, channelId: flight.channelId, userId: flight.userId, message });
    },
  };
  const sim = await simShownFor(deps, flight.simId);
  const say = (key: MessageKey, devicePort: number | undefined) =>
    audience.reply(plainMessageRef(audience.lang, msg(key, { sim: escapeMrkdwn(sim.label), service: serviceLabel(devicePort ?? 0) })));
  switch (item.kind) {
    case 'opened':
      if (item.replaced === undefined) {
        await announceOpened(deps, audience, sim, item.mapping, item.how);
        return;
      }
      // An Extend finished at this start: the new endpoint with one line about it, and the card the new mapping took
      // over redrawn for it. The old one's card says closed only when it kept its card (the new one found elsewhere).
      await announceOpened(deps, audience, sim, item.mapping, item.how, [msg('watch.extend.finished-after-restart')]);
      await updateCardClosed(deps, client, item.replaced, sim.label);
      await deps.homeRefresher.refreshHome(item.mapping.openedBy.teamId, item.mapping.openedBy.userId);
      return;
    case 'open-failed':
      await say('slack.recovery.open-interrupted', openParamsOf(flight)?.devicePort);
      return;
    case 'open-unknown':
      await audience.reply(plainMessageRef(audience.lang, msg('slack.open.outcome-unknown')));
      void deps.tasks.run('open-outcome', () => followUnknown(deps, audience, sim, flight.id)).catch(() => undefined);
      return;
    case 'closed':
      if (item.mapping !== undefined) await updateCardClosed(deps, client, item.mapping, sim.label);
      await say('slack.close.done', closeParamsOf(flight)?.devicePort);
      return;
  }
}

async function simShownFor(deps: SlackDeps, simId: string | undefined): Promise<SimShown> {
  const sim = await simForMessage(deps.api, simId);
  return sim === undefined ? { label: simId ?? '?', sshUser: undefined } : { label: simLabel(sim), sshUser: sim.tags['ssh_user'] };
}
