import type { z } from 'zod';
import { t } from '../../text';
import type { MessageKey, MessageRef } from '../../../domain/i18n/message-ref';
import { decodeActionValue } from '../../action-value';
import { notice } from '../../blocks/common';
import { reasonText } from '../../blocks/errors';
import type { RequestContext } from '../../pipeline/middleware';

/** Tells the clicker alone why their click did nothing; the outcome is recorded for the request's report. */
export async function refuse(ctx: RequestContext, outcome: string, key: MessageKey, params?: MessageRef['params']): Promise<string> {
  ctx.outcome = outcome;
  await ctx.responder.send(notice(t(ctx.actor.lang, key, params)));
  return outcome;
}

/** The policy's reason, as every refused click states it. */
export function refuseByPolicy(ctx: RequestContext, reason: MessageRef): Promise<string> {
  return refuse(ctx, 'denied', 'thread.refused.policy', { reason: reasonText(ctx.actor.lang, reason) });
}

/**
 * A button's value, parsed: only ids of the bot's own rows, which a tampered or stale value cannot fake. Undefined
 * once the clicker was told the value is not one the bot made.
 */
export async function buttonValue<S extends z.ZodType>(
  ctx: RequestContext,
  schema: S,
  raw: string | undefined,
  refusal: MessageKey = 'thread.refused.invalidValue',
): Promise<z.infer<S> | undefined> {
  const value = decodeActionValue(schema, raw);
  if (value === undefined) await refuse(ctx, 'invalid', refusal);
  return value;
}
