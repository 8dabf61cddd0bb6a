import type { AllMiddlewareArgs, App } from '@slack/bolt';
import { parseNapterCommand } from '../../../domain/command/parse';
import type { NapterCommand } from '../../../domain/command/types';
import { msg } from '../../../domain/i18n/message-ref';
import type { SourceRangeLimits } from '../../../domain/net/index';
import type { Policy } from '../../../policy/index';
import { observeSoracomWaits, type SoracomWait } from '../../../soracom/index';
import { plainMessageRef, usageErrorMessage } from '../../blocks/errors';
import { helpMessage } from '../../blocks/help';
import type { SlackDeps } from '../../deps';
import { SLASH_COMMAND } from '../../ids';
import { napter, type RequestContext } from '../../pipeline/middleware';
import { closeCommand } from './close';
import { diagnoseCommand } from './diagnose';
import { historyCommand } from './history';
import { listCommand } from './list';
import { openCommand } from './open';

/** What every subcommand gets: the pipeline's request context, the deps, the client, and the parsed command. */
export interface CommandRun<Parsed> {
  readonly deps: SlackDeps;
  readonly ctx: RequestContext;
  readonly client: AllMiddlewareArgs['client'];
  readonly parsed: Parsed;
}

/** How long the "SORACOM makes us wait" line may take to reach the user before the command goes on without it. */
const WAIT_NOTICE_TIMEOUT_MS = 5_000;

/**
 * `/napter`: parse, then the subcommand; malformed input gets the problem and the right form, and nothing reaches
 * SORACOM before the parser and the policy agree. Every reply replaces the previous one in place.
 */
export function registerNapterCommand(app: App, deps: SlackDeps): void {
  app.command(SLASH_COMMAND, async ({ command, context, client }) => {
    const ctx = napter(context);
    const parsed = parseNapterCommand(command.text ?? '', { limits: widestSourceLimits(deps.policy) });
    ctx.name = parsed.kind;
    if (parsed.kind === 'usage-error') {
      ctx.outcome = 'usage-error';
      await ctx.responder.replace(usageErrorMessage(ctx.actor.lang, parsed));
      return;
    }
    ctx.outcome = await observeSoracomWaits(tellAboutSoracomWaits(ctx), () => dispatch({ deps, ctx, client, parsed }));
  });
}

async function dispatch(run: CommandRun<NapterCommand>): Promise<string> {
  const { parsed } = run;
  switch (parsed.kind) {
    case 'help':
      await run.ctx.responder.replace(helpMessage(run.ctx.actor.lang, parsed.topic));
      return 'help';
    case 'open':
      return openCommand({ ...run, parsed });
    case 'diagnose':
      return diagnoseCommand({ ...run, parsed });
    case 'list':
      return listCommand({ ...run, parsed });
    case 'close':
      return closeCommand({ ...run, parsed });
    case 'history':
      return historyCommand({ ...run, parsed });
  }
}

/** SORACOM may ask the bot to wait (a rate limit): the requester hears it at once, once per command. */
function tellAboutSoracomWaits(ctx: RequestContext): (wait: SoracomWait) => Promise<void> {
  let told = false;
  return async (wait) => {
    if (told) return;
    told = true;
    const message = plainMessageRef(ctx.actor.lang, msg('slack.progress.soracom-waiting', { seconds: Math.max(1, Math.ceil(wait.waitMs / 1000)) }));
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, WAIT_NOTICE_TIMEOUT_MS).unref());
    await Promise.race([ctx.responder.replace(message), timeout]).catch(() => undefined);
  };
}

/**
 * The parser's own width check must not refuse what some policy rule allows: it gets the widest range any rule
 * admits, and the policy then decides for this user.
 */
function widestSourceLimits(policy: Policy): SourceRangeLimits {
  if (policy.rules.length === 0) return { maxPrefixV4Width: 32, maxPrefixV6Width: 128 };
  return {
    maxPrefixV4Width: Math.min(...policy.rules.map((rule) => rule.maxSourcePrefixV4Width)),
    maxPrefixV6Width: Math.min(...policy.rules.map((rule) => rule.maxSourcePrefixV6Width)),
  };
}
