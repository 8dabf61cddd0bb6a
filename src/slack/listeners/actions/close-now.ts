import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { msg } from '../../../domain/i18n/message-ref';
import { serviceLabel } from '../../../domain/port-mapping';
import { closeNow } from '../../../use-cases/close';
import { ACTION_VALUE_SCHEMAS } from '../../action-value';
import { escapeMrkdwn, mention, slackDate } from '../../blocks/common';
import { deniedMessage, plainMessageRef } from '../../blocks/errors';
import type { SlackDeps } from '../../deps';
import { ACTION_IDS } from '../../ids';
import { napter } from '../../pipeline/middleware';
import { finishClose } from '../../present/close';
import { buttonValue } from './click';

/** "Close now", on the requester's reply and on the channel card: for the clicker, never for whoever opened it. */
export function registerCloseNow(app: App, deps: SlackDeps): void {
  app.action<BlockAction<ButtonAction>>(ACTION_IDS.closeNow, async ({ action, context, client }) => {
    const ctx = napter(context);
    const { actor, request, responder } = ctx;
    const value = await buttonValue(ctx, ACTION_VALUE_SCHEMAS.mappingRef, action.value, 'slack.button.stale');
    if (value === undefined) return;
    const asked = await closeNow(deps, {
      actor,
      mappingId: value.mappingId,
      requestKey: `click:${actor.teamId}:${request.triggerId}`,
      responseUrl: responder.ownMessageUrl,
    });
    ctx.outcome = asked.kind === 'asked' ? asked.outcome.kind : asked.kind;
    if (asked.kind === 'stale') {
      await responder.send(plainMessageRef(actor.lang, msg('slack.button.stale')));
      return;
    }
    if (asked.kind === 'ended') {
      await responder.send(plainMessageRef(actor.lang, msg('watch.end.already', { at: slackDate(asked.atMs, 'minutes') })));
      return;
    }
    const { outcome, mapping } = asked;
    await finishClose(deps, client, outcome, undefined, asked.simLabel);
    const params = { service: serviceLabel(mapping.devicePort), sim: escapeMrkdwn(asked.simLabel) };
    switch (outcome.kind) {
      case 'denied':
        await responder.send(deniedMessage(actor.lang, outcome.reason));
        return;
      case 'closed':
      case 'already-gone':
        // In place only on the clicker's own reply: a channel card stays a card.
        await responder.replace(plainMessageRef(actor.lang, msg('slack.close.done', params)));
        return;
      case 'already-closed':
        await responder.send(plainMessageRef(actor.lang, msg('slack.close.already-closed', { ...params, user: mention(outcome.byUserId) })));
        return;
      case 'in-progress':
        await responder.send(plainMessageRef(actor.lang, msg('slack.close.in-progress', params)));
        return;
    }
  });
}
