import type { types } from '@slack/bolt';
import type { Lang, MessageKey } from '../../domain/i18n/message-ref';
import { t } from '../text';
import { TICKET_FIELD_RULES, TICKET_FIELDS, type TicketField, type TicketForm, type TicketFormResult, validateTicketForm } from '../../domain/ticket-form';
import { CALLBACK_IDS } from '../ids';
import {
  mention,
  context,
  escapeMrkdwnLines,
  plainText,
  section,
  SECTION_BUDGET,
  SLACK_LIMITS,
  truncate,
  type KnownBlock,
  type MessageMetadata,
  type SlackMessage,
} from './common';
import { chunkLines, packBlocks } from './diagnosis-format';

/**
 * The support-ticket modal (what SORACOM support asks for, pre-filled from the diagnosis) and the draft
 * posted in the thread. Parsing the submitted state is pure and lives here, next to the ids it reads.
 */

export type ModalView = types.ModalView;

/** How each field shows in the modal; what it must hold is the domain's (`TICKET_FIELD_RULES`). */
const FIELD_UI: Readonly<Record<TicketField, { readonly multiline: boolean; readonly hint?: MessageKey }>> = {
  imsi: { multiline: false },
  deviceMaker: { multiline: false },
  deviceModel: { multiline: false },
  deviceProduct: { multiline: false },
  occurredAt: { multiline: false, hint: 'thread.ticket.occurredAtHint' },
  reproduce: { multiline: true },
  conditions: { multiline: true },
  environment: { multiline: true },
  tried: { multiline: true },
};

/** The action id of every input; the block id is the field name. */
export const TICKET_INPUT_ACTION_ID = 'value';

/** What the modal carries back on submit; ids only, and short, well under Slack's 3000 characters. */
export interface TicketModalMetadata {
  readonly diagnosisId: string;
  readonly channelId: string;
  readonly threadTs?: string | undefined;
}

export function encodeTicketMetadata(metadata: TicketModalMetadata): string {
  const encoded = JSON.stringify({ d: metadata.diagnosisId, c: metadata.channelId, ...(metadata.threadTs ? { t: metadata.threadTs } : {}) });
  if (encoded.length > 3000) throw new RangeError('private_metadata over 3000 characters');
  return encoded;
}

export function decodeTicketMetadata(raw: string | undefined): TicketModalMetadata | undefined {
  if (raw === undefined || raw.length > 3000) return undefined;
  try {
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const { d, c, t: ts } = parsed as Record<string, unknown>;
    if (typeof d !== 'string' || d === '' || d.length > 64 || typeof c !== 'string' || c === '') return undefined;
    if (ts !== undefined && typeof ts !== 'string') return undefined;
    return { diagnosisId: d, channelId: c, threadTs: ts };
  } catch {
    return undefined;
  }
}

export function buildTicketModal(lang: Lang, prefill: Partial<TicketForm>, metadata: TicketModalMetadata): ModalView {
  const blocks: KnownBlock[] = [section(t(lang, 'thread.ticket.intro'))];
  for (const field of TICKET_FIELDS) {
    const spec = { ...FIELD_UI[field], ...TICKET_FIELD_RULES[field] };
    const initial = prefill[field];
    blocks.push({
      type: 'input',
      block_id: field,
      optional: !spec.required,
      label: plainText(t(lang, `thread.ticket.${field}`), 2000),
      ...(spec.hint === undefined ? {} : { hint: plainText(t(lang, spec.hint), 2000) }),
      element: {
        type: 'plain_text_input',
        action_id: TICKET_INPUT_ACTION_ID,
        multiline: spec.multiline,
        max_length: spec.maxLength,
        ...(initial === undefined || initial === '' ? {} : { initial_value: truncate(initial, spec.maxLength) }),
      },
    });
  }
  return {
    type: 'modal',
    callback_id: CALLBACK_IDS.ticketModal,
    private_metadata: encodeTicketMetadata(metadata),
    title: plainText(t(lang, 'thread.ticket.modalTitle'), 24),
    submit: plainText(t(lang, 'thread.ticket.submit'), 24),
    close: plainText(t(lang, 'thread.ticket.close'), 24),
    blocks,
  };
}

/** `view.state.values` as Slack sends it: block id → action id → element state. */
export type ViewStateValues = Readonly<Record<string, Readonly<Record<string, { readonly value?: string | null } | undefined>>>>;

/** Reads the submitted modal and checks it; the errors are in the submitter's language. */
export function readTicketForm(lang: Lang, values: ViewStateValues | undefined): TicketFormResult {
  const raw = Object.fromEntries(TICKET_FIELDS.map((field) => [field, values?.[field]?.[TICKET_INPUT_ACTION_ID]?.value ?? '']));
  return validateTicketForm(lang, raw);
}

/**
 * The draft as text ready to paste: code blocks (so Slack does not reformat it), split across sections
 * and messages to stay within Slack's limits, each part numbered when there is more than one.
 */
export function buildTicketDraftMessages(
  lang: Lang,
  input: { readonly draft: string; readonly userId: string; readonly simText: string; readonly metadata?: MessageMetadata },
): SlackMessage[] {
  const fence = '```';
  const budget = SECTION_BUDGET - fence.length * 2 - 2;
  // The draft quotes the person's text, the SIM's name and SORACOM's log: all of it inert, line breaks kept.
  const lines = escapeMrkdwnLines(input.draft).split('\n');
  const codeBlocks = chunkLines(lines, budget).map((chunk) => section(`${fence}\n${chunk}\n${fence}`));
  // Room for the header and footer that each message gets.
  const groups = packBlocks(codeBlocks, SLACK_LIMITS.blocksPerMessage - 2);
  const header = t(lang, 'thread.ticket.posted', { user: mention(input.userId) });
  const fallback = t(lang, 'thread.ticket.fallback', { sim: input.simText });
  const messages = groups.map((group, index): SlackMessage => {
    const part = index + 1;
    const title = groups.length > 1 ? `${header} ${t(lang, 'thread.ticket.partOf', { part, parts: groups.length })}` : header;
    return {
      text: fallback,
      blocks: [section(title), ...group, context(fallback)],
      ...(input.metadata === undefined ? {} : { metadata: input.metadata }),
    };
  });
  return messages;
}
