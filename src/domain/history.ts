import type { MessageRef } from './i18n/message-ref';
import { msg } from './i18n/message-ref';
import { isoJst, isoUtc } from './time';

/**
 * `/napter history`: the bot's ledger read back as who did what to which SIM, when, from which source
 * range, joined with the connections the audit log showed on each mapping: the link between a Slack user
 * and a Napter connection that SORACOM alone cannot show, kept beyond the log's 24 hours. Plus the same
 * rows as CSV for audits.
 */

/** The ledger kinds history shows, in the ledger's own words. Other kinds (diagnoses, tickets…) are left out. */
export const HISTORY_ACTIONS = ['open', 'reuse', 'extend', 'close', 'denied', 'ended'] as const;
export type HistoryAction = (typeof HISTORY_ACTIONS)[number];

/**
 * A ledger entry as history reads it: the store's entries fit as they are. `details.how` of an `ended`
 * entry says how (`expired`, `deleted`), `details.reason` of a `denied` one why; other details are not shown.
 */
export interface HistoryLedgerEntry {
  readonly id: string;
  readonly atMs: number;
  readonly kind: string;
  readonly userId: string;
  readonly simId?: string | undefined;
  readonly imsi?: string | undefined;
  readonly mappingId?: string | undefined;
  readonly devicePort?: number | undefined;
  readonly sourceCidr?: string | undefined;
  readonly details?: Readonly<Record<string, unknown>> | undefined;
}

/** What the audit log showed on one mapping (the watch's counts). */
export interface ConnectionCounts {
  readonly access: number;
  readonly connected: number;
}

export interface HistoryRow extends Pick<HistoryLedgerEntry, 'atMs' | 'userId' | 'simId' | 'imsi' | 'mappingId' | 'devicePort' | 'sourceCidr'> {
  readonly action: HistoryAction;
  /**
   * The mapping's connections, on its earliest row in the listing only, so that a column sum counts each
   * mapping once. Absent when the bot has no counts for it (it was not watched).
   */
  readonly connections?: ConnectionCounts | undefined;
  /** `how` of an ended mapping, `reason` of a denial. */
  readonly note?: string | undefined;
  /** What a denial refused (`details.action`: open, close, list…), when the ledger says. */
  readonly deniedAction?: string | undefined;
}

export interface HistoryQuery {
  /** Entries at or after this time (`since <duration>` back from now). */
  readonly sinceMs: number;
  /** One SIM: its SIM ID and every IMSI it holds; absent for every SIM. */
  readonly sim?: { readonly simId?: string; readonly imsis: readonly string[] };
  /** The policy: whether the viewer may see this entry's SIM. */
  readonly visible: (entry: HistoryLedgerEntry) => boolean;
  readonly limit?: number;
}

export interface HistoryListing {
  /** Newest first. */
  readonly rows: readonly HistoryRow[];
  /** Entries of the window the viewer may not see, counted so the listing can say some were left out. */
  readonly hidden: number;
  /** More rows matched than `limit`. */
  readonly truncated: boolean;
}

export const DEFAULT_HISTORY_LIMIT = 50;

const isAction = (kind: string): kind is HistoryAction => (HISTORY_ACTIONS as readonly string[]).includes(kind);

