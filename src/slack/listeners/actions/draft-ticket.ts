import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { errorCodeOf } from '../../../common/errors';
import { ticketForm, ticketFormShown } from '../../../use-cases/draft-ticket';
import { ACTION_VALUE_SCHEMAS } from '../../action-value';
import { prefillTicketForm } from '../../../domain/ticket-form';
import { buildTicketModal } from '../../blocks/ticket';
import { plainVerdictTitle } from '../../blocks/diagnosis';
import type { SlackDeps } from '../../deps';
import { ACTION_IDS } from '../../ids';
import { napter } from '../../pipeline/middleware';
import { buttonValue, isRefusal, refuse, refuseClick } from './click';

/**
 * "Draft support ticket": the modal, pre-filled, opens with the click's trigger before anything slow (Slack gives
 * the trigger 3 seconds); its submission is `views/ticket-submit.ts`.
 */
export function registerDraftTicket(app: App, deps: SlackDeps): void {
  app.action<BlockAction<ButtonAction>>(ACTION_IDS.draftTicket, async ({ action, body, context, client }) => {
    const ctx = napter(context);
    const value = await buttonValue(ctx, ACTION_VALUE_SCHEMAS.diagnosisRef, action.value);
    if (value === undefined) return;
    const outcome = await ticketForm(deps, { actor: ctx.actor, diagnosisId: value.diagnosisId });
    ctx.outcome = outcome.kind;
    if (isRefusal(outcome)) {
      await refuseClick(ctx, outcome, 'thread.refused.staleDiagnosis');
      return;
    }
    const { stored, record } = outcome.found;
    const lang = ctx.actor.lang;
    const prefill = prefillTicketForm(lang, { ...outcome.prefill, verdictTitle: plainVerdictTitle(lang, record.diagnosis.verdict) });
    const view = buildTicketModal(lang, prefill, {
      diagnosisId: stored.id,
      channelId: stored.channelId,
      threadTs: stored.parentTs,
    });
    try {
      const opened = await client.views.open({ trigger_id: body.trigger_id, view });
      // Its submission is honoured only for this view, this person and this diagnosis (not private_metadata's word).
      if (opened.view?.id !== undefined) await ticketFormShown(deps, { actor: ctx.actor, viewId: opened.view.id, diagnosisId: stored.id });
    } catch (error) {
      deps.logger.error('Could not open the ticket modal', errorCodeOf(error), error);
      await refuse(ctx, 'not-opened', 'thread.ticket.openFailed');
    }
  });
}
