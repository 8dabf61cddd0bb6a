import type { RespondArguments } from '@slack/bolt';
import type { SimRef } from '../../../domain/command/types';
import { msg } from '../../../domain/i18n/message-ref';
import type { SimSnapshot } from '../../../domain/soracom';
import { resolveSim, simRefText } from '../../../use-cases/resolve-sim';
import { escapeParams, type SlackMessage } from '../../blocks/common';
import { plainMessageRef, simAmbiguousMessage, simNotFoundMessage } from '../../blocks/errors';
import type { CommandContext } from '../../deps';
import { ephemeralResponse } from '../../deliver';

/** Every reply to a command is ephemeral and replaces the previous one ("Reading…" → "Opening…" → result). */
export async function replyInPlace(respond: (message: RespondArguments) => Promise<unknown>, message: SlackMessage): Promise<void> {
  await respond(ephemeralResponse(message, true));
}

/** A progress line; its parameters are what the user typed or SORACOM returned, escaped here. */
export async function showProgress(ctx: CommandContext<unknown>, key: string, params?: Record<string, string | number>): Promise<void> {
  await replyInPlace(ctx.respond, plainMessageRef(ctx.lang, msg(key, params === undefined ? undefined : escapeParams(params))));
}

/** The SIM the user named, or undefined once they were told it was not found or which candidates fit. */
export async function resolveSimOrReply(ctx: CommandContext<unknown>, ref: SimRef, subcommand: string): Promise<SimSnapshot | undefined> {
  const resolution = await resolveSim(ctx.deps.api, ref);
  if (resolution.kind === 'found') return resolution.sim;
  const typed = simRefText(ref);
  await replyInPlace(
    ctx.respond,
    resolution.kind === 'not-found' ? simNotFoundMessage(ctx.lang, typed) : simAmbiguousMessage(ctx.lang, typed, resolution.candidates, subcommand),
  );
  return undefined;
}
