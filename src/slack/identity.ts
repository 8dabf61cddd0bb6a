import { WebClient } from '@slack/web-api';
import type { Logger } from '@slack/bolt';
import { BotError } from '../common/errors';
import { boundedRateLimitFetch } from './bounded-fetch';
import { slackFailureReason } from './failure';

/** Slack's answers that no retry will change: the token itself is wrong. */
const TOKEN_REFUSALS: ReadonlySet<string> = new Set([
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'not_allowed_token_type',
]);

export interface BotIdentity {
  readonly botId: string;
  readonly botUserId: string;
}

export interface RetryPlan {
  readonly firstDelayMs: number;
  readonly maxDelayMs: number;
}

export const SLACK_RETRY: RetryPlan = { firstDelayMs: 500, maxDelayMs: 30_000 };

/** The waits between tries: doubling from the first to the longest. */
export function backoffDelayMs(plan: RetryPlan, attempt: number): number {
  return Math.min(plan.maxDelayMs, plan.firstDelayMs * 2 ** attempt);
}

/**
 * Who the bot is (`auth.test`), asked once at start so that Bolt never has to (its own call would fail for
 * good, unhandled, when Slack is out of reach at that moment). Slack being unreachable is said in one line and
 * tried again with backoff until it answers or `stopping` is aborted; a refused token stops start-up.
 */
export async function resolveBotIdentity(options: {
  readonly botToken: string;
  readonly slackApiUrl: string | undefined;
  readonly logger: Logger;
  readonly stopping: AbortSignal;
  readonly sleep: (ms: number) => Promise<void>;
  readonly plan?: RetryPlan;
}): Promise<BotIdentity> {
  const apiUrl = options.slackApiUrl ?? 'https://slack.com/api/';
  const client = new WebClient(options.botToken, {
    slackApiUrl: apiUrl,
    logger: options.logger,
    retryConfig: { retries: 0 },
    fetch: boundedRateLimitFetch(apiUrl),
  });
  for (let attempt = 0; ; attempt += 1) {
    try {
      const result = await client.auth.test();
      if (typeof result.bot_id !== 'string' || typeof result.user_id !== 'string') {
        throw new BotError(
          'SLACK_NOT_A_BOT_TOKEN',
          'SLACK_BOT_TOKEN is not a bot token (auth.test named no bot): use the xoxb- token from OAuth & Permissions',
        );
      }
      if (attempt > 0) options.logger.info('Slack answers again');
      return { botId: result.bot_id, botUserId: result.user_id };
    } catch (error) {
      if (error instanceof BotError) throw error;
      const reason = slackFailureReason(error);
      if (TOKEN_REFUSALS.has(reason)) {
        throw new BotError('SLACK_TOKEN_REFUSED', `Slack refused SLACK_BOT_TOKEN (${reason}): check the token in the Slack app settings → OAuth & Permissions`);
      }
      if (options.stopping.aborted) throw new BotError('STOPPED', 'Stopped before Slack answered');
      const delayMs = backoffDelayMs(options.plan ?? SLACK_RETRY, attempt);
      options.logger.warn(`Cannot reach Slack at ${apiUrl} (${reason}); trying again in ${(delayMs / 1000).toFixed(1)} s`);
      await options.sleep(delayMs);
    }
  }
}
