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

/** The ways a use-case says no to a click, whichever button it was. `stale`: the button names a row that is gone. */
export type ClickRefusal =
  | { readonly kind: 'denied'; readonly reason: MessageRef }
  | { readonly kind: 'stale' | 'elsewhere' | 'invalid' | 'duplicate' | 'no-sim' };

const REFUSAL_TEXT: Record<Exclude<ClickRefusal['kind'], 'denied' | 'stale'>, MessageKey> = {
  // A value from another conversation is treated as one the bot never made.
  elsewhere: 'thread.refused.invalidValue',
  invalid: 'thread.refused.invalidValue',
  duplicate: 'thread.refused.duplicate',
  'no-sim': 'thread.refused.noSim',
};

export function isRefusal(outcome: { readonly kind: string }): outcome is ClickRefusal {
  return outcome.kind === 'denied' || outcome.kind === 'stale' || Object.hasOwn(REFUSAL_TEXT, outcome.kind);
}

/** Tells the clicker why the use-case refused; `staleKey` says what the button pointed at (a diagnosis, a mapping…). */
export function refuseClick(ctx: RequestContext, refusal: ClickRefusal, staleKey: MessageKey): Promise<string> {
  if (refusal.kind === 'denied') return refuseByPolicy(ctx, refusal.reason);
  return refuse(ctx, refusal.kind, refusal.kind === 'stale' ? staleKey : REFUSAL_TEXT[refusal.kind]);
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
