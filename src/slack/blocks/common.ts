import type { types } from '@slack/bolt';
import { t } from '../text';
import { simStatusLabel } from '../../domain/diagnosis/labels';
import type { Lang, MessageParam, MessageParams, MessageRef } from '../../domain/i18n/message-ref';
import { isoUtc } from '../../domain/time';

/**
 * The Block Kit helpers every message the bot builds goes through. Slack's limits are enforced here, so a
 * long SIM name or a long list can never make Slack refuse a message.
 */
export type KnownBlock = types.KnownBlock;
export type ButtonElement = types.Button;
export type MessageMetadata = types.MessageMetadata;

/** A message as the builders produce it: the caller adds `channel`, `ts`, `thread_ts`. */
export interface SlackMessage {
  /** The notification and screen-reader text; always sent along with the blocks. */
  readonly text: string;
  readonly blocks: KnownBlock[];
  readonly metadata?: MessageMetadata;
}

export const SLACK_LIMITS = {
  blocksPerMessage: 50,
  sectionText: 3000,
  /** Slack answers msg_blocks_too_long well below the documented totals (bolt-js #2509): stay far under. */
  charsPerMessage: 12000,
  buttonText: 75,
  contextElements: 10,
} as const;

/** Headroom under the 3000-character section limit: Slack's counting of Japanese text is not documented. */
export const SECTION_BUDGET = 2800;
/** The same headroom for a context element (Slack's limit is 3000 there too). */
const CONTEXT_ELEMENT_BUDGET = 2900;

export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, Math.max(0, max - 1))}…`;
}

/** Control characters (newlines included) and invisible format characters: zero-width, bidi overrides. */
const CONTROL = /[\p{Cc}\u2028\u2029]/gu;
const INVISIBLE = /\p{Cf}/gu;
/** A backtick from outside would open or close a code span; this look-alike cannot. */
const BACKTICK_LOOKALIKE = '\u02cb';

function escapeEntities(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * A string from outside (a SIM name or tag, what a user typed, a value from config or SORACOM) made inert for
 * one line of mrkdwn: `&`, `<`, `>` become entities (no `<!channel>`, `<@U…>`, `<!subteam^…>` or disguised
 * `<https://…|…>` link survives), a backtick cannot leave or open a code span, a newline or other control
 * character cannot start a forged line, and invisible characters (zero-width, bidi overrides) show as `�`.
 * Call it where the string enters a message, once.
 */
export function escapeMrkdwn(text: string): string {
  return escapeEntities(text.replace(CONTROL, ' ').replace(INVISIBLE, '\ufffd').replace(/`/g, BACKTICK_LOOKALIKE));
}

/** The same for several lines of outside text (a ticket draft): newlines stay, everything else as escapeMrkdwn. */
export function escapeMrkdwnLines(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => escapeMrkdwn(line.replace(/\t/g, '    ')))
    .join('\n');
}

/**
 * A URL for `<url|label>`: whatever would end the link early (`|`, `>`), open another (`<`), start code (a
 * backtick) or break the line is percent-encoded.
 */
export function linkTarget(url: string): string {
  return url.replace(/[<>|`\s\p{Cc}\p{Cf}]/gu, (char) => encodeURIComponent(char));
}

/** A SIM's status as the SORACOM User Console names it in the reader's language; one the bot does not know, escaped. */
export function statusText(status: string): MessageParam {
  const label = simStatusLabel(status);
  return typeof label === 'string' ? escapeMrkdwn(label) : label;
}

/** A mrkdwn link `<url|label>`; the label is the bot's own words. */
export function slackLink(url: string, label: string): string {
  return `<${linkTarget(url)}|${label}>`;
}

/**
 * A catalog message whose parameters come from outside (the command parser, the policy file, SORACOM, a Slack
 * error code): every string parameter is escaped as it enters the text.
 */
export function tEscaped(lang: Lang, ref: MessageRef): string {
  const params = ref.params === undefined ? undefined : escapeParams(ref.params);
  return t(lang, params === undefined ? ref.key : { key: ref.key, params });
}

export function escapeParams(params: MessageParams): MessageParams {
  return Object.fromEntries(Object.entries(params).map(([name, value]) => [name, typeof value === 'string' ? escapeMrkdwn(value) : value]));
}

/**
 * Every mrkdwn text the bot sends is `verbatim`: Slack then turns only the bot's own `<…>` sequences into
 * mentions, links and dates, and never a plain `@channel`, `#channel` or URL inside a name or a typed word.
 */
export function section(text: string, blockId?: string): KnownBlock {
  return {
    type: 'section',
    text: { type: 'mrkdwn', text: truncate(text, SECTION_BUDGET), verbatim: true },
    ...(blockId ? { block_id: blockId } : {}),
  };
}

/** One context block; Slack shows at most ten elements, the rest are dropped. */
export function context(...texts: readonly string[]): KnownBlock {
  return {
    type: 'context',
    elements: texts
      .slice(0, SLACK_LIMITS.contextElements)
      .map((text) => ({ type: 'mrkdwn' as const, text: truncate(text, CONTEXT_ELEMENT_BUDGET), verbatim: true })),
  };
}

export function plainText(text: string, max: number): { type: 'plain_text'; text: string; emoji: true } {
  return { type: 'plain_text', text: truncate(text, max), emoji: true };
}

export function button(options: {
  readonly text: string;
  readonly actionId: string;
  readonly value?: string;
  readonly url?: string;
  readonly style?: 'primary' | 'danger';
}): ButtonElement {
  return {
    type: 'button',
    text: plainText(options.text, SLACK_LIMITS.buttonText),
    action_id: options.actionId,
    ...(options.value === undefined ? {} : { value: options.value }),
    ...(options.url === undefined ? {} : { url: options.url }),
    ...(options.style === undefined ? {} : { style: options.style }),
  };
}

export function actions(blockId: string, elements: ButtonElement[]): KnownBlock {
  return { type: 'actions', block_id: blockId, elements };
}

/** A short message (progress, refusal, confirmation): the text, and the same text as one section. */
export function notice(text: string): SlackMessage {
  return { text: truncate(text, SLACK_LIMITS.sectionText), blocks: [section(text)] };
}

const DATE_TOKEN_FORMATS = {
  /** Audit events and probes, which happen seconds apart. */
  seconds: { format: '{date_short_pretty} {time_secs}', fallbackChars: 19 },
  /** Expiries and closes, which people plan around to the minute. */
  minutes: { format: '{date_short_pretty} {time}', fallbackChars: 16 },
} as const;

/**
 * Slack's date token (`<!date^…>`): every reader sees the time in their own zone. The fallback (clients
 * that cannot render it, notifications) is UTC.
 */
export function slackDate(atMs: number, precision: keyof typeof DATE_TOKEN_FORMATS = 'seconds'): string {
  const { format, fallbackChars } = DATE_TOKEN_FORMATS[precision];
  const epochSec = Math.floor(atMs / 1000);
  const fallback = `${isoUtc(atMs).slice(0, fallbackChars).replace('T', ' ')} UTC`;
  return `<!date^${epochSec}^${format}|${fallback}>`;
}

export function mention(userId: string): string {
  return `<@${userId}>`;
}
