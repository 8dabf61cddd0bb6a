import type { App, ViewSubmitAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { t } from '../../text';
import { draftSupportTicket } from '../../../domain/ticket';
import type { LoadedDiagnosis } from '../../../use-cases/diagnosis-record';
import { ownTicketForm, submitTicket } from '../../../use-cases/draft-ticket';
import type { SlackMessage } from '../../blocks/common';
import { diagnosisMetadata, simLabelText } from '../../blocks/diagnosis';
import { buildTicketDraftMessages, decodeTicketMetadata, readTicketForm, type ViewStateValues } from '../../blocks/ticket';
import type { SlackDeps } from '../../deps';
import { isNotInChannel } from '../../failure';
import { CALLBACK_IDS } from '../../ids';
import { napter } from '../../pipeline/middleware';
import { refuseByPolicy } from '../actions/click';

/**
 * The ticket modal's submission: checked in the ack (the person's own modal, a diagnosis still there, the fields
 * filled in), then drafted and posted in the diagnosis thread as text ready to paste, or in the person's DM.
 * There is no ticket API: the bot drafts, the person files.
 */
export function registerTicketSubmit(app: App, deps: SlackDeps): void {
  app.view<ViewSubmitAction>(CALLBACK_IDS.ticketModal, async ({ ack, view, context, client }) => {
    const ctx = napter(context);
    const { actor } = ctx;
    const metadata = decodeTicketMetadata(view.private_metadata);
    const found = metadata === undefined ? undefined : await ownTicketForm(deps, { actor, viewId: view.id, ...metadata });
    if (found === undefined) {
      ctx.outcome = 'stale';
      await ack({ response_action: 'errors', errors: { imsi: t(actor.lang, 'thread.refused.staleDiagnosis') } });
      return;
    }
    const form = readTicketForm(actor.lang, view.state.values as ViewStateValues);
    if (!form.ok) {
      ctx.outcome = 'invalid';
      await ack({ response_action: 'errors', errors: form.errors });
      return;
    }
    await ack();
    // The ack is written once the event loop turns; the draft waits for it.
    await new Promise((resolve) => setImmediate(resolve));
    // A modal's submission has no response_url: what the person is told goes to their DM with the bot.
    const outcome = await submitTicket(deps, { actor, viewId: view.id, found, form: form.form }, (ticket) =>
      postDraft(client, found, actor.userId, buildTicketDraftMessages(actor.lang, draftFor(found, actor.lang, ticket, actor.userId))),
    );
    ctx.outcome = outcome.kind;
    if (outcome.kind === 'denied') await refuseByPolicy(ctx, outcome.reason);
    if (outcome.kind === 'posted' && outcome.postedTo === 'thread') await deps.painter.redrawQuietly(client, found.stored.id);
  });
}

function draftFor(found: LoadedDiagnosis, lang: 'en' | 'ja', ticket: Parameters<typeof draftSupportTicket>[1], userId: string) {
  const { stored, record } = found;
  return {
    draft: draftSupportTicket(record.diagnosis, ticket, lang),
    userId,
    simText: simLabelText(record.sim),
    metadata: diagnosisMetadata({ diagnosisId: stored.id, diagnosis: record.diagnosis, sim: record.sim }),
  };
}

/** In the diagnosis thread, or in the person's DM with the bot when the thread is out of reach. */
async function postDraft(client: WebClient, found: LoadedDiagnosis, userId: string, messages: readonly SlackMessage[]): Promise<'thread' | 'dm' | 'failed'> {
  const { channelId, parentTs } = found.stored;
  if (parentTs !== undefined) {
    try {
      if (await postAll(client, { channel: channelId, thread_ts: parentTs }, messages)) return 'thread';
    } catch (error) {
      if (!isNotInChannel(error)) throw error;
    }
  }
  return (await postAll(client, { channel: userId }, messages)) ? 'dm' : 'failed';
}

/** Posts the parts in order; true once the first one is there. */
async function postAll(
  client: WebClient,
  where: { readonly channel: string; readonly thread_ts?: string },
  messages: readonly SlackMessage[],
): Promise<boolean> {
  let posted = false;
  for (const message of messages) {
    const answer = await client.chat.postMessage({ ...where, ...message });
    posted ||= typeof answer.ts === 'string';
  }
  return posted;
}
