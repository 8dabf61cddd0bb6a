import type { WebClient } from '@slack/web-api';
import { msg } from '../domain/i18n/message-ref';
import type { InFlight, IpCapture } from '../use-cases/ports/store';
import { closeParamsOf } from '../use-cases/close-mapping';
import { openParamsOf } from '../use-cases/open-mapping';
import { reconcileInFlight, type ReconciledWork } from '../use-cases/reconcile';
import { simLabel } from '../use-cases/resolve-sim';
import { escapeMrkdwn, slackDate, type SlackMessage } from './blocks/common';
import { plainMessageRef } from './blocks/errors';
import { serviceLabel } from './blocks/mapping';
import { resumeCaptureFollows } from './capture-flow';
import { updateCardClosed } from './close-flow';
import { deliverPrivately } from './deliver';
import type { SlackDeps } from './deps';
import { announceOpened, followUnknownOpen, parsePendingOpen, parseReplyRoute, type AnnounceContext, type SimShown } from './open-flow';

/** What the start found left unfinished, and did about it. */
export interface RecoveryReport {
  readonly opened: number;
  readonly openFailed: number;
  readonly stillUnknown: number;
  readonly closed: number;
  readonly closePending: number;
  readonly linksReopened: number;
  /** Packet captures followed again in their thread. */
  readonly capturesFollowed: number;
}

type Counts = { -readonly [K in Exclude<keyof RecoveryReport, 'capturesFollowed'>]: number };

/**
 * At start, what the previous process left unfinished is finished and the people waiting are told: an open
 * that made a mapping gets its card and the private result (replacing "Opening…" where the route allows), one
 * that made nothing says so, a close is completed and its card says closed, an IP link whose Confirm was cut
 * off works again, and packet captures are followed again. Runs after the app started; settles each row once
 * its person was told.
 */
export async function recoverInterruptedWork(deps: SlackDeps, client: WebClient): Promise<RecoveryReport> {
  const work = await reconcileInFlight(deps);
  const report: Counts = { opened: 0, openFailed: 0, stillUnknown: 0, closed: 0, closePending: 0, linksReopened: 0 };

  // An IP link whose Confirm was cut off: the link is offered again, unless its open made (or may have made) a mapping.
  const toldThroughLink = new Set<string>();
  for (const capture of await deps.store.ipCaptures.listUnfinished()) {
    const flights = await deps.store.inflight.list({ requestKey: `capture:${capture.id}` });
    const latest = flights[flights.length - 1];
    const outcome = latest === undefined ? undefined : work.find((item) => item.flight.id === latest.id);
    if (outcome?.kind === 'opened' || outcome?.kind === 'open-unknown') {
      await deps.store.ipCaptures.finish(capture.id);
      continue;
    }
    if (!(await deps.store.ipCaptures.reopen(capture.id))) continue;
    report.linksReopened += 1;
    if (latest !== undefined) {
      toldThroughLink.add(latest.id);
      await deps.store.inflight.settle(latest.id);
    }
    await tellAboutLink(deps, client, capture);
  }

  for (const item of work) {
    if (toldThroughLink.has(item.flight.id)) continue;
    try {
      await tell(deps, client, item, report);
    } catch (error) {
      deps.logger.warn('Could not finish telling about interrupted work', item.flight.id, error);
    }
  }
  const capturesFollowed = await resumeCaptureFollows({ deps, client }).catch((error: unknown) => {
    deps.logger.warn('Could not resume following packet captures', error);
    return 0;
  });
  if (work.length > 0 || report.linksReopened > 0 || capturesFollowed > 0) {
    deps.logger.info('Finished work the previous process left', { ...report, capturesFollowed });
  }
  return { ...report, capturesFollowed };
}

