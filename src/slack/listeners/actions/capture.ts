import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { captureLink, startCapture } from '../../../use-cases/start-capture';
import { ACTION_VALUE_SCHEMAS } from '../../action-value';
import { escapeMrkdwn } from '../../blocks/common';
import { buildCaptureLink } from '../../blocks/peek';
import type { SlackDeps } from '../../deps';
import { ACTION_IDS } from '../../ids';
import { napter } from '../../pipeline/middleware';
import { captureProgress, showFirstProgress } from '../../present/capture';
import { buttonValue, isRefusal, refuse, refuseClick } from './click';

/**
 * "Start packet capture" (SORACOM Peek on the diagnosed SIM, followed in the thread) and "Get download link"
 * (fetched fresh per click, sent to the clicker alone). Both need the policy's `peek` for the clicker.
 */
export function registerCaptureButtons(app: App, deps: SlackDeps): void {
  app.action<BlockAction<ButtonAction>>(ACTION_IDS.startCapture, async ({ action, body, context, client }) => {
    const ctx = napter(context);
    const value = await buttonValue(ctx, ACTION_VALUE_SCHEMAS.diagnosisRef, action.value);
    if (value === undefined) return;
    const clickId = `${ctx.actor.userId}:${body.actions[0]?.action_ts ?? ctx.request.triggerId}`;
    const outcome = await startCapture(deps, { actor: ctx.actor, diagnosisId: value.diagnosisId, clickId });
    ctx.outcome = outcome.kind;
    if (isRefusal(outcome)) {
      await refuseClick(ctx, outcome, 'thread.refused.staleDiagnosis');
      return;
    }
    switch (outcome.kind) {
      case 'running':
        await refuse(ctx, outcome.kind, 'thread.capture.alreadyRunning');
        return;
      case 'started': {
        const { found, capture, session } = outcome;
        const first = captureProgress(deps, found, capture, { session, final: false });
        // Its progress is the capture's scheduled job from now on (saved with the capture, so a restart resumes it).
        await showFirstProgress(deps, client, capture, first, ctx.responder.withoutReplacing());
        await deps.painter.redrawQuietly(client, found.stored.id);
        return;
      }
    }
  });

  app.action<BlockAction<ButtonAction>>(ACTION_IDS.downloadCapture, async ({ action, context }) => {
    const ctx = napter(context);
    const value = await buttonValue(ctx, ACTION_VALUE_SCHEMAS.peekRef, action.value);
    if (value === undefined) return;
    const outcome = await captureLink(deps, { actor: ctx.actor, captureId: value.peekId });
    ctx.outcome = outcome.kind;
    if (isRefusal(outcome)) {
      await refuseClick(ctx, outcome, 'thread.refused.stalePeek');
      return;
    }
    switch (outcome.kind) {
      case 'not-ready':
        await refuse(ctx, outcome.kind, 'thread.capture.notReady', { status: escapeMrkdwn(outcome.status) });
        return;
      case 'no-link':
        await refuse(ctx, outcome.kind, 'thread.capture.noLink');
        return;
      case 'link':
        await ctx.responder.send(buildCaptureLink(ctx.actor.lang, outcome.url));
        return;
    }
  });
}
