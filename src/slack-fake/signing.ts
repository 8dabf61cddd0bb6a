import { createHmac } from 'node:crypto';

/**
 * Slack's request signature: `v0=` + hex HMAC-SHA256 of `v0:<timestamp>:<raw body>`, keyed with the
 * signing secret. Sign the exact bytes that are sent.
 */
export function signSlackRequest(secret: string, body: string, timestampSec: number): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestampSec}:${body}`).digest('hex')}`;
}

export interface SignedPostOptions {
  secret: string;
  /**
   * Unix seconds sent in `X-Slack-Request-Timestamp`. Default: the real time, not a fake clock, because
   * Bolt compares it with its own `Date.now()` (it rejects timestamps more than 5 minutes old).
   */
  timestampSec?: number;
  /** Sent instead of the correct signature, to forge a request. */
  signatureOverride?: string;
  /** Default exactly `application/x-www-form-urlencoded`: Bolt reads a form only with that exact value. */
  contentType?: string;
}

export interface SignedPostResult {
  status: number;
  contentType: string | undefined;
  /** The raw response body. */
  text: string;
}

/** POSTs a body signed as Slack would, to an app's events endpoint. */
export async function postSigned(url: string, body: string, options: SignedPostOptions): Promise<SignedPostResult> {
  const timestampSec = options.timestampSec ?? Math.floor(Date.now() / 1000);
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': options.contentType ?? 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(timestampSec),
      'x-slack-signature': options.signatureOverride ?? signSlackRequest(options.secret, body, timestampSec),
    },
    body,
  });
  return { status: response.status, contentType: response.headers.get('content-type') ?? undefined, text: await response.text() };
}
