import { causeMessage, verdictTitle } from './diagnosis/labels';
import type { Diagnosis } from './diagnosis/types';
import { hasMessage, t } from './i18n/catalog';
import type { Lang, MessageKey } from './i18n/message-ref';
import { maskIp } from './net/address';
import type { AuditEvent } from './soracom';
import { formatJst, formatJstAndUtc, formatUtc } from './time';

/**
 * The support-ticket draft: plain text, ready to paste into a SORACOM support ticket, with every item
 * the troubleshooting guide asks for (its closing list): the IMSI; the device's maker, model and product
 * name; when the trouble happened; the audit-log output; the details (how to reproduce, conditions,
 * environment, what was tried); the packet capture if there is one. Then the bot's own reading.
 * What the bot cannot know is left as a marked blank. There is no ticket API: the bot drafts, the person files.
 *
 * Times are given in JST and UTC, computed from the instant alone (Japan has no daylight saving time),
 * never from the machine's time zone. The Napter endpoint (public IP, port, hostname) is left out: SORACOM
 * asks that it not be published, and the draft is posted in a Slack thread. The Peek download URL is left
 * out too: it expires within minutes.
 */

export interface TicketBotAction {
  readonly atMs: number;
  /** What the bot did: `open`, `retry`, `close`, `diagnose`, `probe`, `peek`… */
  readonly kind: string;
  /** One line, already in the reader's language. */
  readonly summary: string;
}

export interface TicketContext {
  readonly imsi: string | undefined;
  readonly simId?: string | undefined;
  readonly simName?: string | undefined;
  readonly device: { readonly maker?: string | undefined; readonly model?: string | undefined; readonly productName?: string | undefined };
  readonly troubleStartedAtMs?: number | undefined;
  readonly details: {
    readonly howToReproduce?: string | undefined;
    readonly conditions?: string | undefined;
    readonly environment?: string | undefined;
    readonly whatWasTried?: string | undefined;
  };
  /** The bot's own opens, retries and probes for this SIM: part of "what was tried". */
  readonly botActions: readonly TicketBotAction[];
  readonly packetCapture?:
    | {
        readonly sessionId: string;
        readonly status: string;
        readonly startedAtMs?: number | undefined;
        readonly endedAtMs?: number | undefined;
      }
    | undefined;
  /** The verdict as the reader saw it; the catalog's verdict title when absent. */
  readonly verdictText?: string | undefined;
  /** The window's audit events as the caller has them (all, or the newest it kept); the diagnosis's evidence events otherwise. */
  readonly auditEvents?: readonly AuditEvent[] | undefined;
  /** Mask client addresses (`203.0.113.x`), for a draft shown where others can read it. Off by default: support needs them. */
  readonly maskSourceIps?: boolean | undefined;
}

const MAX_AUDIT_ROWS = 50;

const WIDE_CHARACTER =
  /[\u1100-\u115F\u2E80-\u303E\u3041-\u33FF\u3400-\u4DBF\u4E00-\u9FFF\uA000-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6]/u;

/** Columns as a monospace font shows them: CJK and full-width characters take two. */
function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) width += WIDE_CHARACTER.test(char) || (char.codePointAt(0) ?? 0) > 0xffff ? 2 : 1;
  return width;
}

function padEnd(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((cell, column) => Math.max(displayWidth(cell), ...rows.map((row) => displayWidth(row[column] ?? ''))));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : padEnd(cell, widths[column] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)];
}

/** A free-text answer, or the marked blank; continuation lines are indented under their label. */
function answer(lang: Lang, value: string | undefined): string {
  const trimmed = value?.trim();
  if (trimmed === undefined || trimmed === '') return t(lang, 'ticket.blank');
  return trimmed.replace(/\r?\n/g, '\n    ');
}

function field(lang: Lang, labelKey: MessageKey, value: string): string {
  return `${t(lang, labelKey)}: ${value}`;
}

const identityOf = (event: AuditEvent): string => `${event.connectionId}|${event.type}|${event.atMs}`;

function auditEventsOf(diagnosis: Diagnosis, context: TicketContext): AuditEvent[] {
  // The caller's events may be capped to the newest: the evidence is added so it is never missing.
  const evidence = diagnosis.evidence.map((item) => item.event);
  const source = context.auditEvents === undefined ? evidence : [...context.auditEvents, ...evidence];
  const seen = new Set<string>();
  const unique: AuditEvent[] = [];
  for (const event of source) {
    const identity = identityOf(event);
    if (seen.has(identity)) continue;
    seen.add(identity);
    unique.push(event);
  }
  return unique.sort((a, b) => a.atMs - b.atMs);
}

/**
 * The excerpt support reads: every event the diagnosis relied on, then the newest ones up to the cap —
 * the trouble is what happened last, so it is never the part left out.
 */
