import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { t } from '../domain/i18n/catalog';
import type { Lang, MessageRef } from '../domain/i18n/message-ref';
import { msg } from '../domain/i18n/message-ref';
import { hostCidr } from '../domain/net/index';
import type { IpCapture } from '../use-cases/ports/store';
import type { ConfirmedAddress, IpConfirmOutcome } from '../web/index';
import { ACTION_VALUE_SCHEMAS, decodeActionValue } from './action-value';
import { deliverPrivately } from './deliver';
import type { SlackDeps } from './deps';
import { noteActivity } from './diagnosis-flow';
import { ACTION_IDS } from './ids';
import { errorCode, describeFailure } from './error-handler';
import { escapeMrkdwn } from './blocks/common';
import { failureMessage, plainMessageRef } from './blocks/errors';
import { finishOpen, parsePendingOpen, type OpenFlowContext } from './open-flow';

const both = (ref: MessageRef): { en: string; ja: string } => ({ en: t('en', ref), ja: t('ja', ref) });

/**
 * The IP page's Confirm: the user gave their global address. Opens the mapping the capture was created for
 * and updates the Slack message that carried the link (through the stored response_url, else ephemeral or
 * DM). Runs in whichever process serves the page, so a restart in between loses nothing. Only an address the
 * server saw itself is remembered as "last confirmed" and may reveal another user's mapping; one the browser
 * reported is treated like a typed address.
 */
export async function confirmIpCapture(deps: SlackDeps, client: WebClient, capture: IpCapture, address: ConfirmedAddress): Promise<IpConfirmOutcome> {
  const lang: Lang = capture.lang;
  const { ip } = address;
  const pending = parsePendingOpen(capture.request);
  if (pending === undefined) {
    deps.logger.warn('IP capture holds a request this version cannot read', capture.id);
    await deps.store.ipCaptures.finish(capture.id);
    return { ok: false, message: both(msg('slack.capture.page-stale')) };
  }

  const ctx: OpenFlowContext = {
    deps,
    client,
    requester: { teamId: capture.teamId, userId: capture.userId, channelId: capture.channelId, lang },
    responseUrl: capture.responseUrl,
    requestKey: `capture:${capture.id}`,
    // Without a response_url to replace through, each reply is a new message: only the result is worth one.
    showsProgress: capture.responseUrl !== undefined,
    reply: async (message) => {
      // Through a response_url each reply replaces the previous one (the link message, "Opening…", the result);
      // without one the result is a new ephemeral, or a DM where the bot cannot post.
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
    if (address.proof === 'seen') await deps.store.lastIps.set(capture.teamId, capture.userId, ip);
    await deps.store.ledger.record({
      kind: 'ip-confirmed',
      teamId: capture.teamId,
      userId: capture.userId,
      channelId: capture.channelId,
      simId: pending.simId,
      devicePort: pending.devicePort,
      sourceCidr: hostCidr(ip),
      details: { captureId: capture.id, proof: address.proof },
    });
    const sim = await deps.api.getSim(pending.simId);
    if (sim === undefined) {
      await ctx.reply(plainMessageRef(lang, msg('slack.sim.gone', { simId: escapeMrkdwn(pending.simId) })));
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
        ...(pending.diagnosisId === undefined ? {} : { diagnosisId: pending.diagnosisId }),
      },
      sim,
      hostCidr(ip),
      address.proof === 'seen' ? 'me' : 'claimed',
    );
    switch (result.kind) {
      case 'opened':
      case 'reused':
        if (pending.diagnosisId !== undefined) {
          // The fix was applied from a diagnosis: its parent says so (never where to).
          await noteActivity({ deps, client }, pending.diagnosisId, { kind: 'reopened', userId: capture.userId, atMs: deps.clock.nowMs() });
        }
        return { ok: true, message: both(msg('slack.capture.page-done', { ip })) };
      case 'unknown':
        return { ok: true, message: both(msg('slack.capture.page-unknown', { ip })) };
      case 'denied':
        return { ok: false, message: both(result.reason) };
      default:
        return { ok: false, message: both(msg('slack.open.in-progress')) };
    }
  } catch (error) {
    deps.logger.error('Opening after IP confirm failed', errorCode(error), error);
    await ctx.reply(failureMessage(lang, describeFailure(error), errorCode(error))).catch(() => undefined);
    return { ok: false, message: both(describeFailure(error)) };
  } finally {
    // The link's work ended, however: only one cut off by a dying process is offered again at the next start.
    await deps.store.ipCaptures.finish(capture.id);
  }
}

/**
 * The link button ("Confirm my IP address") is a URL button, yet Slack still sends its click, with a
 * response_url whose replace_original addresses the very message that carries the link. Remembered on the
 * capture, it lets Confirm update that message in place wherever the link was sent, even where the request
 * came from a click on a channel message (whose own response_url must never be used to replace).
 */
export function registerIpCaptureLinkButton(app: App, deps: SlackDeps): void {
  app.action<BlockAction<ButtonAction>>(ACTION_IDS.openIpCapturePage, async ({ ack, body, action }) => {
    // Slack shows an error to the user unless even a link button's click is acked.
    await ack();
    const value = decodeActionValue(ACTION_VALUE_SCHEMAS.captureRef, action.value);
    const container = body.container as { is_ephemeral?: boolean } | undefined;
    // Only the requester's own ephemeral: a link somehow in a channel message must not be rewritten for everyone.
    if (value === undefined || container?.is_ephemeral !== true || body.response_url === '') return;
    const teamId = body.team?.id ?? body.user.team_id ?? '';
    const attached = await deps.store.ipCaptures.attachResponseUrl(value.captureId, { teamId, userId: body.user.id }, body.response_url);
    if (!attached) deps.logger.debug('IP capture link clicked after it was used or expired, or by someone else', value.captureId);
  });
}
