import type { App, RespondFn } from '@slack/bolt';
import { parseNapterCommand } from '../../../domain/command/parse';
import type { NapterCommand } from '../../../domain/command/types';
import type { Policy } from '../../../policy/index';
import type { SourceRangeLimits } from '../../../domain/net/index';
import { isFirstDelivery } from '../../dedupe';
import { respondOrDeliver } from '../../deliver';
import { SLASH_COMMAND } from '../../ids';
import type { CommandContext, SlackDeps } from '../../deps';
import { failureMessage, plainMessageRef, usageErrorMessage } from '../../blocks/errors';
import { msg, type Lang } from '../../../domain/i18n/message-ref';
import { observeSoracomWaits, type SoracomWait } from '../../../soracom/index';
import { helpMessage } from '../../blocks/help';
import { describeFailure, errorCode } from '../../error-handler';
import { runDiagnoseCommand } from '../thread/diagnose-command';
import { runCloseCommand } from './close';
import { runListCommand } from './list';
import { runOpenCommand } from './open';
import { replyInPlace } from './reply';

/**
 * `/napter`: ack at once (Slack's 3-second rule), then parse and run the subcommand, showing progress and
 * the result in place through the response_url. Malformed input gets the problem and the right form;
 * nothing reaches SORACOM before the parser and the policy agree.
 */
export function registerCommandListeners(app: App, deps: SlackDeps): void {
  app.command(SLASH_COMMAND, async ({ command, ack, respond: respondThroughUrl, client }) => {
    await ack();
    const respond = respondOrDeliver(respondThroughUrl, { client, logger: deps.logger, channelId: command.channel_id, userId: command.user_id });
    if (!(await isFirstDelivery(deps.store, command.team_id, command.trigger_id))) {
      deps.logger.info('Ignored a second delivery of the same /napter request');
      return;
    }
    await deps.tasks.run('napter-command', async () => {
      const lang = await deps.locale(client, command.user_id);
      const base = { deps, client, command, respond, lang };
      await observeSoracomWaits(tellAboutSoracomWaits(deps, respond, lang), async () => {
        try {
          const parsed = parseNapterCommand(command.text ?? '', { limits: widestSourceLimits(deps.policy) });
          if (parsed.kind === 'usage-error') {
            await replyInPlace(respond, usageErrorMessage(lang, parsed));
            return;
          }
          await dispatch({ ...base, parsed });
        } catch (error) {
          deps.logger.error('/napter failed', command.text, errorCode(error), error);
          await replyInPlace(respond, failureMessage(lang, describeFailure(error), errorCode(error))).catch((respondError: unknown) =>
            deps.logger.warn('Could not report the failure to the user', errorCode(respondError)),
          );
        }
      });
    });
  });
}

/** How long the "SORACOM makes us wait" line may take to reach the user before the command goes on without it. */
const WAIT_NOTICE_TIMEOUT_MS = 5_000;

/** SORACOM may ask the bot to wait (a rate limit): the requester hears it at once, once per command. */
function tellAboutSoracomWaits(deps: SlackDeps, respond: RespondFn, lang: Lang): (wait: SoracomWait) => Promise<void> {
  let told = false;
  return async (wait) => {
    if (told) return;
    told = true;
    const message = plainMessageRef(lang, msg('slack.progress.soracom-waiting', { seconds: Math.max(1, Math.ceil(wait.waitMs / 1000)) }));
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, WAIT_NOTICE_TIMEOUT_MS).unref());
    await Promise.race([replyInPlace(respond, message), timeout]).catch((error: unknown) =>
      deps.logger.debug('Could not tell about the SORACOM wait', errorCode(error)),
    );
  };
}

async function dispatch(ctx: CommandContext<NapterCommand>): Promise<void> {
  const parsed = ctx.parsed;
  switch (parsed.kind) {
    case 'help':
      await replyInPlace(ctx.respond, helpMessage(ctx.lang, parsed.topic));
      return;
    case 'open':
      await runOpenCommand({ ...ctx, parsed });
      return;
    case 'diagnose':
      await runDiagnoseCommand({ ...ctx, parsed });
      return;
    case 'list':
      await runListCommand({ ...ctx, parsed });
      return;
    case 'close':
      await runCloseCommand({ ...ctx, parsed });
      return;
  }
}

/**
 * The parser's own width check must not refuse what some policy rule allows: it gets the widest range any
 * rule admits, and the policy then decides for this user.
 */
function widestSourceLimits(policy: Policy): SourceRangeLimits {
  if (policy.rules.length === 0) return { maxPrefixV4Width: 32, maxPrefixV6Width: 128 };
  return {
    maxPrefixV4Width: Math.min(...policy.rules.map((rule) => rule.maxSourcePrefixV4Width)),
    maxPrefixV6Width: Math.min(...policy.rules.map((rule) => rule.maxSourcePrefixV6Width)),
  };
}
