import type { WebClient } from '@slack/web-api';
import { t } from '../domain/i18n/catalog';
import type { Lang, MessageRef } from '../domain/i18n/message-ref';
import { msg } from '../domain/i18n/message-ref';
import { hostCidr } from '../domain/net/index';
import type { IpCapture } from '../storage/types';
import type { IpConfirmOutcome } from '../web/index';
import { deliverPrivately } from './deliver';
import type { SlackDeps } from './deps';
import { errorCode, describeFailure } from './error-handler';
import { failureMessage, plainMessageRef } from './blocks/errors';
import { finishOpen, parsePendingOpen, type OpenFlowContext } from './open-flow';

const both = (ref: MessageRef): { en: string; ja: string } => ({ en: t('en', ref), ja: t('ja', ref) });

/**
 * The IP page's Confirm: the user proved their global address. Opens the mapping the capture was
 * created for and updates the Slack message that carried the link (through the stored response_url,
 * else ephemeral or DM). Runs in whichever process serves the page, so a restart in between loses nothing.
 */
export async function confirmIpCapture(deps: SlackDeps, client: WebClient, capture: IpCapture, ip: string): Promise<IpConfirmOutcome> {
  const lang: Lang = capture.lang;
  const pending = parsePendingOpen(capture.request);
  if (pending === undefined) {
    deps.logger.warn('IP capture holds a request this version cannot read', capture.id);
    return { ok: false, message: both(msg('slack.capture.page-stale')) };
  }

  const ctx: OpenFlowContext = {
    deps,
    client,
    requester: { teamId: capture.teamId, userId: capture.userId, channelId: capture.channelId, lang },
    responseUrl: capture.responseUrl,
    requestKey: `capture:${capture.id}`,
    reply: async (message) => {
      // Each reply replaces the previous one: first the link message, then "Opening…", then the result.
      await deliverPrivately({
        client,
        logger: deps.logger,
        responseUrl: capture.responseUrl,
        channelId: capture.channelId,
        userId: capture.userId,
        message,
        replaceOriginal: true,
      });
    },
  };

  try {
    deps.store.setLastConfirmedIp(capture.teamId, capture.userId, ip);
    deps.store.recordLedger({
      kind: 'ip-confirmed',
      teamId: capture.teamId,
      userId: capture.userId,
      channelId: capture.channelId,
      simId: pending.simId,
      devicePort: pending.devicePort,
      sourceCidr: hostCidr(ip),
      details: { captureId: capture.id },
    });
    const sim = await deps.api.getSim(pending.simId);
    if (sim === undefined) {
      await ctx.reply(plainMessageRef(lang, msg('slack.sim.gone', { simId: pending.simId })));
      return { ok: false, message: both(msg('slack.sim.gone', { simId: pending.simId })) };
    }
    const result = await finishOpen(
      ctx,
      {
        simId: pending.simId,
        devicePort: pending.devicePort,
        protocol: pending.protocol,
        durationSec: pending.durationSec,
        tlsRequired: pending.tlsRequired,
        source: { kind: 'cidr', cidr: hostCidr(ip) },
        reason: pending.reason,
      },
      sim,
      hostCidr(ip),
      'me',
    );
    switch (result.kind) {
      case 'opened':
      case 'reused':
        return { ok: true, message: both(msg('slack.capture.page-done', { ip })) };
      case 'denied':
        return { ok: false, message: both(result.reason) };
      default:
        return { ok: false, message: both(msg('slack.open.in-progress')) };
    }
  } catch (error) {
    deps.logger.error('Opening after IP confirm failed', errorCode(error), error);
    await ctx.reply(failureMessage(lang, describeFailure(error), errorCode(error))).catch(() => undefined);
    return { ok: false, message: both(describeFailure(error)) };
  }
}