function noteOf(entry: HistoryLedgerEntry): string | undefined {
  const value = entry.kind === 'ended' ? entry.details?.['how'] : entry.kind === 'denied' ? entry.details?.['reason'] : undefined;
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function concernsSim(entry: HistoryLedgerEntry, sim: NonNullable<HistoryQuery['sim']>): boolean {
  return (sim.simId !== undefined && entry.simId === sim.simId) || (entry.imsi !== undefined && sim.imsis.includes(entry.imsi));
}

export function buildHistory(entries: readonly HistoryLedgerEntry[], counts: ReadonlyMap<string, ConnectionCounts>, query: HistoryQuery): HistoryListing {
  const limit = query.limit ?? DEFAULT_HISTORY_LIMIT;
  let hidden = 0;
  const matching: HistoryLedgerEntry[] = [];
  // An Extend deletes the mapping it replaces: its row says so, and a "closed" line beside it would read as if
  // someone had closed the access.
  const replaced = new Set(entries.filter((entry) => entry.kind === 'extend').map((entry) => entry.details?.['replaces']));
  for (const entry of entries) {
    if (!isAction(entry.kind) || entry.atMs < query.sinceMs) continue;
    if (entry.kind === 'close' && entry.mappingId !== undefined && replaced.has(entry.mappingId)) continue;
    if (query.sim !== undefined && !concernsSim(entry, query.sim)) continue;
    if (!query.visible(entry)) {
      hidden += 1;
      continue;
    }
    matching.push(entry);
  }
  // Newest first; equal times keep the ledger's order.
  const ordered = matching.map((entry, index) => ({ entry, index })).sort((a, b) => b.entry.atMs - a.entry.atMs || a.index - b.index);
  const shown = ordered.slice(0, limit).map(({ entry }) => entry);
  const countedMappings = new Set<string>();
  const oldestFirst: HistoryRow[] = [];
  for (const entry of [...shown].reverse()) {
    let connections: ConnectionCounts | undefined;
    if (entry.mappingId !== undefined && !countedMappings.has(entry.mappingId)) {
      connections = counts.get(entry.mappingId);
      if (connections !== undefined) countedMappings.add(entry.mappingId);
    }
    const note = noteOf(entry);
    const deniedAction = entry.kind === 'denied' ? entry.details?.['action'] : undefined;
    oldestFirst.push({
      atMs: entry.atMs,
      action: entry.kind as HistoryAction,
      userId: entry.userId,
      simId: entry.simId,
      imsi: entry.imsi,
      mappingId: entry.mappingId,
      devicePort: entry.devicePort,
      sourceCidr: entry.sourceCidr,
      connections,
      note,
      ...(typeof deniedAction === 'string' && deniedAction !== '' ? { deniedAction } : {}),
    });
  }
  return { rows: oldestFirst.reverse(), hidden, truncated: ordered.length > limit };
}

export interface HistoryTextRender {
  /** A time, e.g. Slack's `<!date^…>` token. */
  time(ms: number): string;
  /** The SIM as the viewer knows it (its name, else its SIM ID or IMSI). */
  sim(row: HistoryRow): string;
}

/** One row as catalog messages (area `history`): the sentence, then the mapping's connections when it has them. */
export function historyRowMessages(row: HistoryRow, render: HistoryTextRender): MessageRef[] {
  const kind = row.action === 'ended' ? (row.note === 'deleted' ? 'deleted' : 'expired') : row.action;
  const params = { at: render.time(row.atMs), user: `<@${row.userId}>`, sim: render.sim(row), port: row.devicePort ?? '?', source: row.sourceCidr ?? '?' };
  // A refused open says what was asked for; any other refused command says which one it was.
  const sentence =
    kind === 'denied' && row.deniedAction !== undefined && row.deniedAction !== 'open'
      ? msg('history.row.denied-action', { ...params, action: row.deniedAction })
      : msg(`history.row.${kind}`, params);
  return row.connections === undefined ? [sentence] : [sentence, msg('history.connections', { ...row.connections })];
}

// ── CSV ────────────────────────────────────────────────────────────────────────────────────────────

/** Stable, machine-readable column names: an audit script reads them whatever the viewer's language. */
export const HISTORY_CSV_COLUMNS = [
  'time_utc',
  'time_jst',
  'action',
  'slack_user_id',
  'sim_id',
  'imsi',
  'device_port',
  'source_range',
  'mapping_id',
  'napter_access',
  'napter_connected',
  'note',
] as const;

/**
 * A spreadsheet reads a cell starting with one of these as a formula (CSV injection, OWASP): such a cell
 * gets a leading apostrophe, which spreadsheets show as text and do not evaluate.
 */
const FORMULA_LEADS = ['=', '+', '-', '@', '\t', '\r'];

export function neutraliseFormula(cell: string): string {
  return FORMULA_LEADS.some((lead) => cell.startsWith(lead)) ? `'${cell}` : cell;
}

/** RFC 4180: a field with a comma, a double quote, CR or LF is quoted, its quotes doubled. */
export function csvField(cell: string): string {
  return /[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

/** The rows as an RFC 4180 CSV document (CRLF line breaks, a header line), every cell safe to open in a spreadsheet. */
export function historyCsv(rows: readonly HistoryRow[]): string {
  const lines = [HISTORY_CSV_COLUMNS.join(',')];
  for (const row of rows) {
    const cells = [
      isoUtc(row.atMs),
      isoJst(row.atMs),
      row.action,
      row.userId,
      row.simId ?? '',
      row.imsi ?? '',
      row.devicePort === undefined ? '' : String(row.devicePort),
      row.sourceCidr ?? '',
      row.mappingId ?? '',
      row.connections === undefined ? '' : String(row.connections.access),
      row.connections === undefined ? '' : String(row.connections.connected),
      row.note ?? '',
    ];
    lines.push(cells.map((cell) => csvField(neutraliseFormula(cell))).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

// ── connection counts ─────────────────────────────────────────────────────────────────────────────

/** A mapping's life as the audit log is matched against it: its SIM's IMSIs, its device port, open to end. */
export interface MappingLifetime {
  readonly mappingId: string;
  readonly imsis: readonly string[];
  readonly devicePort: number;
  readonly fromMs: number;
  readonly toMs: number;
}

/** What the audit log needs to say of an event to be counted: its type, time, IMSI and device port. */
export interface CountedEvent {
  readonly type: string;
  readonly atMs: number;
  readonly imsi: string;
  readonly destinationPort: number | undefined;
}

/**
 * ACCESS and CONNECTED events per mapping: an event counts for a mapping of its IMSI whose life holds its
 * time, on the mapping's device port (an entry that names no port counts for any of the SIM's mappings).
 */
export function countConnections(events: readonly CountedEvent[], lifetimes: readonly MappingLifetime[]): Map<string, ConnectionCounts> {
  const counts = new Map<string, { access: number; connected: number }>();
  for (const lifetime of lifetimes) counts.set(lifetime.mappingId, { access: 0, connected: 0 });
  for (const event of events) {
    if (event.type !== 'ACCESS' && event.type !== 'CONNECTED') continue;
    for (const lifetime of lifetimes) {
      if (!lifetime.imsis.includes(event.imsi) || event.atMs < lifetime.fromMs || event.atMs > lifetime.toMs) continue;
      if (event.destinationPort !== undefined && event.destinationPort !== lifetime.devicePort) continue;
      const count = counts.get(lifetime.mappingId);
      if (count === undefined) continue;
      if (event.type === 'ACCESS') count.access += 1;
      else count.connected += 1;
    }
  }
  return counts;
}
