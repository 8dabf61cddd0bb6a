import { t } from './i18n/catalog';
import type { Lang } from './i18n/message-ref';
import { formatJstAndUtc } from './time';

/** The fields of SORACOM support's form, in its order, as the person fills them in. */
export const TICKET_FIELDS = ['imsi', 'deviceMaker', 'deviceModel', 'deviceProduct', 'occurredAt', 'reproduce', 'conditions', 'environment', 'tried'] as const;
export type TicketField = (typeof TICKET_FIELDS)[number];
export type TicketForm = Readonly<Record<TicketField, string>>;

/** What support needs filled in, and how long an answer may be (the long ones fit a Slack text input). */
export const TICKET_FIELD_RULES: Readonly<Record<TicketField, { readonly required: boolean; readonly maxLength: number }>> = {
  imsi: { required: true, maxLength: 15 },
  deviceMaker: { required: false, maxLength: 150 },
  deviceModel: { required: false, maxLength: 150 },
  deviceProduct: { required: false, maxLength: 150 },
  occurredAt: { required: true, maxLength: 300 },
  reproduce: { required: true, maxLength: 2900 },
  conditions: { required: false, maxLength: 2900 },
  environment: { required: false, maxLength: 2900 },
  tried: { required: false, maxLength: 2900 },
};

export type TicketFormResult =
  | { readonly ok: true; readonly form: TicketForm }
  /** Field → message, in the person's language. */
  | { readonly ok: false; readonly errors: Record<string, string> };

/** Checks a filled-in form: the required fields, the lengths, and an IMSI of 15 digits. */
export function validateTicketForm(lang: Lang, raw: Readonly<Partial<Record<TicketField, string>>>): TicketFormResult {
  const errors: Record<string, string> = {};
  const form: Record<string, string> = {};
  for (const field of TICKET_FIELDS) {
    const rule = TICKET_FIELD_RULES[field];
    const value = (raw[field] ?? '').trim();
    if (rule.required && value === '') errors[field] = t(lang, 'thread.ticket.error.required');
    else if (value.length > rule.maxLength) errors[field] = t(lang, 'thread.ticket.error.tooLong', { max: rule.maxLength });
    form[field] = value;
  }
  if (errors['imsi'] === undefined && !/^\d{15}$/.test(form['imsi'] ?? '')) errors['imsi'] = t(lang, 'thread.ticket.error.imsi');
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, form: form as TicketForm };
}

/** One thing the bot did on the SIM, as its ledger has it. */
export interface TriedAction {
  readonly kind: string;
  readonly atMs: number;
  readonly devicePort?: number | undefined;
  readonly details?: Readonly<Record<string, unknown>> | undefined;
}

/** What the form starts with, in the person's language; everything stays editable. */
export function prefillTicketForm(
  lang: Lang,
  known: {
    readonly imsi: string | undefined;
    readonly firstEvidenceAtMs: number | undefined;
    readonly devicePort: number | undefined;
    readonly verdictTitle: string;
    readonly tried: readonly TriedAction[];
  },
): Partial<TicketForm> {
  return {
    imsi: known.imsi ?? '',
    occurredAt: known.firstEvidenceAtMs === undefined ? '' : formatJstAndUtc(known.firstEvidenceAtMs),
    reproduce: known.devicePort === undefined ? '' : t(lang, 'thread.ticket.reproducePrefill', { port: known.devicePort }),
    conditions: t(lang, 'thread.ticket.conditionsPrefill', { verdict: known.verdictTitle }),
    tried: known.tried.map((action) => `- ${triedLine(lang, action)}`).join('\n'),
  };
}

function triedLine(lang: Lang, action: TriedAction): string {
  const at = formatJstAndUtc(action.atMs);
  const details = action.details ?? {};
  switch (action.kind) {
    case 'diagnose':
      return t(lang, 'thread.ticket.triedDiagnose', { at, verdict: String(details['verdict'] ?? '?') });
    case 'open':
    case 'reuse':
      return t(lang, 'thread.ticket.triedOpen', {
        at,
        port: action.devicePort ?? '?',
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
