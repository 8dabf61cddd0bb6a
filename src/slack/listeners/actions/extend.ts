import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { formatSpan } from '../../../domain/duration';
import { msg } from '../../../domain/i18n/message-ref';
import { extensionMessage } from '../../../domain/watch/index';
import { extend } from '../../../use-cases/extend';
import { settleTold } from '../../../use-cases/open';
import { ACTION_VALUE_SCHEMAS } from '../../action-value';
import { escapeMrkdwn, slackDate } from '../../blocks/common';
import { deniedMessage, plainMessageRef } from '../../blocks/errors';
import type { SlackDeps } from '../../deps';
import { ACTION_IDS } from '../../ids';
import { napter } from '../../pipeline/middleware';
import { finishClose } from '../../present/close';
import { announceOpened, simShown } from '../../present/open';
import { refreshHomeQuietly } from '../../present/watch';
import { buttonValue } from './click';

/**
 * "Extend", on the reminder (and wherever a mapping reference is shown to its opener): a new mapping replaces the
 * old one; the new endpoint goes to the clicker privately, and the channel's one card now shows the new mapping
 * (it took the old one's card over): no second card, and nobody is said to have closed anything.
 */
export function registerExtend(app: App, deps: SlackDeps): void {
  app.action<BlockAction<ButtonAction>>(ACTION_IDS.extend, async ({ action, context, client }) => {
    const ctx = napter(context);
    const { actor, request, responder } = ctx;
    const value = await buttonValue(ctx, ACTION_VALUE_SCHEMAS.mappingRef, action.value, 'slack.button.stale');
    if (value === undefined) return;
    const outcome = await extend(deps, {
      actor,
      mappingId: value.mappingId,
      requestKey: `click:${actor.teamId}:${request.triggerId}`,
      responseUrl: responder.ownMessageUrl,
    });
    ctx.outcome = outcome.kind;
    const { lang } = actor;
    const render = { time: (ms: number) => slackDate(ms, 'minutes'), duration: (sec: number) => formatSpan(sec, lang) };
    switch (outcome.kind) {
      case 'stale':
        await responder.send(plainMessageRef(lang, msg('slack.button.stale')));
        return;
      case 'not-yours':
        await responder.send(plainMessageRef(lang, msg('watch.extend.not-yours')));
        return;
      case 'ended':
        await responder.send(plainMessageRef(lang, msg('watch.extend.refused.ended')));
        return;
      case 'sim-gone':
        await responder.send(plainMessageRef(lang, msg('slack.sim.gone', { simId: escapeMrkdwn(outcome.mapping.simId ?? '?') })));
        return;
      case 'denied':
        await responder.send(deniedMessage(lang, outcome.reason));
        return;
      case 'refused':
        await responder.send(
          plainMessageRef(
            lang,
            extensionMessage(outcome.plan, { currentEndMs: outcome.mapping.expiresAtMs, policyMaxDurationSec: outcome.policyMaxDurationSec }, render),
          ),
        );
        return;
      case 'failed':
        await responder.send(
          plainMessageRef(lang, msg('watch.extend.failed', { reason: escapeMrkdwn(outcome.reason), at: render.time(outcome.mapping.expiresAtMs) })),
        );
        return;
      case 'extended': {
        const audience = { client, lang, channelId: outcome.old.channelId, reply: responder.send };
        const said = extensionMessage(outcome.plan, { currentEndMs: outcome.old.expiresAtMs, policyMaxDurationSec: outcome.policyMaxDurationSec }, render);
        await announceOpened(deps, audience, simShown(outcome.sim), outcome.mapping, 'created', [said]);
        await settleTold(deps, outcome.flightId);
        if (outcome.closed !== undefined) await finishClose(deps, client, outcome.closed, outcome.sim);
        await refreshHomeQuietly(deps, outcome.mapping.openedBy);
        return;
      }
    }
  });
}
