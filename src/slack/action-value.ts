import { z } from 'zod';

/**
 * Button values carry only ids of rows in the store, never endpoints or addresses: a button's value is
 * visible to every member of the channel that holds the message. Values are parsed with zod; a tampered
 * or stale value is refused with a clear message by the listener.
 */
const diagnosisRef = z.object({ v: z.literal(1), diagnosisId: z.string().min(1).max(64) }).strict();
const mappingRef = z.object({ v: z.literal(1), mappingId: z.string().min(1).max(64) }).strict();
const fixRef = z
  .object({
    v: z.literal(1),
    diagnosisId: z.string().min(1).max(64),
    /** Index into the stored diagnosis's remedies: the fix itself stays server-side. */
    remedyIndex: z.number().int().min(0).max(20),
  })
  .strict();
const peekRef = z.object({ v: z.literal(1), peekId: z.string().min(1).max(64) }).strict();
/** The IP capture's row id: never its token, which alone opens the page. */
const captureRef = z.object({ v: z.literal(1), captureId: z.string().min(1).max(64) }).strict();

/** A history export the bot remembers for the person it showed the history to: never the query itself. */
const exportRef = z.object({ v: z.literal(1), exportId: z.string().min(1).max(64) }).strict();

export const ACTION_VALUE_SCHEMAS = { diagnosisRef, mappingRef, fixRef, peekRef, captureRef, exportRef } as const;
export type DiagnosisRefValue = z.infer<typeof diagnosisRef>;
export type FixRefValue = z.infer<typeof fixRef>;
export type PeekRefValue = z.infer<typeof peekRef>;
export type CaptureRefValue = z.infer<typeof captureRef>;

/** Slack caps a button value at 2000 characters. */
export const MAX_ACTION_VALUE_LENGTH = 2000;

export function encodeActionValue<T extends { v: 1 }>(value: T): string {
  const encoded = JSON.stringify(value);
  if (encoded.length > MAX_ACTION_VALUE_LENGTH) {
    throw new RangeError(`Button value is ${encoded.length} characters; Slack allows ${MAX_ACTION_VALUE_LENGTH}`);
  }
  return encoded;
}

/** undefined when the value is missing, not JSON, or not of the expected shape. */
export function decodeActionValue<S extends z.ZodType>(schema: S, raw: string | undefined): z.infer<S> | undefined {
  if (raw === undefined || raw.length > MAX_ACTION_VALUE_LENGTH) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return undefined;
  }
  const parsed = schema.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}
