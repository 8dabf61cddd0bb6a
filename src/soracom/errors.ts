import { BotError, type ErrorCode } from '../common/errors';
import type { RateLimitState } from '../domain/napter-api';
import { PLAIN_TEXT_ERROR_CODE, WireApiCallError, WireErrorBody } from './wire';

/**
 * The SORACOM client's failures. Every one carries the HTTP method and the path (never headers, never a
 * body that may hold a secret), so a log line or a Slack error says which call failed.
 */
export class SoracomError extends BotError {
  constructor(
    code: Extract<ErrorCode, `SORACOM_${string}`>,
    message: string,
    readonly method: string,
    readonly path: string,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
  }
}

/** `HTTP 401 AUM0001: Invalid credentials`: the status, SORACOM's own code when there is one, and its message. */
function statusText(status: number, soracomCode: string | undefined, soracomMessage: string): string {
  return `HTTP ${status}${soracomCode === undefined ? '' : ` ${soracomCode}`}: ${soracomMessage}`;
}

/** SORACOM answered with a status the operation does not expect. */
export class SoracomHttpError extends SoracomError {
  constructor(
    method: string,
    path: string,
    readonly status: number,
    /** SORACOM's own error code (`AUM0001`, `UNK0001` for plain-text errors), when the body had one. */
    readonly soracomCode: string | undefined,
    readonly soracomMessage: string,
  ) {
    super('SORACOM_HTTP_ERROR', `SORACOM ${method} ${path} failed with ${statusText(status, soracomCode, soracomMessage)}`, method, path);
  }
}

/** The AuthKey was refused, or a fresh token was refused again right after re-authenticating. */
export class SoracomAuthError extends SoracomError {
  constructor(
    method: string,
    path: string,
    readonly status: number,
    readonly soracomCode: string | undefined,
    readonly soracomMessage: string,
  ) {
    super(
      'SORACOM_AUTH_FAILED',
      `SORACOM refused the credentials on ${method} ${path} (${statusText(status, soracomCode, soracomMessage)}). ` +
        'Check SORACOM_AUTH_KEY_ID / SORACOM_AUTH_KEY and the SAM user permissions.',
      method,
      path,
    );
  }
}

/**
 * SORACOM's rate limit asks for a longer wait than the client may spend (or retries ran out, or the call
 * asked not to wait). `rateLimit` holds the 429's own X-Soracom-Ratelimit-* headers when it had them.
 */
export class SoracomRateLimitedError extends SoracomError {
  constructor(
    method: string,
    path: string,
    readonly waitMs: number,
    readonly rateLimit?: RateLimitState,
  ) {
    super('SORACOM_RATE_LIMITED', `SORACOM rate limit reached on ${method} ${path}; try again in ${Math.ceil(waitMs / 1000)} s`, method, path);
  }
}

export class SoracomTimeoutError extends SoracomError {
  constructor(
    method: string,
    path: string,
    readonly timeoutMs: number,
  ) {
    super('SORACOM_TIMEOUT', `SORACOM ${method} ${path} did not answer within ${timeoutMs} ms`, method, path);
  }
}

/** The connection failed before any HTTP answer (DNS, refused, reset). */
export class SoracomNetworkError extends SoracomError {
  constructor(
    method: string,
    path: string,
    readonly networkCode: string | undefined,
    detail: string,
  ) {
    super('SORACOM_NETWORK_ERROR', `SORACOM ${method} ${path} could not be reached (${networkCode ?? 'network error'}: ${detail})`, method, path);
  }
}

/** A 2xx body that is not what the spec promises. Carries the zod issue summary, never the body itself. */
export class SoracomResponseShapeError extends SoracomError {
  constructor(
    method: string,
    path: string,
    readonly status: number,
    readonly issues: string,
  ) {
    super('SORACOM_RESPONSE_SHAPE', `SORACOM ${method} ${path} (HTTP ${status}) returned an unexpected body: ${issues}`, method, path);
  }
}

/** A request the client refuses to send because SORACOM would reject it or do the wrong thing. */
export class SoracomValidationError extends SoracomError {
  constructor(
    method: string,
    path: string,
    readonly field: string,
    detail: string,
  ) {
    super('SORACOM_INVALID_REQUEST', `Refused to send ${method} ${path}: ${field} ${detail}`, method, path);
  }
}

/** A mapping duration outside 1…28800 s (Napter's 8-hour cap), caught before anything is sent. */
export class MappingDurationError extends SoracomValidationError {
  constructor(
    method: string,
    path: string,
    readonly durationSec: number,
    readonly maxDurationSec: number,
  ) {
    super(method, path, 'durationSec', `must be a whole number of seconds from 1 to ${maxDurationSec} (got ${durationSec})`);
  }
}

/**
 * A create whose answer was lost, and the follow-up listing could not tell whether it happened. The
 * client does not create again in this state: the caller should list the mappings before retrying.
 */
export class SoracomOutcomeUnknownError extends SoracomError {
  constructor(method: string, path: string, cause: SoracomError) {
    super(
      'SORACOM_OUTCOME_UNKNOWN',
      `SORACOM ${method} ${path} may or may not have taken effect (its answer was lost: ${cause.message}); list before retrying`,
      method,
      path,
      { cause },
    );
  }
}

export interface ParsedErrorBody {
  readonly code: string | undefined;
  readonly message: string;
}

const MAX_PLAIN_TEXT_CHARS = 200;

/**
 * Reads the three error body shapes SORACOM uses: `{code,message}`, the spec's `APICallError`
 * (`{httpStatus,errorMessage:{code,message}}`), and plain text from a load balancer.
 */
export function parseErrorBody(rawBody: string, contentType: string | undefined): ParsedErrorBody {
  const text = rawBody.trim();
  if (text === '') return { code: undefined, message: '(empty body)' };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (json !== undefined) {
    const usual = WireErrorBody.safeParse(json);
    if (usual.success) return { code: usual.data.code, message: usual.data.message ?? '' };
    const apiCall = WireApiCallError.safeParse(json);
    if (apiCall.success) return { code: apiCall.data.errorMessage.code, message: apiCall.data.errorMessage.message ?? '' };
    if (typeof json === 'string') return { code: PLAIN_TEXT_ERROR_CODE, message: shorten(json) };
    if (typeof json === 'object' && json !== null && 'message' in json && typeof json.message === 'string') {
      return { code: undefined, message: shorten(json.message) };
    }
    return { code: undefined, message: '(unrecognised JSON error body)' };
  }
  const isHtml = (contentType ?? '').includes('html') || text.startsWith('<');
  return { code: PLAIN_TEXT_ERROR_CODE, message: isHtml ? '(HTML error page)' : shorten(text) };
}

function shorten(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > MAX_PLAIN_TEXT_CHARS ? `${oneLine.slice(0, MAX_PLAIN_TEXT_CHARS)}…` : oneLine;
}

const REDACTED = '[redacted]';

/** Replaces every occurrence of a secret in text meant for an error or a log line. */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let result = text;
  for (const secret of secrets) {
    if (secret !== undefined && secret.length >= 4) result = result.split(secret).join(REDACTED);
  }
  return result;
}
