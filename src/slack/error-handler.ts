import type { App } from '@slack/bolt';
import { msg, type MessageRef } from '../domain/i18n/message-ref';
import { errorCode } from '../common/errors';
import { SoracomHttpError } from '../soracom/errors';
import type { SlackDeps } from './deps';

export { errorCode };

/**
 * The one place an unexpected failure becomes user text. Users get what failed in their language and a
 * code to hand to the admin; the log gets the full error (already stripped of secrets by the logger).
 */
const USER_TEXT_BY_CODE: Readonly<Record<string, string>> = {
  SORACOM_AUTH_FAILED: 'slack.error.soracom-auth',
  SORACOM_RATE_LIMITED: 'slack.error.soracom-rate-limited',
  SORACOM_TIMEOUT: 'slack.error.soracom-unreachable',
  SORACOM_NETWORK_ERROR: 'slack.error.soracom-unreachable',
  SORACOM_OUTCOME_UNKNOWN: 'slack.error.soracom-outcome-unknown',
  SORACOM_INVALID_REQUEST: 'slack.error.soracom-refused',
  SORACOM_HTTP_ERROR: 'slack.error.soracom-refused',
  SORACOM_RESPONSE_SHAPE: 'slack.error.soracom-unexpected',
  // The Web API client's own failures: Slack answered a 5xx, could not be reached, or rate-limited the bot.
  slack_webapi_http_error: 'slack.error.slack-unavailable',
  slack_webapi_request_error: 'slack.error.slack-unavailable',
  slack_webapi_rate_limited_error: 'slack.error.slack-unavailable',
};

/** The user-facing explanation of an unexpected error. */
export function describeFailure(error: unknown): MessageRef {
  // A 5xx is SORACOM (or its load balancer) being down, not SORACOM saying no.
  if (error instanceof SoracomHttpError && error.status >= 500) return msg('slack.error.soracom-unavailable', { status: error.status });
  const key = USER_TEXT_BY_CODE[errorCode(error)];
  if (key !== undefined) return msg(key);
  const slackError = (error as { data?: { error?: unknown } } | undefined)?.data?.error;
  if (slackError === 'ratelimited') return msg('slack.error.slack-unavailable');
  if (typeof slackError === 'string') return msg('slack.error.slack-api', { error: slackError });
  return msg('slack.error.unexpected');
}

/** Slack API error codes (`not_in_channel`…) from a WebAPIPlatformError, else undefined. */
export function slackErrorCode(error: unknown): string | undefined {
  const data = (error as { data?: { error?: unknown } } | undefined)?.data;
  return typeof data?.error === 'string' ? data.error : undefined;
}

export function registerErrorHandler(app: App, deps: SlackDeps): void {
  app.error(async (error) => {
    deps.logger.error('Unhandled error in a Slack listener', errorCode(error.original ?? error), error.original ?? error);
  });
}
