import type { App, ViewSubmitAction } from '@slack/bolt';
import { t } from '../../../domain/i18n/catalog';
import { authorize } from '../../../policy/index';
import type { WebClient } from '@slack/web-api';
import { noteActivity, readDiagnosisRecord, type Responder } from '../../diagnosis-flow';
import type { SlackMessage } from '../../blocks/common';
import { postTicketDraft, ticketPrefill } from '../../ticket-flow';
import { notice } from '../../blocks/common';
import { buildTicketModal, decodeTicketMetadata, readTicketForm, type ViewStateValues } from '../../blocks/ticket';
import type { SlackDeps } from '../../deps';
import { errorCode } from '../../error-handler';
import { grant, grantedValue } from '../../grants';
import { CALLBACK_IDS, ACTION_IDS } from '../../ids';
import { authorizeClick, clickerOf, diagnosisFromClick, refuse, type ButtonClick } from './click';

/** A modal may sit open for a long time; its submission is honoured for as long as Slack keeps views. */
const TICKET_VIEW_TTL_MS = 24 * 60 * 60 * 1000;

function ticketViewKey(viewId: string): string {
  return `ticket-view:${viewId}`;
}

/**
 * "Draft support ticket": the modal opens with the click's trigger_id before anything slow (Slack gives
 * the trigger 3 seconds); the submission is validated in the ack, and the draft is posted after it.
 */
export function registerTicketListeners(app: App, deps: SlackDeps): void {
  app.action<ButtonClick>(ACTION_IDS.draftTicket, async ({ ack, body, action, client, respond }) => {
    await ack();
    // Only the store (local) and the cached locale and user groups are read before views.open.
    const clicker = await clickerOf(deps, client, body, respond);
    const found = await diagnosisFromClick(deps, clicker, action.value);
    if (found === undefined) return;
    const { stored, record } = found;
    const early = authorize(deps.policy, {
      action: 'ticket',
      userId: clicker.userId,
      userGroupIds: clicker.userGroupIds,
      channelId: stored.channelId,
    });
    if (!early.allowed) {
      await refuse(clicker, 'thread.refused.policy', { reason: t(clicker.lang, early.reason) });
      return;
    }
    const view = buildTicketModal(clicker.lang, await ticketPrefill({ deps, client }, stored, record, clicker.lang), {
      diagnosisId: stored.id,
      channelId: stored.channelId,
      ...(stored.parentTs === undefined ? {} : { threadTs: stored.parentTs }),
    });
    try {
      const opened = await client.views.open({ trigger_id: body.trigger_id, view });
      const viewId = opened.view?.id;
      // The submission is honoured only for this view, this person and this diagnosis (not private_metadata's word).
      if (viewId !== undefined) {
        await grant(deps.store, ticketViewKey(viewId), TICKET_VIEW_TTL_MS, { userId: clicker.userId, teamId: clicker.teamId, diagnosisId: stored.id });
      }
    } catch (error) {
      deps.logger.error('Could not open the ticket modal', errorCode(error), error);
      await clicker.responder.send(notice(t(clicker.lang, 'thread.ticket.openFailed')));
    }
  });

  app.view<ViewSubmitAction>(CALLBACK_IDS.ticketModal, async ({ ack, body, view, client }) => {
    const lang = await deps.locale(client, body.user.id);
    const metadata = decodeTicketMetadata(view.private_metadata);
    const granted = await grantedValue(deps.store, ticketViewKey(view.id));
    const stored = metadata === undefined ? undefined : await deps.store.diagnoses.get(metadata.diagnosisId);
    const record = stored === undefined ? undefined : readDiagnosisRecord(stored);
    const isOwnModal = granted !== undefined && granted['userId'] === body.user.id && granted['diagnosisId'] === stored?.id;
    if (metadata === undefined || stored === undefined || record === undefined || stored.channelId !== metadata.channelId || !isOwnModal) {
      await ack({ response_action: 'errors', errors: { imsi: t(lang, 'thread.refused.staleDiagnosis') } });
      return;
    }
    const form = readTicketForm(lang, view.state.values as ViewStateValues);
    if (!form.ok) {
      await ack({ response_action: 'errors', errors: form.errors });
      return;
    }
    await ack();

    const submitKey = `ticket-submit:${view.id}`;
    if (!(await deps.store.claims.claim(submitKey, 24 * 60 * 60 * 1000)).claimed) return;
    await deps.tasks.run('ticket-draft', async () => {
      try {
        const teamId = body.team?.id ?? body.user.team_id ?? stored.teamId;
        const userGroupIds = await deps.userGroups(client, teamId, body.user.id);
        const clicker = {
          teamId,
          userId: body.user.id,
          channelId: stored.channelId,
          lang,
          userGroupIds,
          onEphemeral: false,
          messageTs: undefined,
          actionTs: view.id,
          responder: dmResponder(client, body.user.id),
        };
        const allowed = await authorizeClick(deps, clicker, {
          action: 'ticket',
          channelId: stored.channelId,
          ...(record.sim.simId === undefined ? {} : { simId: record.sim.simId }),
        });
        if (!allowed.allowed) {
          await deps.store.claims.release(submitKey);
          return;
        }
        const posted = await postTicketDraft(
          { deps, client },
          // Where the diagnosis lives, as stored: never a thread named by what the view carried back.
          { stored, record, form: form.form, userId: body.user.id, lang, channelId: stored.channelId, threadTs: stored.parentTs },
        );
        if (posted.kind === 'thread') {
          await noteActivity({ deps, client }, stored.id, { kind: 'ticket-drafted', userId: body.user.id, atMs: deps.clock.nowMs() });
        }
        await deps.store.claims.complete(submitKey, true);
      } catch (error) {
        await deps.store.claims.release(submitKey);
        deps.logger.error('Posting the ticket draft failed', errorCode(error), error);
      }
    });
  });
}

/** A view submission has no response_url: refusals reach the submitter in their DM with the bot. */
function dmResponder(client: WebClient, userId: string): Responder {
  const send = async (message: SlackMessage): Promise<void> => {
    await client.chat.postMessage({ channel: userId, text: message.text, blocks: message.blocks });
  };
  return { replace: send, send, remaining: () => 1, showsProgress: false };
}
