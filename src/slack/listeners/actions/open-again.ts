import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { msg } from '../../../domain/i18n/message-ref';
import { openAgain } from '../../../use-cases/open';
import { ACTION_VALUE_SCHEMAS } from '../../action-value';
import { escapeMrkdwn } from '../../blocks/common';
import { plainMessageRef } from '../../blocks/errors';
import type { SlackDeps } from '../../deps';
import { ACTION_IDS } from '../../ids';
import { napter } from '../../pipeline/middleware';
import { openingNotice, presentOpen, simShown } from '../../present/open';
import { buttonValue } from './click';

/** "Open again" on the requester's reply: the same parameters, for the clicker; their own address proved again. */
export function registerOpenAgain(app: App, deps: SlackDeps): void {
  app.action<BlockAction<ButtonAction>>(ACTION_IDS.openAgain, async ({ action, context, client }) => {
    const ctx = napter(context);
    const { actor, request, responder } = ctx;
    const value = await buttonValue(ctx, ACTION_VALUE_SCHEMAS.mappingRef, action.value, 'slack.button.stale');
    if (value === undefined) return;
    const asked = await openAgain(deps, {
      actor,
      mappingId: value.mappingId,
      requestKey: `click:${actor.teamId}:${request.triggerId}`,
      // The IP page's Confirm replaces through it: only where the clicked message is the clicker's own.
      responseUrl: responder.ownMessageUrl,
      onOpening: (sim) => responder.replace(openingNotice(actor.lang, sim)),
    });
    if (asked.kind !== 'asked') {
      ctx.outcome = asked.kind;
      const message = asked.kind === 'stale' ? msg('slack.button.stale') : msg('slack.sim.gone', { simId: escapeMrkdwn(asked.simId) });
      await responder.send(plainMessageRef(actor.lang, message));
      return;
    }
    ctx.outcome = asked.outcome.kind;
    const audience = { client, lang: actor.lang, channelId: asked.channelId, reply: responder.replace };
    await presentOpen(deps, audience, simShown(asked.sim), asked.outcome);
  });
}
