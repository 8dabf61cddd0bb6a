import type { IncomingMessage, ServerResponse } from 'node:http';

/** The small amount of HTTP plumbing the simulator's two surfaces (/v1 and /_sim) share. */

export interface Reply {
  readonly status: number;
  readonly json?: unknown;
  readonly text?: string;
  readonly bytes?: Buffer;
  readonly contentType?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** How long SORACOM took to produce this answer (a device that kept it waiting): the server holds it that long. */
  readonly delayMs?: number;
}

export const json = (status: number, body: unknown, headers?: Record<string, string>): Reply =>
  headers === undefined ? { status, json: body } : { status, json: body, headers };

export const empty = (status: number): Reply => ({ status });

export const MAX_BODY_BYTES = 1024 * 1024;

export class BodyTooLargeError extends Error {}

export function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BodyTooLargeError(`request body over ${MAX_BODY_BYTES} bytes`));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/** undefined: no body; `{ invalid: true }`: not JSON. */
export function parseJsonBody(raw: Buffer): { readonly value: unknown } | { readonly invalid: true } | undefined {
  const text = raw.toString('utf8').trim();
  if (text === '') return undefined;
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return { invalid: true };
  }
}

export function writeReply(response: ServerResponse, reply: Reply, extraHeaders: Readonly<Record<string, string>>): void {
  const headers: Record<string, string> = { ...extraHeaders, ...(reply.headers ?? {}) };
  let payload: Buffer | undefined;
  if (reply.bytes !== undefined) {
    payload = reply.bytes;
    headers['content-type'] = reply.contentType ?? 'application/octet-stream';
  } else if (reply.text !== undefined) {
    payload = Buffer.from(reply.text, 'utf8');
    headers['content-type'] = reply.contentType ?? 'text/plain; charset=utf-8';
  } else if (reply.json !== undefined) {
    payload = Buffer.from(JSON.stringify(reply.json), 'utf8');
    headers['content-type'] = reply.contentType ?? 'application/json;charset=UTF-8';
  }
  if (payload !== undefined) headers['content-length'] = String(payload.length);
  response.writeHead(reply.status, headers);
  response.end(payload);
}

export interface RoutePattern {
  readonly method: string;
  readonly regex: RegExp;
  readonly names: readonly string[];
}

/** `/sims/{sim_id}/downlink/tcp` → a matcher that yields `{ sim_id }`. */
export function routePattern(method: string, template: string): RoutePattern {
  const names: string[] = [];
  const source = template
    .split('/')
    .map((segment) => {
      const name = /^\{(\w+)\}$/.exec(segment)?.[1];
      if (name === undefined) return segment.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
      names.push(name);
      return '([^/]+)';
    })
    .join('/');
  return { method, regex: new RegExp(`^${source}$`), names };
}

export function matchRoute(pattern: RoutePattern, method: string, path: string): Record<string, string> | undefined {
  if (pattern.method !== method) return undefined;
  const match = pattern.regex.exec(path);
  if (match === null) return undefined;
  const params: Record<string, string> = {};
  pattern.names.forEach((name, index) => {
    params[name] = decodeURIComponent(match[index + 1] ?? '');
  });
  return params;
}
