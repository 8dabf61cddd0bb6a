import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { DEFAULT_DIAGNOSE_WINDOW_SEC } from '../../../domain/command/types';
import { diagnoseMapping } from '../../../use-cases/diagnose';
import { diagnoseAgain } from '../../../use-cases/rediagnose';
import { ACTION_VALUE_SCHEMAS } from '../../action-value';
import type { SlackDeps } from '../../deps';
import { ACTION_IDS } from '../../ids';
import { napter, type RequestContext } from '../../pipeline/middleware';
import { noDiagnosisMessage, postDiagnosis, postRerun } from '../../present/diagnosis';
import { buttonValue, isRefusal, refuseClick } from './click';
import type { LoadedDiagnosis } from '../../../use-cases/diagnosis-record';
import { diagnosisSimLabel } from '../../../use-cases/home';
import { escapeMrkdwn, notice } from '../../blocks/common';
import { t } from '../../text';

/**
 * "Diagnose" on the requester's open reply, and "Diagnose again" on a diagnosis: for the clicker. Diagnose again
 * updates the same parent, which says it is running meanwhile, and adds the new evidence to its thread.
 */
export function registerDiagnoseButtons(app: App, deps: SlackDeps): void {
  app.action<BlockAction<ButtonAction>>(ACTION_IDS.diagnoseMapping, async ({ action, context, client }) => {
    const ctx = napter(context);
    const responder = ctx.responder.withoutReplacing();
    const value = await buttonValue(ctx, ACTION_VALUE_SCHEMAS.mappingRef, action.value);
    if (value === undefined) return;
    const outcome = await diagnoseMapping(deps, { actor: ctx.actor, mappingId: value.mappingId, windowSec: DEFAULT_DIAGNOSE_WINDOW_SEC });
    ctx.outcome = outcome.kind;
    if (isRefusal(outcome)) {
      await refuseClick(ctx, outcome, 'thread.refused.staleMapping');
      return;
    }
    switch (outcome.kind) {
      case 'ambiguous':
      case 'not-found':
        await responder.send(noDiagnosisMessage(ctx.actor.lang, outcome));
        return;
      case 'diagnosed':
        ctx.outcome = await postDiagnosis(deps, client, outcome.found, responder);
        if (ctx.request.channelId === undefined) await tellFromHome(deps, ctx, outcome.found, ctx.outcome);
        return;
    }
  });

  app.action<BlockAction<ButtonAction>>(ACTION_IDS.diagnoseAgain, async ({ action, context, client }) => {
    const ctx = napter(context);
    const value = await buttonValue(ctx, ACTION_VALUE_SCHEMAS.diagnosisRef, action.value);
    if (value === undefined) return;
    const { diagnosisId } = value;
    try {
      const outcome = await diagnoseAgain(deps, {
        actor: ctx.actor,
        diagnosisId,
        onRunning: async () => {
          deps.painter.markRerunning(diagnosisId, ctx.actor.userId);
          await deps.painter.redrawQuietly(client, diagnosisId);
        },
      });
      ctx.outcome = outcome.kind;
      deps.painter.markRerunning(diagnosisId, undefined);
      if (isRefusal(outcome)) {
        await refuseClick(ctx, outcome, 'thread.refused.staleDiagnosis');
        return;
      }
      switch (outcome.kind) {
        case 'sim-lost':
          await deps.painter.redrawQuietly(client, diagnosisId);
          await ctx.responder.send(noDiagnosisMessage(ctx.actor.lang, outcome));
          return;
        case 'diagnosed':
          await postRerun(deps, client, outcome.found, ctx.responder.withoutReplacing());
          return;
      }
    } catch (error) {
      // The parent stops saying "running again"; the pipeline tells the clicker what failed.
      deps.painter.markRerunning(diagnosisId, undefined);
      await deps.painter.redrawQuietly(client, diagnosisId);
      throw error;
    }
  });
}

/**
 * A click from the Home tab has no conversation to answer in: the clicker hears privately where the diagnosis went
 * (when it went to the channel), and their Home lists it among their recent diagnoses.
 */
async function tellFromHome(deps: SlackDeps, ctx: RequestContext, found: LoadedDiagnosis, how: string): Promise<void> {
  if (how === 'posted') {
    const text = t(ctx.actor.lang, 'home.diagnose.posted', { sim: escapeMrkdwn(diagnosisSimLabel(found)), channel: `<#${found.stored.channelId}>` });
    await ctx.responder.withoutReplacing().send(notice(text));
  }
  await deps.homeRefresher.refreshHome(ctx.actor.teamId, ctx.actor.userId);
}