async function tell(deps: SlackDeps, client: WebClient, item: ReconciledWork, report: Counts): Promise<void> {
  const { flight } = item;
  const ctx = contextFor(deps, client, flight);
  switch (item.kind) {
    case 'opened':
      await announceOpened(ctx, await simShownFor(deps, flight.simId), item.mapping, item.how);
      await deps.store.inflight.settle(flight.id);
      report.opened += 1;
      return;
    case 'open-failed': {
      const params = openParamsOf(flight);
      const sim = await simShownFor(deps, flight.simId);
      await ctx.reply(
        plainMessageRef(
          ctx.requester.lang,
          msg('slack.recovery.open-interrupted', { sim: escapeMrkdwn(sim.label), service: serviceLabel(params?.devicePort ?? 0) }),
        ),
      );
      await deps.store.inflight.settle(flight.id);
      report.openFailed += 1;
      return;
    }
    case 'open-unknown':
      report.stillUnknown += 1;
      await ctx.reply(plainMessageRef(ctx.requester.lang, msg('slack.open.outcome-unknown')));
      void deps.tasks.run('open-outcome', async () => followUnknownOpen(ctx, await simShownFor(deps, flight.simId), flight.id)).catch(() => undefined);
      return;
    case 'closed': {
      if (item.mapping !== undefined) await updateCardClosed(deps, client, item.mapping, undefined);
      const params = closeParamsOf(flight);
      const sim = await simShownFor(deps, flight.simId);
      await ctx.reply(
        plainMessageRef(ctx.requester.lang, msg('slack.close.done', { service: serviceLabel(params?.devicePort ?? 0), sim: escapeMrkdwn(sim.label) })),
      );
      await deps.store.inflight.settle(flight.id);
      report.closed += 1;
      return;
    }
    case 'close-pending':
      report.closePending += 1;
      deps.logger.warn('A close cut off by the previous process could not be finished yet; trying at the next start', flight.id, item.error);
      return;
    case 'unreadable':
      await deps.store.inflight.settle(flight.id);
      return;
  }
}

/** The person waiting, reached the way the row says: replacing their message where it may, else ephemeral or DM. */
function contextFor(deps: SlackDeps, client: WebClient, flight: InFlight): AnnounceContext {
  const route = parseReplyRoute(flight.reply);
  const lang = route?.lang ?? 'en';
  return {
    deps,
    client,
    requester: { teamId: flight.teamId, userId: flight.userId, channelId: flight.channelId, lang },
    reply: (message: SlackMessage) => deliver(deps, client, { responseUrl: route?.responseUrl, channelId: flight.channelId, userId: flight.userId }, message),
  };
}

async function deliver(
  deps: SlackDeps,
  client: WebClient,
  to: { readonly responseUrl: string | undefined; readonly channelId: string; readonly userId: string },
  message: SlackMessage,
): Promise<void> {
  await deliverPrivately({ client, logger: deps.logger, ...to, message, replaceOriginal: true });
}

async function simShownFor(deps: SlackDeps, simId: string | undefined): Promise<SimShown> {
  if (simId === undefined) return { label: '?', sshUser: undefined };
  const sim = await deps.api.getSim(simId).catch(() => undefined);
  return sim === undefined ? { label: simId, sshUser: undefined } : { label: simLabel(sim), sshUser: sim.tags.ssh_user };
}

async function tellAboutLink(deps: SlackDeps, client: WebClient, capture: IpCapture): Promise<void> {
  const pending = parsePendingOpen(capture.request);
  const sim = await simShownFor(deps, pending?.simId);
  const message = plainMessageRef(
    capture.lang,
    msg('slack.recovery.capture-reopened', {
      sim: escapeMrkdwn(sim.label),
      service: serviceLabel(pending?.devicePort ?? 0),
      expires: slackDate(capture.expiresAtMs, 'minutes'),
    }),
  );
  await deliver(deps, client, { responseUrl: capture.responseUrl, channelId: capture.channelId, userId: capture.userId }, message).catch((error: unknown) =>
    deps.logger.warn('Could not tell about a reopened IP link', capture.id, error),
  );
}
