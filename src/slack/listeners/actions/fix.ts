import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { MappingFix } from '../../../domain/diagnosis/types';
import { t } from '../../text';
import type { Lang } from '../../../domain/i18n/message-ref';
import { type FixOutcome, type FixRequest, confirmObservedIp, reopenWithFix } from '../../../use-cases/reopen-with-fix';
import { ACTION_VALUE_SCHEMAS } from '../../action-value';
import { escapeMrkdwn, notice } from '../../blocks/common';
import { buildConfirmObservedIp } from '../../blocks/thread';
import type { SlackDeps } from '../../deps';
import { ACTION_IDS } from '../../ids';
import { napter, type RequestContext } from '../../pipeline/middleware';
import { openingNotice, presentOpen, simShown } from '../../present/open';
import { buttonValue, isRefusal, refuse, refuseClick } from './click';

/**
 * "Open again with the fix" (TLS off, the right port, the address seen in DENIED events) and the confirmation that
 * such an address is the clicker's. Every answer is a new message to the clicker: the thread stays as it is.
 */
export function registerFixButtons(app: App, deps: SlackDeps): void {
  const register = (actionId: string, apply: (deps: SlackDeps, request: FixRequest) => Promise<FixOutcome>) =>
    app.action<BlockAction<ButtonAction>>(actionId, async ({ action, context, client }) => {
      const ctx = napter(context);
      const { actor, request } = ctx;
      const responder = ctx.responder.withoutReplacing();
      const value = await buttonValue(ctx, ACTION_VALUE_SCHEMAS.fixRef, action.value);
      if (value === undefined) return;
      const outcome = await apply(deps, {
        actor,
        fix: value,
        clickId: request.triggerId,
        onApplying: (fix) => responder.send(notice(t(actor.lang, 'thread.fix.opening', { fix: fixLabel(actor.lang, fix) }))),
        onOpening: (sim) => responder.send(openingNotice(actor.lang, sim)),
      });
      ctx.outcome = outcome.kind === 'asked' ? outcome.outcome.kind : outcome.kind;
      await answer(deps, client, ctx, outcome, value);
    });
  register(ACTION_IDS.openAgainWithFix, reopenWithFix);
  register(ACTION_IDS.confirmObservedIp, confirmObservedIp);
}

async function answer(
  deps: SlackDeps,
  client: WebClient,
  ctx: RequestContext,
  outcome: FixOutcome,
  ref: { diagnosisId: string; remedyIndex: number },
): Promise<void> {
  const lang = ctx.actor.lang;
  if (isRefusal(outcome)) {
    await refuseClick(ctx, outcome, 'thread.refused.staleDiagnosis');
    return;
  }
  switch (outcome.kind) {
    case 'no-mapping':
      await refuse(ctx, outcome.kind, 'thread.fix.noMapping', { sim: escapeMrkdwn(outcome.simTyped) });
      return;
    case 'confirm-ip':
      await ctx.responder.send(buildConfirmObservedIp(lang, { ip: outcome.ip, count: outcome.seenCount, ...ref }));
      return;
    case 'asked': {
      const audience = {
        client,
        lang,
        channelId: outcome.channelId,
        reply: (message: Parameters<typeof ctx.responder.send>[0]) => ctx.responder.send(message),
      };
      await presentOpen(deps, audience, simShown(outcome.sim), outcome.outcome);
      // The parent says the fix was applied (never where to: the endpoint stays with the clicker).
      if (outcome.outcome.kind === 'opened') await deps.painter.redrawQuietly(client, outcome.diagnosisId);
      return;
    }
  }
}

function fixLabel(lang: Lang, fix: MappingFix | undefined): string {
  if (fix === undefined) return t(lang, 'thread.fix.reopen');
  if ('tlsRequired' in fix) return t(lang, 'thread.fix.tlsOff');
  if ('port' in fix) return t(lang, 'thread.fix.port', { port: fix.port });
  return t(lang, 'thread.fix.sourceIp', { ip: escapeMrkdwn(fix.sourceIp) });
}
