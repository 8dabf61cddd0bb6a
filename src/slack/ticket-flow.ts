import type { WebClient } from '@slack/web-api';
import { t } from '../domain/i18n/catalog';
import type { Lang } from '../domain/i18n/message-ref';
import { draftSupportTicket, type TicketContext } from '../domain/ticket';
import { formatJstAndUtc, parseWrittenTime } from '../domain/time';
import { diagnosisMetadata, plainVerdictTitle, simLabelText } from './blocks/diagnosis';
import type { SlackMessage } from './blocks/common';
import { buildTicketDraftMessages, type TicketForm } from './blocks/ticket';
import type { LedgerEntry, StoredDiagnosis } from '../use-cases/ports/store';
import { isNotInChannel, simIds, type DiagnoseContext, type DiagnosisRecord } from './diagnosis-flow';

/**
 * The support-ticket draft: what SORACOM support asks for, pre-filled from the diagnosis and the bot's
 * own ledger, edited by the person in a modal, then posted in the thread as text ready to paste.
 * There is no ticket API: the bot drafts, the person files.
 */

const TRIED_KINDS: ReadonlySet<string> = new Set(['open', 'reuse', 'retry', 'close', 'peek', 'diagnose']);
const MAX_TRIED_LINES = 20;

/** The bot's own actions on this SIM since the window began, oldest first. */
async function botActions(ctx: DiagnoseContext, stored: StoredDiagnosis, record: DiagnosisRecord): Promise<LedgerEntry[]> {
  const simId = record.sim.simId;
  const imsi = record.sim.imsi;
  if (simId === undefined && imsi === undefined) return [];
  const filter = simId !== undefined ? { simId } : { imsi: imsi as string };
  return (await ctx.deps.store.ledger.list({ ...filter, sinceMs: stored.windowFromMs, limit: 100 }))
    .filter((entry) => TRIED_KINDS.has(entry.kind))
    .sort((a, b) => a.atMs - b.atMs);
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

/** The modal's starting values; everything stays editable. */
export async function ticketPrefill(ctx: DiagnoseContext, stored: StoredDiagnosis, record: DiagnosisRecord, lang: Lang): Promise<Partial<TicketForm>> {
  const { diagnosis } = record;
  const firstEvidenceMs = diagnosis.evidence.reduce<number | undefined>(
    (first, item) => (first === undefined || item.event.atMs < first ? item.event.atMs : first),
    undefined,
  );
  const tried = (await botActions(ctx, stored, record))
    .slice(-MAX_TRIED_LINES)
    .map((entry) => `- ${triedLine(lang, entry)}`)
    .join('\n');
  const verdict = plainVerdictTitle(lang, diagnosis.verdict);
  const port = diagnosis.mapping?.destination.port;
  return {
    imsi: record.sim.imsi ?? '',
    occurredAt: firstEvidenceMs === undefined ? '' : formatJstAndUtc(firstEvidenceMs),
    reproduce: port === undefined ? '' : t(lang, 'thread.ticket.reproducePrefill', { port }),
    conditions: t(lang, 'thread.ticket.conditionsPrefill', { verdict }),
    tried,
  };
}

async function ticketContext(ctx: DiagnoseContext, stored: StoredDiagnosis, record: DiagnosisRecord, form: TicketForm, lang: Lang): Promise<TicketContext> {
  const startedAtMs = parseWrittenTime(form.occurredAt);
  const conditions = startedAtMs === undefined && form.occurredAt !== '' ? `${form.occurredAt}\n${form.conditions}`.trim() : form.conditions;
  const [peek] = await ctx.deps.store.captures.listByDiagnosis(stored.id);
  return {
    imsi: form.imsi,
    ...(record.sim.simId === undefined ? {} : { simId: record.sim.simId }),
    ...(record.sim.name === undefined || record.sim.name === '' ? {} : { simName: record.sim.name }),
    device: { maker: form.deviceMaker, model: form.deviceModel, productName: form.deviceProduct },
    ...(startedAtMs === undefined ? {} : { troubleStartedAtMs: startedAtMs }),
    details: { howToReproduce: form.reproduce, conditions, environment: form.environment, whatWasTried: form.tried },
    // The modal's "what was tried" already starts from the ledger and the person may have edited it: theirs wins.
    botActions: [],
    ...(peek === undefined ? {} : { packetCapture: { sessionId: peek.sessionId, status: peek.status, startedAtMs: peek.createdAtMs } }),
    verdictText: plainVerdictTitle(lang, record.diagnosis.verdict),
    auditEvents: record.events,
    // The draft is posted where the whole channel reads it; the person adds full addresses when filing.
    maskSourceIps: true,
  };
}

export interface PostTicketRequest {
  readonly stored: StoredDiagnosis;
  readonly record: DiagnosisRecord;
  readonly form: TicketForm;
  readonly userId: string;
  readonly lang: Lang;
  readonly channelId: string;
  readonly threadTs: string | undefined;
}

export type PostTicketOutcome = { readonly kind: 'thread' | 'dm'; readonly ts: string } | { readonly kind: 'failed' };

/** Posts the draft in the diagnosis thread, or to the person's DM with the bot when the thread is out of reach. */
export async function postTicketDraft(ctx: DiagnoseContext, request: PostTicketRequest): Promise<PostTicketOutcome> {
  const { deps, client } = ctx;
  const { stored, record, lang } = request;
  const draft = draftSupportTicket(record.diagnosis, await ticketContext(ctx, stored, record, request.form, lang), lang);
  const metadata = diagnosisMetadata({ diagnosisId: stored.id, diagnosis: record.diagnosis, sim: record.sim });
  const messages = buildTicketDraftMessages(lang, { draft, userId: request.userId, simText: simLabelText(record.sim), metadata });

  let outcome: PostTicketOutcome = { kind: 'failed' };
  if (request.threadTs !== undefined) {
    try {
      const ts = await postAll(client, { channel: request.channelId, thread_ts: request.threadTs }, messages);
      if (ts !== undefined) outcome = { kind: 'thread', ts };
    } catch (error) {
      if (!isNotInChannel(error)) throw error;
    }
  }
  if (outcome.kind === 'failed') {
    const ts = await postAll(client, { channel: request.userId }, messages);
    if (ts !== undefined) outcome = { kind: 'dm', ts };
  }
  await deps.store.ledger.record({
    kind: 'ticket-draft',
    teamId: stored.teamId,
    userId: request.userId,
    channelId: request.channelId,
    ...simIds(record.sim),
    details: { diagnosisId: stored.id, postedTo: outcome.kind },
  });
  return outcome;
}

/** Posts the parts in order; the first one's ts is where the draft starts. */
async function postAll(
  client: WebClient,
  where: { readonly channel: string; readonly thread_ts?: string },
  messages: readonly SlackMessage[],
): Promise<string | undefined> {
  let firstTs: string | undefined;
  for (const message of messages) {
    const posted = await client.chat.postMessage({ ...where, ...message });
    firstTs ??= typeof posted.ts === 'string' ? posted.ts : undefined;
  }
  return firstTs;
}
