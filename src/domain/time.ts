import { tz } from '@date-fns/tz';
// One module per function: the package's index loads all of date-fns, a tenth of a second at every start.
import { format } from 'date-fns/format';
import { isValid } from 'date-fns/isValid';
import { parse } from 'date-fns/parse';

/**
 * Times written for people and for SORACOM support: in Japan Standard Time (Asia/Tokyo, no daylight saving)
 * and in UTC. Computed from the instant alone, so the machine's own time zone never shows through.
 */
const JST = tz('Asia/Tokyo');
const UTC = tz('UTC');
const TO_THE_SECOND = 'yyyy-MM-dd HH:mm:ss';

/** "2026-01-01 00:00:00 UTC" */
export function formatUtc(ms: number): string {
  return `${format(ms, TO_THE_SECOND, { in: UTC })} UTC`;
}

/** "2026-01-01 09:00:00 JST" */
export function formatJst(ms: number): string {
  return `${format(ms, TO_THE_SECOND, { in: JST })} JST`;
}

/** "2026-01-01 09:00:00 JST (2026-01-01 00:00:00 UTC)" */
export function formatJstAndUtc(ms: number): string {
  return `${formatJst(ms)} (${formatUtc(ms)})`;
}

/** ISO 8601 to the second in UTC: `2026-01-15T01:00:00Z`. */
export function isoUtc(ms: number): string {
  return format(ms, "yyyy-MM-dd'T'HH:mm:ss'Z'", { in: UTC });
}

/** The same instant in JST: `2026-01-15T10:00:00+09:00`. */
export function isoJst(ms: number): string {
  return format(ms, "yyyy-MM-dd'T'HH:mm:ssXXX", { in: JST });
}

const WRITTEN_TIME = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})(:\d{2})?\s*(JST|UTC|Z)?/i;

/**
 * Reads back a time written the way `formatJst` (or a person) writes it: `2026-01-01 09:00[:00] [JST|UTC|Z]`,
 * JST unless it says UTC; anything after it is ignored. Free text, or a date that does not exist, gives undefined.
 */
export function parseWrittenTime(text: string): number | undefined {
  const match = WRITTEN_TIME.exec(text.trim());
  if (match === null) return undefined;
  const [, day, minutes, seconds = ':00', zone] = match;
  const inUtc = zone !== undefined && zone.toUpperCase() !== 'JST';
  const parsed = parse(`${day} ${minutes}${seconds}`, TO_THE_SECOND, 0, { in: inUtc ? UTC : JST });
  return isValid(parsed) ? parsed.getTime() : undefined;
}
