import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { isoUtc } from '../../../domain/time';
import { exportHistory } from '../../../use-cases/history-export';
import { ACTION_VALUE_SCHEMAS } from '../../action-value';
import { notice, slackDate } from '../../blocks/common';
import type { SlackDeps } from '../../deps';
import { slackFailureReason } from '../../failure';
import { ACTION_IDS } from '../../ids';
import { napter } from '../../pipeline/middleware';
import { t } from '../../text';
import { buttonValue, refuse, refuseClick } from './click';

/**
 * "Export CSV" under a history: the same history, asked of the policy again for the clicker, uploaded as a file
 * to the clicker's DM with the bot (files.getUploadURLExternal + files.completeUploadExternal), never to a channel.
 */
export function registerHistoryExport(app: App, deps: SlackDeps): void {
  app.action<BlockAction<ButtonAction>>(ACTION_IDS.exportHistory, async ({ action, context, client }) => {
    const ctx = napter(context);
    const { actor } = ctx;
    const responder = ctx.responder.withoutReplacing();
    const value = await buttonValue(ctx, ACTION_VALUE_SCHEMAS.exportRef, action.value);
    if (value === undefined) return;
    const outcome = await exportHistory(deps, actor, value.exportId);
    switch (outcome.kind) {
      case 'stale':
        await refuse(ctx, 'stale', 'history.export.stale');
        return;
      case 'no-sim':
      case 'denied':
        await refuseClick(ctx, outcome, 'history.export.stale');
        return;
      case 'exported':
        break;
    }
    try {
      await uploadToDm(client, actor.userId, {
        filename: `napter-history-${isoUtc(deps.clock.nowMs()).slice(0, 19).replace(/[-:]/g, '')}Z.csv`,
        title: t(actor.lang, 'history.export.title'),
        content: outcome.csv,
      });
    } catch (error) {
      ctx.outcome = 'upload-failed';
      deps.logger.warn('Could not upload the history CSV', slackFailureReason(error));
      await responder.send(notice(t(actor.lang, 'history.export.failed', { reason: slackFailureReason(error) })));
      return;
    }
    ctx.outcome = 'exported';
    await responder.send(notice(t(actor.lang, 'history.export.done', { since: slackDate(outcome.sinceMs, 'minutes'), count: outcome.rows })));
  });
}

/** A file shared in the bot's DM with one person: only they (and the bot) can see it. */
async function uploadToDm(
  client: WebClient,
  userId: string,
  file: { readonly filename: string; readonly title: string; readonly content: string },
): Promise<void> {
  const opened = await client.conversations.open({ users: userId });
  const channelId = opened.channel?.id;
  if (channelId === undefined) throw new Error('conversations.open answered without a channel');
  await client.filesUploadV2({ channel_id: channelId, filename: file.filename, title: file.title, initial_comment: file.title, content: file.content });
}
