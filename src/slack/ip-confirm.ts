import type { WebClient } from '@slack/web-api';
import { errorCodeOf } from '../common/errors';
import { t } from '../domain/i18n/catalog';
import { type MessageRef, msg } from '../domain/i18n/message-ref';
import { type ConfirmedAddress, confirmCapturedIp } from '../use-cases/confirm-ip';
import type { IpCapture } from '../use-cases/ports/store';
import type { IpConfirmOutcome } from '../web/index';
import { escapeMrkdwn, type SlackMessage } from './blocks/common';
import { failureMessage, plainMessageRef } from './blocks/errors';
import { deliverPrivately } from './delivery';
import type { SlackDeps } from './deps';
import { describeFailure } from './failure';
import { openingNotice, presentOpen, simShown } from './present/open';

const both = (ref: MessageRef): { en: string; ja: string } => ({ en: t('en', ref), ja: t('ja', ref) });

/**
 * The IP page's Confirm, in whichever process serves the page: the open the link waits for goes ahead, and the
 * Slack message that carried the link is updated (through the response_url the link remembered, else an
 * ephemeral or a DM). The page itself says in a line how it went.
 */
export async function confirmIpCapture(deps: SlackDeps, client: WebClient, capture: IpCapture, address: ConfirmedAddress): Promise<IpConfirmOutcome> {
  const lang = capture.lang;
  // Through a response_url each reply replaces the previous one (the link, "Opening…", the result); without one
  // each is a new ephemeral or DM, and only the result is worth one.
  const reply = async (message: SlackMessage) => {
    await deliverPrivately({ client, logger: deps.logger, responseUrl: capture.responseUrl, channelId: capture.channelId, userId: capture.userId, message });
  };
  try {
    const actor = await deps.actors.resolve(client, capture);
    const outcome = await confirmCapturedIp(deps, {
      actor: { ...actor, lang },
      capture,
      address,
      onOpening: async (sim) => {
        if (capture.responseUrl !== undefined) await reply(openingNotice(lang, sim));
      },
    });
    if (outcome.kind === 'stale') return { ok: false, message: both(msg('slack.capture.page-stale')) };
    if (outcome.kind === 'sim-gone') {
      await reply(plainMessageRef(lang, msg('slack.sim.gone', { simId: escapeMrkdwn(outcome.simId) })));
      return { ok: false, message: both(msg('slack.sim.gone', { simId: outcome.simId })) };
    }
    await presentOpen(deps, { client, lang, channelId: capture.channelId, reply }, simShown(outcome.sim), outcome.outcome);
    switch (outcome.outcome.kind) {
      case 'opened':
        if (outcome.pending.diagnosisId !== undefined) await deps.painter.redrawQuietly(client, outcome.pending.diagnosisId);
        return { ok: true, message: both(msg('slack.capture.page-done', { ip: address.ip })) };
      case 'unknown':
        return { ok: true, message: both(msg('slack.capture.page-unknown', { ip: address.ip })) };
      case 'denied':
        return { ok: false, message: both(outcome.outcome.reason) };
      default:
        return { ok: false, message: both(msg('slack.open.in-progress')) };
    }
  } catch (error) {
    deps.logger.error('Opening after IP confirm failed', errorCodeOf(error), error);
    await reply(failureMessage(lang, describeFailure(error), errorCodeOf(error))).catch(() => undefined);
    return { ok: false, message: both(describeFailure(error)) };
  }
}