function auditExcerpt(diagnosis: Diagnosis, events: readonly AuditEvent[]): AuditEvent[] {
  if (events.length <= MAX_AUDIT_ROWS) return [...events];
  const evidence = new Set(diagnosis.evidence.map((item) => identityOf(item.event)));
  const kept = new Set(events.filter((event) => evidence.has(identityOf(event))).slice(-MAX_AUDIT_ROWS));
  for (let index = events.length - 1; index >= 0 && kept.size < MAX_AUDIT_ROWS; index -= 1) {
    const event = events[index];
    if (event !== undefined) kept.add(event);
  }
  return events.filter((event) => kept.has(event));
}

function auditSection(lang: Lang, diagnosis: Diagnosis, context: TicketContext): string[] {
  const events = auditEventsOf(diagnosis, context);
  const lines = [field(lang, 'ticket.field.window', `${formatJstAndUtc(diagnosis.window.fromMs)} – ${formatJstAndUtc(diagnosis.window.toMs)}`)];
  if (events.length === 0) return [...lines, t(lang, 'ticket.audit.empty')];
  const total = Math.max(diagnosis.eventCount ?? events.length, events.length);
  const shown = auditExcerpt(diagnosis, events);
  const showIp = (ip: string | undefined): string => (ip === undefined ? '-' : context.maskSourceIps ? maskIp(ip) : ip);
  const rows: string[][] = [];
  /** Before which row a gap line goes, and how many events it stands for. */
  const gaps = new Map<number, number>();
  let previousIndex = -1;
  for (const event of shown) {
    const index = events.indexOf(event);
    // Where the excerpt skips events, say how many: a reader must not take two rows for consecutive ones.
    if (index - previousIndex > 1) gaps.set(rows.length, index - previousIndex - 1);
    previousIndex = index;
    rows.push([
      formatJst(event.atMs),
      formatUtc(event.atMs),
      event.type,
      event.connectionId === '' ? '-' : event.connectionId,
      showIp(event.sourceIp),
      event.destinationPort === undefined ? '-' : String(event.destinationPort),
      event.tls ? 'true' : 'false',
    ]);
  }
  const header = (['time-jst', 'time', 'type', 'connection', 'source-ip', 'device-port', 'tls'] as const).map((column) => t(lang, `ticket.column.${column}`));
  const heading =
    shown.length === total
      ? t(lang, 'ticket.audit.all-events', { total })
      : t(lang, context.auditEvents ? 'ticket.audit.excerpt' : 'ticket.audit.evidence-events', { shown: shown.length, total });
  const [headerLine = '', ruleLine = '', ...rowLines] = table(header, rows);
  lines.push(heading, '', headerLine, ruleLine);
  rowLines.forEach((line, index) => {
    const skipped = gaps.get(index);
    if (skipped !== undefined) lines.push(t(lang, 'ticket.audit.gap', { count: skipped }));
    lines.push(line);
  });
  return lines;
}

function timeSection(lang: Lang, diagnosis: Diagnosis, context: TicketContext): string[] {
  const started = context.troubleStartedAtMs === undefined ? t(lang, 'ticket.blank') : formatJstAndUtc(context.troubleStartedAtMs);
  const lines = [field(lang, 'ticket.field.trouble-started', started)];
  const first = auditEventsOf(diagnosis, context)[0];
  if (context.troubleStartedAtMs === undefined && first !== undefined) {
    lines.push(t(lang, 'ticket.time.first-event-hint', { time: formatJstAndUtc(first.atMs) }));
  }
  return lines;
}

function detailsSection(lang: Lang, context: TicketContext): string[] {
  const lines = [
    field(lang, 'ticket.field.how-to-reproduce', answer(lang, context.details.howToReproduce)),
    field(lang, 'ticket.field.conditions', answer(lang, context.details.conditions)),
    field(lang, 'ticket.field.environment', answer(lang, context.details.environment)),
    field(lang, 'ticket.field.what-was-tried', answer(lang, context.details.whatWasTried)),
  ];
  if (context.botActions.length > 0) {
    lines.push(`${t(lang, 'ticket.field.bot-actions')}:`);
    const sorted = [...context.botActions].sort((a, b) => a.atMs - b.atMs);
    for (const action of sorted) lines.push(`  - ${formatUtc(action.atMs)}  ${action.kind}: ${action.summary.replace(/\s+/g, ' ').trim()}`);
  }
  return lines;
}

function packetCaptureSection(lang: Lang, context: TicketContext): string[] {
  const capture = context.packetCapture;
  if (capture === undefined) return [t(lang, 'ticket.peek.none')];
  const when = (ms: number | undefined): string => (ms === undefined ? '-' : formatJstAndUtc(ms));
  return [
    field(lang, 'ticket.field.peek-session', capture.sessionId),
    field(lang, 'ticket.field.peek-status', capture.status),
    field(lang, 'ticket.field.peek-started', when(capture.startedAtMs)),
    field(lang, 'ticket.field.peek-ended', when(capture.endedAtMs)),
    t(lang, 'ticket.peek.attach'),
  ];
}

