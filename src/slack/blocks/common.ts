import type { types } from '@slack/bolt';

/**
 * Small Block Kit helpers shared by every message the bot builds. Slack's limits are enforced here
 * (section text 3000, button text 75, value 2000), so a long SIM name can never make Slack refuse a message.
 */
export type Block = types.KnownBlock;
export type ButtonElement = types.Button;

export interface SlackMessage {
  /** The notification and screen-reader text; always sent along with the blocks. */
  readonly text: string;
  readonly blocks: Block[];
}

const MAX_SECTION_TEXT = 3000;
const MAX_BUTTON_TEXT = 75;

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Neutralises characters that Slack's mrkdwn would read as formatting, links or mentions. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function section(text: string, blockId?: string): Block {
  return {
    type: 'section',
    text: { type: 'mrkdwn', text: truncate(text, MAX_SECTION_TEXT) },
    ...(blockId === undefined ? {} : { block_id: blockId }),
  };
}

export function context(text: string): Block {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: truncate(text, MAX_SECTION_TEXT) }] };
}

export function divider(): Block {
  return { type: 'divider' };
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
    text: { type: 'plain_text', text: truncate(options.text, MAX_BUTTON_TEXT), emoji: true },
    action_id: options.actionId,
    ...(options.value === undefined ? {} : { value: options.value }),
    ...(options.url === undefined ? {} : { url: options.url }),
    ...(options.style === undefined ? {} : { style: options.style }),
  };
}

export function actions(blockId: string, elements: ButtonElement[]): Block {
  return { type: 'actions', block_id: blockId, elements };
}

/**
 * Slack's date token: every reader sees the time in their own zone. The fallback (clients that cannot
 * render it, notifications) is UTC.
 */
export function slackDate(ms: number): string {
  const epochSec = Math.floor(ms / 1000);
  const fallback = `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return `<!date^${epochSec}^{date_short_pretty} {time}|${fallback}>`;
}

export function mention(userId: string): string {
  return `<@${userId}>`;
}

/** An ephemeral reply made only of text, in the user's language. */
export function plainMessage(text: string): SlackMessage {
  return { text, blocks: [section(text)] };
}
