import ipaddr from 'ipaddr.js';
import { t } from '../text';
import type { Lang, MessageKey, MessageParam, MessageRef } from '../../domain/i18n/message-ref';
import { maskAddressesInText, maskIp } from '../../domain/net/address';
import { escapeParams, SECTION_BUDGET, SLACK_LIMITS, truncate, type KnownBlock } from './common';

/**
 * Text the diagnosis, thread, capture and ticket builders show in the channel: addresses masked, long
 * lists split into sections and messages that stay within Slack's limits.
 */

/**
 * Renders a catalog message for the channel: address parameters masked, then the text scanned once more. The
 * parameters of `ref` come from the core (values it read from SORACOM) and are escaped for mrkdwn; `params`
 * are the builder's own, already in mrkdwn.
 */
export function tChannel(lang: Lang, ref: MessageRef | MessageKey, params?: MessageRef['params']): string {
  const masked = (values: MessageRef['params']): MessageRef['params'] | undefined => {
    if (!values) return undefined;
    const out: Record<string, MessageParam> = {};
    for (const [name, value] of Object.entries(values)) {
      out[name] = typeof value === 'string' && (ipaddr.isValid(value) || ipaddr.isValidCIDR(value)) ? maskIp(value) : value;
    }
    return out;
  };
  const ref2: MessageRef | MessageKey =
    typeof ref === 'string' ? ref : { key: ref.key, ...(ref.params ? { params: escapeParams(masked(ref.params) ?? {}) } : {}) };
  return maskAddressesInText(t(lang, ref2, masked(params)));
}

/** The first 8 characters identify a connection well enough in a table; the full id is in the audit log. */
export function shortConnectionId(connectionId: string): string {
  return connectionId.length <= 8 ? connectionId : connectionId.slice(0, 8);
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
