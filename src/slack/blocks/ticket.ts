import type { types } from '@slack/bolt';
import type { Lang } from '../../domain/i18n/message-ref';
import { t } from '../../domain/i18n/catalog';
import type { VerdictId } from '../../domain/diagnosis/types';
import { TICKET_FIELDS, type TicketField, type TicketForm } from '../../domain/ticket';
import { formatJstAndUtc } from '../../domain/time';
import type { TicketPrefill } from '../../use-cases/draft-ticket';
import type { LedgerEntry } from '../../use-cases/ports/store';
import { plainVerdictTitle } from './diagnosis';
import { CALLBACK_IDS } from '../ids';
import {
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

interface FieldSpec {
  readonly label: string;
  readonly multiline: boolean;
  readonly required: boolean;
  readonly maxLength: number;
  readonly hint?: string;
}

const FIELD_SPECS: Readonly<Record<TicketField, Omit<FieldSpec, 'label' | 'hint'> & { hint?: string }>> = {
  imsi: { multiline: false, required: true, maxLength: 15 },
  deviceMaker: { multiline: false, required: false, maxLength: 150 },
  deviceModel: { multiline: false, required: false, maxLength: 150 },
  deviceProduct: { multiline: false, required: false, maxLength: 150 },
  occurredAt: { multiline: false, required: true, maxLength: 300, hint: 'thread.ticket.occurredAtHint' },
  reproduce: { multiline: true, required: true, maxLength: 2900 },
  conditions: { multiline: true, required: false, maxLength: 2900 },
  environment: { multiline: true, required: false, maxLength: 2900 },
  tried: { multiline: true, required: false, maxLength: 2900 },
};

/** The action id of every input; the block id is the field name. */
export const TICKET_INPUT_ACTION_ID = 'value';

/** What the modal carries back on submit; ids only, and short, well under Slack's 3000 characters. */
export interface TicketModalMetadata {
  readonly diagnosisId: string;
  readonly channelId: string;
  readonly threadTs?: string;
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
    return { diagnosisId: d, channelId: c, ...(ts === undefined ? {} : { threadTs: ts }) };
  } catch {
    return undefined;
  }
}

export function buildTicketModal(lang: Lang, prefill: Partial<TicketForm>, metadata: TicketModalMetadata): ModalView {
  const blocks: KnownBlock[] = [section(t(lang, 'thread.ticket.intro'))];
  for (const field of TICKET_FIELDS) {
    const spec = FIELD_SPECS[field];
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

export type TicketFormResult =
  | { readonly ok: true; readonly form: TicketForm }
  /** Block id → message, as `ack({ response_action: 'errors', errors })` takes it. */
  | { readonly ok: false; readonly errors: Record<string, string> };

/** Validates the submitted modal; the errors are in the submitter's language. */
export function readTicketForm(lang: Lang, values: ViewStateValues | undefined): TicketFormResult {
  const errors: Record<string, string> = {};
  const form: Record<string, string> = {};
  for (const field of TICKET_FIELDS) {
    const spec = FIELD_SPECS[field];
    const raw = values?.[field]?.[TICKET_INPUT_ACTION_ID]?.value ?? '';
    const value = raw.trim();
    if (spec.required && value === '') errors[field] = t(lang, 'thread.ticket.error.required');
    else if (value.length > spec.maxLength) errors[field] = t(lang, 'thread.ticket.error.tooLong', { max: spec.maxLength });
    form[field] = value;
  }
  if (errors['imsi'] === undefined && !/^\d{15}$/.test(form['imsi'] ?? '')) errors['imsi'] = t(lang, 'thread.ticket.error.imsi');
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, form: form as TicketForm };
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
  const header = t(lang, 'thread.ticket.posted', { user: input.userId });
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

/** The modal's starting values, in the person's words and language; everything stays editable. */
export function ticketPrefillForm(lang: Lang, verdict: VerdictId, prefill: TicketPrefill): Partial<TicketForm> {
  return {
    imsi: prefill.imsi ?? '',
    occurredAt: prefill.firstEvidenceAtMs === undefined ? '' : formatJstAndUtc(prefill.firstEvidenceAtMs),
    reproduce: prefill.devicePort === undefined ? '' : t(lang, 'thread.ticket.reproducePrefill', { port: prefill.devicePort }),
    conditions: t(lang, 'thread.ticket.conditionsPrefill', { verdict: plainVerdictTitle(lang, verdict) }),
    tried: prefill.tried.map((entry) => `- ${triedLine(lang, entry)}`).join('\n'),
  };
}

function triedLine(lang: Lang, entry: LedgerEntry): string {
  const at = formatJstAndUtc(entry.atMs);
  const details = entry.details ?? {};
  switch (entry.kind) {
    case 'diagnose':
      return t(lang, 'thread.ticket.triedDiagnose', { at, verdict: String(details['verdict'] ?? '?') });
    case 'open':
    case 'reuse':
      return t(lang, 'thread.ticket.triedOpen', {
        at,
        port: entry.devicePort ?? '?',
        tls: t(lang, details['tlsRequired'] === true ? 'thread.events.tlsOn' : 'thread.events.tlsOff'),
      });
    case 'retry':
      return t(lang, 'thread.ticket.triedRetry', { at, what: String(details['what'] ?? details['source'] ?? 'open') });
    case 'close':
      return t(lang, 'thread.ticket.triedClose', { at });
    default:
      return t(lang, 'thread.ticket.triedPeek', { at });
  }
}
