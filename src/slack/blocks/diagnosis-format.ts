import ipaddr from 'ipaddr.js';
import type { types } from '@slack/bolt';
import type { Lang, MessageRef } from '../../domain/i18n/message-ref';
import { t } from '../../domain/i18n/catalog';

/**
 * Small pure helpers shared by the diagnosis, thread, capture and ticket builders: Slack limits,
 * date tokens, masking of addresses for the channel, and splitting long text into sections.
 */

export type KnownBlock = types.KnownBlock;
export type MessageMetadata = types.MessageMetadata;

/** A message as the builders produce it: the caller adds `channel`, `ts`, `thread_ts`. */
export interface SlackMessage {
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

/** `<!date^…>`: every reader sees the time in their own zone; the fallback is UTC. */
export function slackDate(atMs: number, format = '{date_short_pretty} {time_secs}'): string {
  const seconds = Math.floor(atMs / 1000);
  const fallback = `${new Date(atMs).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
  return `<!date^${seconds}^${format}|${fallback}>`;
}

/**
 * The channel sees an address with its host part hidden (`198.51.100.x`, `2001:db8:1::x`): enough to
 * compare with one's own network, not enough to publish a client's address.
 */
export function maskIp(address: string): string {
  const [host, prefix] = address.split('/');
  if (host === undefined || !ipaddr.isValid(host)) return address;
  const parsed = ipaddr.parse(host);
  let masked: string;
  if (parsed.kind() === 'ipv4') {
    masked = `${parsed.toString().split('.').slice(0, 3).join('.')}.x`;
  } else {
    const groups = (parsed as ipaddr.IPv6).toNormalizedString().split(':').slice(0, 3);
    masked = `${groups.map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::x`;
  }
  return prefix === undefined ? masked : `${masked}/${prefix}`;
}

const IPV4_IN_TEXT = /\b(\d{1,3}\.\d{1,3}\.\d{1,3})\.\d{1,3}\b/g;
/** Candidates only: at least two colons and one hex digit; ipaddr.js decides. */
const IPV6_IN_TEXT = /[0-9a-f]*:[0-9a-f:]*:[0-9a-f:.]*/gi;

/** Last line of defence for channel text rendered from catalog messages whose parameters may carry an address. */
export function maskAddressesInText(text: string): string {
  return text
    .replace(IPV4_IN_TEXT, (whole, firstThree: string) => (ipaddr.isValid(whole) ? `${firstThree}.x` : whole))
    .replace(IPV6_IN_TEXT, (whole: string, offset: number, all: string) => {
      const alreadyMasked = all[offset + whole.length] === 'x';
      const isAddress = /[0-9a-f]/i.test(whole) && ipaddr.IPv6.isValid(whole);
      return alreadyMasked || !isAddress ? whole : maskIp(whole);
    });
}

/** Renders a catalog message for the channel: address parameters masked, then the text scanned once more. */
export function tChannel(lang: Lang, ref: MessageRef | string, params?: MessageRef['params']): string {
  const masked = (values: MessageRef['params']): MessageRef['params'] | undefined => {
    if (!values) return undefined;
    const out: Record<string, string | number> = {};
    for (const [name, value] of Object.entries(values)) {
      out[name] = typeof value === 'string' && (ipaddr.isValid(value) || ipaddr.isValidCIDR(value)) ? maskIp(value) : value;
    }
    return out;
  };
  const ref2 = typeof ref === 'string' ? ref : { key: ref.key, ...(ref.params ? { params: masked(ref.params) } : {}) };
  return maskAddressesInText(t(lang, ref2, masked(params)));
}

/** The first 8 characters identify a connection well enough in a table; the full id is in the audit log. */
export function shortConnectionId(connectionId: string): string {
  return connectionId.length <= 8 ? connectionId : connectionId.slice(0, 8);
}

export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, Math.max(0, max - 1))}…`;
}

export function section(text: string, blockId?: string): KnownBlock {
  return {
    type: 'section',
    text: { type: 'mrkdwn', text: truncate(text, SECTION_BUDGET) },
    ...(blockId ? { block_id: blockId } : {}),
  };
}

export function context(texts: readonly string[]): KnownBlock {
  return {
    type: 'context',
    elements: texts.slice(0, SLACK_LIMITS.contextElements).map((text) => ({ type: 'mrkdwn' as const, text: truncate(text, 2900) })),
  };
}

export function plainText(text: string, max: number): { type: 'plain_text'; text: string; emoji: true } {
  return { type: 'plain_text', text: truncate(text, max), emoji: true };
}

/**
 * Joins lines into as few section texts as fit the budget, never splitting a line; a line longer than
 * the budget is cut. The heading starts the first chunk.
 */
export function chunkLines(lines: readonly string[], budget = SECTION_BUDGET, heading?: string, continuedHeading?: string): string[] {
  const chunks: string[] = [];
  let current = heading ?? '';
  for (const raw of lines) {
    const line = truncate(raw, budget - 1 - (continuedHeading?.length ?? 0));
    const candidate = current === '' ? line : `${current}\n${line}`;
    if (candidate.length > budget && current !== '' && current !== heading) {
      chunks.push(current);
      current = continuedHeading ? `${continuedHeading}\n${line}` : line;
    } else if (candidate.length > budget) {
      if (current !== '') chunks.push(current);
      current = line;
    } else {
      current = candidate;
    }
  }
  if (current !== '') chunks.push(current);
  return chunks;
}

function blockChars(block: KnownBlock): number {
  return JSON.stringify(block).length;
}

/** Packs blocks into messages that stay within Slack's block count and a safe character total. */
export function packBlocks(blocks: readonly KnownBlock[], maxBlocks: number = SLACK_LIMITS.blocksPerMessage): KnownBlock[][] {
  const messages: KnownBlock[][] = [];
  let current: KnownBlock[] = [];
  let chars = 0;
  for (const block of blocks) {
    const size = blockChars(block);
    if (current.length > 0 && (current.length >= maxBlocks || chars + size > SLACK_LIMITS.charsPerMessage)) {
      messages.push(current);
      current = [];
      chars = 0;
    }
    current.push(block);
    chars += size;
  }
  if (current.length > 0) messages.push(current);
  return messages;
}
