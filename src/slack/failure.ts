import { ErrorCode as WebApiErrorCode, type WebAPIPlatformError } from '@slack/web-api';
import { type ErrorCode, errorCodeOf } from '../common/errors';
import { type MessageKey, type MessageRef, msg } from '../domain/i18n/message-ref';
import { SoracomHttpError } from '../soracom/errors';

/**
 * What each failure tells the user, in their language, beside the code they hand to the admin. Exhaustive: a new
 * code does not compile until it says something here.
 */
const USER_TEXT: Readonly<Record<ErrorCode, MessageKey>> = {
  SORACOM_AUTH_FAILED: 'slack.error.soracom-auth',
  SORACOM_RATE_LIMITED: 'slack.error.soracom-rate-limited',
  SORACOM_TIMEOUT: 'slack.error.soracom-unreachable',
  SORACOM_NETWORK_ERROR: 'slack.error.soracom-unreachable',
  SORACOM_OUTCOME_UNKNOWN: 'slack.error.soracom-outcome-unknown',
  SORACOM_INVALID_REQUEST: 'slack.error.soracom-refused',
  SORACOM_HTTP_ERROR: 'slack.error.soracom-refused',
  SORACOM_RESPONSE_SHAPE: 'slack.error.soracom-unexpected',
  SLACK_API_ERROR: 'slack.error.slack-api',
  SLACK_UNAVAILABLE: 'slack.error.slack-unavailable',
  STORE_OPEN_FAILED: 'slack.error.unexpected',
  STORE_NOT_FOUND: 'slack.error.unexpected',
  STORE_CORRUPT: 'slack.error.unexpected',
  STORE_ASYNC_CHANGE: 'slack.error.unexpected',
  POLICY_UNREADABLE: 'slack.error.unexpected',
  POLICY_UNPARSEABLE: 'slack.error.unexpected',
  POLICY_INVALID: 'slack.error.unexpected',
  OPEN_SOURCE_NOT_GLOBAL: 'slack.error.unexpected',
  SLACK_NOT_A_BOT_TOKEN: 'slack.error.unexpected',
  SLACK_TOKEN_REFUSED: 'slack.error.unexpected',
  STOPPED: 'slack.error.restarting',
  UNEXPECTED: 'slack.error.unexpected',
};

/** The user-facing explanation of a failure: the one place an error becomes user text. */
export function describeFailure(error: unknown): MessageRef {
  // A 5xx is SORACOM (or its load balancer) being down, not SORACOM saying no.
  if (error instanceof SoracomHttpError && error.status >= 500) return msg('slack.error.soracom-unavailable', { status: error.status });
  const slackError = slackErrorCode(error);
  if (slackError === 'ratelimited') return msg('slack.error.slack-unavailable');
  if (slackError !== undefined) return msg('slack.error.slack-api', { error: slackError });
  return msg(USER_TEXT[errorCodeOf(error)]);
}

/** Slack's own error (`not_in_channel`, `invalid_blocks`…) of a failed Web API call, else undefined. */
export function slackErrorCode(error: unknown): string | undefined {
  const platform = error as Partial<WebAPIPlatformError> | undefined;
  const detail = platform?.data?.error;
  return (platform?.code === WebApiErrorCode.PlatformError || platform?.code === undefined) && typeof detail === 'string' ? detail : undefined;
}

/** Slack's error code, or what kept the call from Slack (`http_503`, `unreachable`). */
export function slackFailureReason(error: unknown): string {
  const code = slackErrorCode(error);
  if (code !== undefined) return code;
  const status = (error as { statusCode?: unknown } | undefined)?.statusCode;
  return typeof status === 'number' ? `http_${status}` : 'unreachable';
}

/** The bot cannot post here: not a member of a public channel, or cannot see a private one or a DM. */
export function isNotInChannel(error: unknown): boolean {
  const code = slackErrorCode(error);
  return code === 'not_in_channel' || code === 'channel_not_found';
}
