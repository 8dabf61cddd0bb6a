import { echoToken, normaliseUserText } from './command/normalise';
import type { Lang, MessageRef } from './i18n/message-ref';
import { msg } from './i18n/message-ref';
import type { Result } from './result';
import { err, ok } from './result';

/**
 * Durations as people type them, always returned in seconds because the SORACOM API takes seconds for
 * a mapping's life (and milliseconds elsewhere): the guide names the unit mix-up as a classic mistake.
 *
 * Accepted: `90s`, `45m`, `2h`, `1h30m`, `1h 30m`, `1h30` (minutes after hours), `1.5h`, `2d`, the long
 * English words (`90 seconds`, `2 hours`), Japanese units (`90秒`, `30分`, `2時間`, `1時間30分`, `1時間半`,
 * `2日`), full-width digits (`３０分`), and a bare number, which means minutes (`30` = 30 minutes, as in
 * the console). Each unit may appear once. Zero, negative and absurdly long durations are refused.
 */

export type DurationErrorCode = 'empty' | 'invalid' | 'zero' | 'negative' | 'too-long' | 'fraction-of-second';

export interface DurationError {
  readonly code: DurationErrorCode;
  readonly message: MessageRef;
}

const SECONDS_PER_MINUTE = 60;
const SECONDS_PER_HOUR = 60 * SECONDS_PER_MINUTE;
const SECONDS_PER_DAY = 24 * SECONDS_PER_HOUR;

/** Nothing the bot does looks back or ahead further than the audit log's paid retention (366 days). */
export const MAX_PARSEABLE_DURATION_SEC = 366 * SECONDS_PER_DAY;

type Unit = 's' | 'm' | 'h' | 'd';

const UNIT_SECONDS: Readonly<Record<Unit, number>> = { s: 1, m: SECONDS_PER_MINUTE, h: SECONDS_PER_HOUR, d: SECONDS_PER_DAY };

// Longest spellings first so `min` is not read as `m` followed by garbage.
// biome-ignore format: one line per unit reads better than one line per spelling
const UNIT_SPELLINGS: ReadonlyArray<readonly [string, Unit]> = [
  ['seconds', 's'], ['second', 's'], ['secs', 's'], ['sec', 's'], ['秒間', 's'], ['秒', 's'], ['s', 's'],
  ['minutes', 'm'], ['minute', 'm'], ['mins', 'm'], ['min', 'm'], ['分間', 'm'], ['分', 'm'], ['m', 'm'],
  ['hours', 'h'], ['hour', 'h'], ['hrs', 'h'], ['hr', 'h'], ['時間', 'h'], ['h', 'h'],
  ['days', 'd'], ['day', 'd'], ['日間', 'd'], ['日', 'd'], ['d', 'd'],
];

const COMPONENT = /^(\d+(?:\.\d+)?)\s*/;

function failure(code: DurationErrorCode, input: string): Result<number, DurationError> {
  return err({ code, message: msg(`command.duration.${code}`, { input: echoToken(input) }) });
}

function readUnit(rest: string): { unit: Unit; length: number } | undefined {
  for (const [spelling, unit] of UNIT_SPELLINGS) {
    if (!rest.startsWith(spelling)) continue;
    const next = rest.charAt(spelling.length);
    // `2hours` is fine, `2hx` is not a unit followed by something.
    if (/^[a-z]$/.test(next) && /^[a-z]+$/.test(spelling)) continue;
    return { unit, length: spelling.length };
  }
  return undefined;
}

/** Parses a duration; the result is whole seconds. See the module comment for the accepted forms. */
export function parseDuration(text: string): Result<number, DurationError> {
  const input = normaliseUserText(text).trim().toLowerCase();
  if (input === '') return failure('empty', '');
  if (/^[-]/.test(input)) return failure('negative', input);

  let rest = input;
  let totalSec = 0;
  const seen = new Set<Unit>();
  let lastUnit: Unit | undefined;
  let sawBareNumber = false;
  while (rest !== '') {
    const number = COMPONENT.exec(rest);
    if (!number) return failure('invalid', input);
    rest = rest.slice(number[0].length);
    const value = Number(number[1]);
    const unitMatch = readUnit(rest);
    let unit: Unit;
    if (unitMatch) {
      unit = unitMatch.unit;
      rest = rest.slice(unitMatch.length);
    } else if (seen.size === 0 && rest === '') {
      unit = 'm';
      sawBareNumber = true;
    } else if (lastUnit === 'h' && rest === '') {
      // `1h30` and `1時間30`: the number after the hours is minutes.
      unit = 'm';
    } else {
      return failure('invalid', input);
    }
    if (seen.has(unit)) return failure('invalid', input);
    seen.add(unit);
    totalSec += value * UNIT_SECONDS[unit];
    if (unit === 'h' && rest.startsWith('半')) {
      if (seen.has('m')) return failure('invalid', input);
      seen.add('m');
      totalSec += 30 * SECONDS_PER_MINUTE;
      rest = rest.slice(1);
    }
    lastUnit = unit;
    rest = rest.trimStart();
  }
  if (sawBareNumber && seen.size !== 1) return failure('invalid', input);
  if (totalSec > MAX_PARSEABLE_DURATION_SEC) return failure('too-long', input);
  // Floating point: 1.1h is 3960.0000000000005 s.
  const roundedSec = Math.round(totalSec * 1000) / 1000;
  if (!Number.isInteger(roundedSec)) return failure('fraction-of-second', input);
  if (roundedSec === 0) return failure('zero', input);
  return ok(roundedSec);
}

const UNIT_LABELS: Readonly<Record<Lang, Readonly<Record<Unit, string>>>> = {
  en: { d: 'd', h: 'h', m: 'm', s: 's' },
  ja: { d: '日', h: '時間', m: '分', s: '秒' },
};

/**
 * A span shown to people (a mapping's length, what an Extend added, the time left): to the nearest minute from two
 * minutes on, where the seconds are only the lag between asking and granting ("for 59m 59s" reads as a mistake).
 */
export function formatSpan(totalSec: number, lang: Lang): string {
  return formatDuration(totalSec >= 120 ? Math.round(totalSec / 60) * 60 : totalSec, lang);
}

/** `5400` → "1h 30m" / "1時間30分"; zero parts are left out; `0` → "0s" / "0秒". */
export function formatDuration(totalSec: number, lang: Lang): string {
  const labels = UNIT_LABELS[lang];
  let remainingSec = Math.max(0, Math.round(totalSec));
  const parts: string[] = [];
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    const count = Math.floor(remainingSec / UNIT_SECONDS[unit]);
    remainingSec -= count * UNIT_SECONDS[unit];
    if (count > 0) parts.push(`${count}${labels[unit]}`);
  }
  if (parts.length === 0) parts.push(`0${labels.s}`);
  return parts.join(lang === 'ja' ? '' : ' ');
}