function bulletList(lines: readonly string[]): string[] {
  return lines.map((line) => `  - ${line}`);
}

function readingSection(lang: Lang, diagnosis: Diagnosis, context: TicketContext): string[] {
  const title = verdictTitle(diagnosis.verdict);
  const verdictName = context.verdictText ?? (hasMessage(title.key) ? t(lang, title) : diagnosis.verdict);
  const lines = [field(lang, 'ticket.field.verdict', `${verdictName} (${diagnosis.verdict})`), field(lang, 'ticket.field.summary', t(lang, diagnosis.summary))];
  const causes = diagnosis.causes.map((cause) => {
    const ref = causeMessage(cause);
    return hasMessage(ref.key) ? t(lang, ref) : cause;
  });
  if (causes.length > 0) lines.push(`${t(lang, 'ticket.field.causes')}:`, ...bulletList(causes));
  if (diagnosis.nextSteps.length > 0) {
    lines.push(`${t(lang, 'ticket.field.next-steps')}:`, ...bulletList(diagnosis.nextSteps.map((step) => t(lang, step))));
  }
  if (diagnosis.notes.length > 0) {
    lines.push(`${t(lang, 'ticket.field.notes')}:`, ...bulletList(diagnosis.notes.map((note) => t(lang, note))));
  }
  const mapping = diagnosis.mapping;
  if (mapping !== undefined) {
    const sources = mapping.sourceIpRanges.map((range) => (context.maskSourceIps ? maskIp(range.split('/')[0] ?? '') : range));
    lines.push(
      `${t(lang, 'ticket.field.mapping')}:`,
      `  ${field(lang, 'ticket.mapping.device-port', String(mapping.destination.port))}`,
      `  ${field(lang, 'ticket.mapping.tls', t(lang, mapping.tlsRequired ? 'ticket.on' : 'ticket.off'))}`,
      `  ${field(lang, 'ticket.mapping.sources', sources.length > 0 ? sources.join(', ') : '-')}`,
      `  ${field(lang, 'ticket.mapping.created', formatJstAndUtc(mapping.createdAtMs))}`,
      `  ${field(lang, 'ticket.mapping.expires', formatJstAndUtc(mapping.expiresAtMs))}`,
    );
  }
  if (diagnosis.observedSources.length > 0) {
    lines.push(`${t(lang, 'ticket.field.observed-sources')}:`);
    for (const observed of diagnosis.observedSources) {
      const types = Object.entries(observed.types)
        .map(([type, count]) => `${type}×${count}`)
        .join(', ');
      const ip = context.maskSourceIps ? maskIp(observed.ip) : observed.ip;
      const admitted = t(lang, observed.admitted ? 'ticket.source.admitted' : 'ticket.source.not-admitted');
      const likely = observed.likelyUser ? ` ${t(lang, 'ticket.source.likely-user')}` : '';
      lines.push(`  - ${ip}: ${types}; ${admitted}${likely}`);
    }
  }
  return lines;
}

/** The whole draft in `lang`, as plain text (no Slack markup) for pasting into SORACOM's support form. */
export function draftSupportTicket(diagnosis: Diagnosis, context: TicketContext, lang: Lang): string {
  const blank = t(lang, 'ticket.blank');
  const known = (value: string | undefined): string => (value === undefined || value.trim() === '' ? blank : value.trim());
  const section = (titleKey: MessageKey, lines: readonly string[]): string => [`■ ${t(lang, titleKey)}`, ...lines].join('\n');
  return [
    [t(lang, 'ticket.title'), t(lang, 'ticket.intro')].join('\n'),
    section('ticket.section.imsi', [
      field(lang, 'ticket.field.imsi', known(context.imsi)),
      field(lang, 'ticket.field.sim-id', known(context.simId)),
      field(lang, 'ticket.field.sim-name', known(context.simName)),
    ]),
    section('ticket.section.device', [
      field(lang, 'ticket.field.maker', answer(lang, context.device.maker)),
      field(lang, 'ticket.field.model', answer(lang, context.device.model)),
      field(lang, 'ticket.field.product-name', answer(lang, context.device.productName)),
    ]),
    section('ticket.section.time', timeSection(lang, diagnosis, context)),
    section('ticket.section.audit-log', auditSection(lang, diagnosis, context)),
    section('ticket.section.details', detailsSection(lang, context)),
    section('ticket.section.packet-capture', packetCaptureSection(lang, context)),
    section('ticket.section.reading', readingSection(lang, diagnosis, context)),
  ].join('\n\n');
}
