import { z } from 'zod';
import { err, ok, type Result } from '../domain/result';
import type { FakeHttpAnswer, FakeMessageMetadata } from './model';

/**
 * Argument parsing for the fake's Web API. WebClient sends form fields, with nested values (`blocks`,
 * `view`, `metadata`) JSON-encoded as strings and booleans as 'true'/'false'; other clients send JSON.
 * These schemas accept both and ignore fields they do not know, as Slack does.
 */

export const slackError = (error: string, messages?: string[]): FakeHttpAnswer => ({
  status: 200,
  body: { ok: false, error, ...(messages === undefined ? {} : { response_metadata: { messages } }) },
});

export const slackOk = (body: Record<string, unknown> = {}): FakeHttpAnswer => ({ status: 200, body: { ok: true, ...body } });

const NOT_JSON = Symbol('not-json');

function decodeJsonString(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return NOT_JSON;
  }
}

/** A value that may arrive JSON-encoded in a form field. */
export const jsonField = <T extends z.ZodType>(schema: T) => z.preprocess(decodeJsonString, schema);

/** Slack flags: true, 'true', '1' or 1 are on; anything else (including absence) is off. */
export const flag = z.preprocess((value) => value === true || value === 'true' || value === '1' || value === 1, z.boolean());

/** ts-like values: WebClient warns about numeric thread_ts, Slack accepts both. */
export const tsField = z.union([z.string(), z.number()]).transform(String);

export const blocksField = jsonField(z.array(z.unknown()));

export const metadataField = jsonField(
  z.looseObject({ event_type: z.string().min(1), event_payload: z.record(z.string(), z.unknown()) }),
).transform((value): FakeMessageMetadata => ({ event_type: value.event_type, event_payload: value.event_payload }));

/** Which Slack error a bad argument maps to: the field's own code when Slack has one. */
const ERROR_FOR_FIELD: Record<string, string> = {
  blocks: 'invalid_blocks_format',
  metadata: 'invalid_metadata_format',
  view: 'invalid_arguments',
};

export function parseArgs<T extends z.ZodType>(schema: T, args: Record<string, unknown>): Result<z.infer<T>, FakeHttpAnswer> {
  const parsed = schema.safeParse(args);
  if (parsed.success) return ok(parsed.data);
  const first = parsed.error.issues[0];
  const field = first === undefined ? undefined : String(first.path[0] ?? '');
  const error = (field === undefined ? undefined : ERROR_FOR_FIELD[field]) ?? 'invalid_arguments';
  return err(
    slackError(
      error,
      parsed.error.issues.map((issue) => `[ERROR] ${issue.message} [json-pointer:/${issue.path.map(String).join('/')}]`),
    ),
  );
}

const NESTED_JSON_FIELDS = ['blocks', 'attachments', 'view', 'metadata'];

/** The arguments as the caller meant them: nested fields decoded from their JSON strings where they parse. */
export function decodeNestedFields(args: Record<string, unknown>): Record<string, unknown> {
  const decoded = { ...args };
  for (const field of NESTED_JSON_FIELDS) {
    const value = decodeJsonString(decoded[field]);
    if (value !== NOT_JSON && value !== undefined) decoded[field] = value;
  }
  return decoded;
}

/** The form or JSON body of a request, as a flat record (repeated form keys: the last one wins). */
export function parseRequestBody(rawBody: string, contentType: string | undefined): Record<string, unknown> {
  if (rawBody.trim() === '') return {};
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  if (type === 'application/json') {
    const parsed = decodeJsonString(rawBody);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  }
  return Object.fromEntries(new URLSearchParams(rawBody));
}
