import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { rememberLinkMessage } from '../../../use-cases/confirm-ip';
import { ACTION_VALUE_SCHEMAS, decodeActionValue } from '../../action-value';
import type { SlackDeps } from '../../deps';
import { ACTION_IDS } from '../../ids';
import { napter } from '../../pipeline/middleware';

/**
 * The IP link button is a URL button, yet Slack still sends its click (and shows an error unless it is acked).
 * Its response_url replaces the very message carrying the link: remembered on the link, so that Confirm updates
 * that message in place. Only the requester's own ephemeral: a link in a channel message is never rewritten.
 */
export function registerIpLinkButton(app: App, deps: SlackDeps): void {
  app.action<BlockAction<ButtonAction>>(ACTION_IDS.openIpCapturePage, async ({ action, context }) => {
    const ctx = napter(context);
    const value = decodeActionValue(ACTION_VALUE_SCHEMAS.captureRef, action.value);
    const responseUrl = ctx.responder.ownMessageUrl;
    if (value === undefined || responseUrl === undefined || ctx.request.kind !== 'action') {
      ctx.outcome = 'ignored';
      return;
    }
    const attached = await rememberLinkMessage(deps, ctx.actor, value.captureId, responseUrl);
    ctx.outcome = attached ? 'attached' : 'ignored';
    if (!attached) deps.logger.debug('IP link clicked after it was used or expired, or by someone else', value.captureId);
  });
}
