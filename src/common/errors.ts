/**
 * Every code an unexpected failure of the bot can carry. A failure becomes user text in one place (the Slack
 * adapter's failure reporter), whose table is exhaustive over this union: a new code does not compile until it
 * says something to the user. Messages say what failed, where, and what to do.
 */
export const ERROR_CODES = [
  'SORACOM_AUTH_FAILED',
  'SORACOM_RATE_LIMITED',
  'SORACOM_TIMEOUT',
  'SORACOM_NETWORK_ERROR',
  'SORACOM_OUTCOME_UNKNOWN',
  'SORACOM_INVALID_REQUEST',
  'SORACOM_HTTP_ERROR',
  'SORACOM_RESPONSE_SHAPE',
  'STORE_OPEN_FAILED',
  'STORE_NOT_FOUND',
  'STORE_CORRUPT',
  'STORE_ASYNC_CHANGE',
  'POLICY_UNREADABLE',
  'POLICY_UNPARSEABLE',
  'POLICY_INVALID',
  'OPEN_SOURCE_NOT_GLOBAL',
  'SLACK_NOT_A_BOT_TOKEN',
  'SLACK_TOKEN_REFUSED',
  /** Slack answered a Web API call with an error of its own (`not_in_channel`, `invalid_blocks`…). */
  'SLACK_API_ERROR',
  /** Slack could not be reached, answered a 5xx, or rate-limited the bot. */
  'SLACK_UNAVAILABLE',
  'STOPPED',
  'UNEXPECTED',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * An unexpected failure with a stable `code` and its `cause`. The in-repo simulator and Slack stand-in throw these
 * with codes of their own; the bot itself throws `BotError`s, whose codes the user-text table knows.
 */
export class NapterBotError<Code extends string = string> extends Error {
  constructor(
    readonly code: Code,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A failure of the bot itself: its code is an `ErrorCode`, so it says something to the user. */
export class BotError extends NapterBotError<ErrorCode> {}

/**
 * The `code` values of `@slack/web-api`'s errors (its `ErrorCode` enum; test/slack/failure.test.ts checks they
 * still match), read here by value so that the core need not load the Slack client.
 */
const SLACK_WEB_API_CODES: Readonly<Record<string, ErrorCode>> = {
  slack_webapi_platform_error: 'SLACK_API_ERROR',
  slack_webapi_request_error: 'SLACK_UNAVAILABLE',
  slack_webapi_http_error: 'SLACK_UNAVAILABLE',
  slack_webapi_rate_limited_error: 'SLACK_UNAVAILABLE',
};

const KNOWN: ReadonlySet<string> = new Set(ERROR_CODES);

/** The one reading of any failure's code: the bot's own, the Slack client's mapped onto ours, else UNEXPECTED. */
export function errorCodeOf(error: unknown): ErrorCode {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code !== 'string') return 'UNEXPECTED';
  if (KNOWN.has(code)) return code as ErrorCode;
  return SLACK_WEB_API_CODES[code] ?? 'UNEXPECTED';
}
