import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { parse as parseQueryString } from 'node:querystring';
import type { HTTPReceiver, Logger } from '@slack/bolt';
import { readLimitedBody } from '../common/read-body';

/**
 * The door in front of Bolt's HTTP receiver for `/slack/events`. Bolt checks the signature, but it accepts a
 * timestamp from the future (a request signed for "in an hour" stays replayable for an hour), and a signed body
 * that is not an object (`payload=null`, a JSON `null`) makes it throw inside a detached promise. Here every
 * request is checked first: signed by Slack within five minutes either way, and an object; only then does Bolt
 * see it (the body is handed over already read, which Bolt accepts).
 */

/** Slack's window for a request's timestamp; applied both ways. */
export const SIGNATURE_MAX_SKEW_SEC = 5 * 60;
/**
 * How long a request id (a trigger_id) is remembered to tell a redelivery from a new request: longer than any
 * signed request stays acceptable (from five minutes before its timestamp to five minutes after), plus margin.
 */
export const DELIVERY_MEMORY_MS = (2 * SIGNATURE_MAX_SKEW_SEC + 5 * 60) * 1000;
/** Slack's payloads are a few kilobytes; a modal with long fields stays far below this. */
const MAX_BODY_BYTES = 1024 * 1024;
const BODY_TIMEOUT_MS = 10_000;
const FORM = 'application/x-www-form-urlencoded';

export interface RequestGateOptions {
  readonly signingSecret: string;
  readonly eventsPath: string;
  readonly logger: Logger;
  /** Real time, as Slack signs with it; tests pass their own. */
  readonly nowSec?: () => number;
}

export type GateVerdict = { readonly ok: true } | { readonly ok: false; readonly status: 400 | 401 | 413; readonly reason: string };

/** Wraps the receiver's request listener; requests to other paths (the IP page, /healthz) pass untouched. */
export function guardSlackRequests(receiver: HTTPReceiver, options: RequestGateOptions): void {
  const boltListener: RequestListener = receiver.requestListener;
  receiver.requestListener = (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path !== options.eventsPath || (req.method ?? '').toUpperCase() !== 'POST') {
      boltListener(req, res);
      return;
    }
    readLimitedBody(req, { maxBytes: MAX_BODY_BYTES, timeoutMs: BODY_TIMEOUT_MS }).then(
      (rawBody) => {
        if (rawBody === 'too-large') {
          refuse(res, 413);
          return;
        }
        const verdict = checkSlackRequest(req.headers, rawBody, options.signingSecret, (options.nowSec ?? realNowSec)());
        if (!verdict.ok) {
          options.logger.warn(`Refused a request to ${options.eventsPath}: ${verdict.reason}`);
          refuse(res, verdict.status);
          return;
        }
        // Bolt reads `rawBody` when it is already there instead of the (consumed) stream.
        Object.assign(req, { rawBody });
        try {
          boltListener(req, res);
        } catch (error) {
          options.logger.error('The Slack receiver failed on a request', error);
          if (!res.headersSent) refuse(res, 500);
        }
      },
      (error: unknown) => {
        options.logger.warn('Could not read a request to the Slack endpoint', error instanceof Error ? error.message : String(error));
        if (!res.headersSent) refuse(res, 400);
      },
    );
  };
}

/**
 * Pure check of one request: `ssl_check=1` passes (Bolt answers it without a signature and drops the rest),
 * anything else needs a valid v0 signature over the exact bytes and a timestamp within the window, and a body
 * that is an object once parsed as Bolt parses it.
 */
export function checkSlackRequest(headers: IncomingMessage['headers'], rawBody: Buffer, signingSecret: string, nowSec: number): GateVerdict {
  const text = rawBody.toString('utf8');
  const contentType = headerValue(headers['content-type']);
  if (contentType === FORM && parseQueryString(text)['ssl_check'] === '1') return { ok: true };

  const timestampText = headerValue(headers['x-slack-request-timestamp']) ?? '';
  const signature = headerValue(headers['x-slack-signature']) ?? '';
  const timestampSec = /^\d{1,12}$/.test(timestampText) ? Number(timestampText) : Number.NaN;
  if (!Number.isFinite(timestampSec)) return { ok: false, status: 401, reason: 'no valid X-Slack-Request-Timestamp' };
  if (Math.abs(nowSec - timestampSec) > SIGNATURE_MAX_SKEW_SEC) {
    return { ok: false, status: 401, reason: `timestamp ${timestampSec - nowSec > 0 ? 'in the future' : 'too old'} by ${Math.abs(nowSec - timestampSec)} s` };
  }
  const expected = Buffer.from(`v0=${createHmac('sha256', signingSecret).update(`v0:${timestampText}:${text}`).digest('hex')}`);
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, status: 401, reason: 'signature mismatch' };

  const body = parseLikeBolt(text, contentType);
  if (body === undefined) return { ok: false, status: 400, reason: 'the body does not parse' };
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, status: 400, reason: `the body is ${body === null ? 'null' : Array.isArray(body) ? 'an array' : `a ${typeof body}`}, not an object` };
  }
  return { ok: true };
}

/** Bolt's reading: a form (its `payload` field as JSON when present), else JSON. undefined when it does not parse. */
function parseLikeBolt(text: string, contentType: string | undefined): unknown {
  try {
    if (contentType === FORM) {
      const form = parseQueryString(text);
      const payload = form['payload'];
      if (Array.isArray(payload)) return undefined;
      return typeof payload === 'string' ? (JSON.parse(payload) as unknown) : form;
    }
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? undefined : value;
}

function realNowSec(): number {
  return Math.floor(Date.now() / 1000);
}

function refuse(res: ServerResponse, status: number): void {
  res.writeHead(status, { 'content-length': '0' });
  res.end();
}
