import type { RespondArguments } from '@slack/bolt';
import { msg } from '../../../domain/i18n/message-ref';
import type { SlackMessage } from '../../blocks/common';
import { plainMessageRef } from '../../blocks/errors';
import type { CommandContext } from '../../deps';

/** Every reply to a command is ephemeral and replaces the previous one ("Reading…" → "Opening…" → result). */
export async function replyInPlace(respond: (message: RespondArguments) => Promise<unknown>, message: SlackMessage): Promise<void> {
  await respond({ response_type: 'ephemeral', replace_original: true, text: message.text, blocks: message.blocks });
}

export async function showProgress(ctx: CommandContext<unknown>, key: string, params?: Record<string, string | number>): Promise<void> {
  await replyInPlace(ctx.respond, plainMessageRef(ctx.lang, msg(key, params)));
}

