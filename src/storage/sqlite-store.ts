import { createHash, randomBytes, randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import type { Clock } from '../common/clock';
import { NapterBotError } from '../common/errors';
import { MIGRATIONS, type Migration } from './migrations';
import {
  IN_FLIGHT_STATES,
  IP_CAPTURE_TTL_MS,
  type DiagnosisInput,
  type DiagnosisPatch,
  type IdempotencyClaim,
  type InFlight,
  type InFlightFilter,
  type InFlightInput,
  type InFlightPatch,
  type InFlightState,
  type IpCapture,
  type IpCaptureInput,
  type IpCaptureLookup,
  type LastConfirmedIp,
  type LedgerEntry,
  type LedgerFilter,
  type LedgerInput,
  type LedgerKind,
  type MappingFilter,
  type MappingInput,
  type NapterStore,
  type PeekInput,
  type PeekPatch,
  type SlackMessageRef,
  type SlackUserRef,
  type StoredDiagnosis,
  type StoredMapping,
  type StoredPeek,
} from './types';

export class StoreError extends NapterBotError {}

export interface OpenStoreOptions {
  /** A file path, or ':memory:' for tests. */
  readonly path: string;
  readonly clock: Clock;
  /** Applied instead of the built-in list; tests use it to check upgrades. */
  readonly migrations?: readonly Migration[];
}

/** 32 random bytes: 256 bits, base64url without padding (43 characters). */
const TOKEN_BYTES = 32;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const DEFAULT_LEDGER_LIMIT = 100;
/** Another process (a second bot instance, an admin's sqlite3 shell) may hold the write lock briefly. */
const BUSY_TIMEOUT_MS = 5000;

type Row = Record<string, unknown>;

export function openStore(options: OpenStoreOptions): NapterStore {
  let db: Database.Database;
  try {
    db = new Database(options.path);
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = NORMAL');
    migrate(db, options.migrations ?? MIGRATIONS, options.clock);
  } catch (cause) {
    throw new StoreError(
      'STORE_OPEN_FAILED',
      `Cannot open the bot's database at ${options.path} (NAPTER_DB): ${cause instanceof Error ? cause.message : String(cause)}. Check that the directory exists and is writable.`,
      { cause },
    );
  }
  return new SqliteStore(db, options.clock);
}

function migrate(db: Database.Database, migrations: readonly Migration[], clock: Clock): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at_ms INTEGER NOT NULL)');
  const currentVersion = () => (db.prepare('SELECT MAX(version) AS version FROM schema_version').get() as { version: number | null }).version ?? 0;
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    // IMMEDIATE takes the write lock first, so two processes starting together cannot both apply a migration.
    db.transaction(() => {
      if (currentVersion() >= migration.version) return;
      db.exec(migration.sql);
      db.prepare('INSERT INTO schema_version (version, applied_at_ms) VALUES (?, ?)').run(migration.version, clock.nowMs());
    }).immediate();
  }
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

const json = (value: unknown): string | null => (value === undefined ? null : JSON.stringify(value));
const parseJson = (text: unknown): unknown => (typeof text === 'string' ? JSON.parse(text) : undefined);
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const num = (value: unknown): number | undefined => (typeof value === 'number' ? value : typeof value === 'bigint' ? Number(value) : undefined);
const requiredStr = (row: Row, column: string): string => {
  const value = row[column];
  if (typeof value !== 'string') throw new StoreError('STORE_CORRUPT', `Column ${column} is not text in a stored row`);
  return value;
};
const requiredNum = (row: Row, column: string): number => {
  const value = num(row[column]);
  if (value === undefined) throw new StoreError('STORE_CORRUPT', `Column ${column} is not a number in a stored row`);
  return value;
};
/** Leaves out absent optional fields, so stored objects compare equal to what was saved. */
function defined<T extends object>(value: { readonly [K in keyof T]-?: T[K] | undefined }): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

class SqliteStore implements NapterStore {
  constructor(
    private readonly db: Database.Database,
    private readonly clock: Clock,
  ) {}

  recordLedger(entry: LedgerInput): LedgerEntry {
    const stored = defined<LedgerEntry>({ ...entry, id: randomUUID(), atMs: this.clock.nowMs() } as Parameters<typeof defined<LedgerEntry>>[0]);
    this.db
      .prepare(
        `INSERT INTO ledger (id, at_ms, kind, team_id, user_id, channel_id, sim_id, imsi, mapping_id, device_port, source_cidr, details_json)
         VALUES (@id, @atMs, @kind, @teamId, @userId, @channelId, @simId, @imsi, @mappingId, @devicePort, @sourceCidr, @details)`,
      )
      .run({
        id: stored.id,
        atMs: stored.atMs,
        kind: stored.kind,
        teamId: stored.teamId,
        userId: stored.userId,
        channelId: stored.channelId ?? null,
        simId: stored.simId ?? null,
        imsi: stored.imsi ?? null,
        mappingId: stored.mappingId ?? null,
        devicePort: stored.devicePort ?? null,
        sourceCidr: stored.sourceCidr ?? null,
        details: json(stored.details),
      });
    return stored;
  }

  listLedger(filter: LedgerFilter = {}): LedgerEntry[] {
    const where: string[] = [];
    const params: Record<string, unknown> = { limit: filter.limit ?? DEFAULT_LEDGER_LIMIT };
    const equal = (column: string, name: string, value: unknown) => {
      if (value === undefined) return;
      where.push(`${column} = @${name}`);
      params[name] = value;
    };
    equal('sim_id', 'simId', filter.simId);
    equal('imsi', 'imsi', filter.imsi);
    equal('user_id', 'userId', filter.userId);
    equal('mapping_id', 'mappingId', filter.mappingId);
    if (filter.sinceMs !== undefined) {
      where.push('at_ms >= @sinceMs');
      params.sinceMs = filter.sinceMs;
    }
    const rows = this.db
      .prepare(`SELECT * FROM ledger ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY at_ms DESC, rowid DESC LIMIT @limit`)
      .all(params) as Row[];
    return rows.map((row) =>
      defined({
        id: requiredStr(row, 'id'),
        atMs: requiredNum(row, 'at_ms'),
        kind: requiredStr(row, 'kind') as LedgerKind,
        teamId: requiredStr(row, 'team_id'),
        userId: requiredStr(row, 'user_id'),
        channelId: str(row.channel_id),
        simId: str(row.sim_id),
        imsi: str(row.imsi),
        mappingId: str(row.mapping_id),
        devicePort: num(row.device_port),
        sourceCidr: str(row.source_cidr),
        details: parseJson(row.details_json) as Record<string, unknown> | undefined,
      }),
    );
  }

  saveMapping(mapping: MappingInput): StoredMapping {
    const id = randomUUID();
    this.db
      .prepare(
        `INSERT INTO mappings (id, sim_id, imsi, ip_address, port, hostname, device_port, tls_required, source_cidr, duration_sec,
           created_at_ms, expires_at_ms, opened_by_team_id, opened_by_user_id, channel_id, request_key)
         VALUES (@id, @simId, @imsi, @ipAddress, @port, @hostname, @devicePort, @tlsRequired, @sourceCidr, @durationSec,
           @createdAtMs, @expiresAtMs, @teamId, @userId, @channelId, @requestKey)`,
      )
      .run({
        id,
        simId: mapping.simId ?? null,
        imsi: mapping.imsi ?? null,
        ipAddress: mapping.ipAddress,
        port: mapping.port,
        hostname: mapping.hostname ?? null,
        devicePort: mapping.devicePort,
        tlsRequired: mapping.tlsRequired ? 1 : 0,
        sourceCidr: mapping.sourceCidr,
        durationSec: mapping.durationSec,
        createdAtMs: mapping.createdAtMs,
        expiresAtMs: mapping.expiresAtMs,
        teamId: mapping.openedBy.teamId,
        userId: mapping.openedBy.userId,
        channelId: mapping.channelId,
        requestKey: mapping.requestKey ?? null,
      });
    return this.getMapping(id) as StoredMapping;
  }

  getMapping(id: string): StoredMapping | undefined {
    const row = this.db.prepare('SELECT * FROM mappings WHERE id = ?').get(id) as Row | undefined;
    return row && toMapping(row);
  }

  findMappingByEndpoint(ipAddress: string, port: number): StoredMapping | undefined {
    const row = this.db
      .prepare('SELECT * FROM mappings WHERE ip_address = ? AND port = ? ORDER BY created_at_ms DESC, rowid DESC LIMIT 1')
      .get(ipAddress, port) as Row | undefined;
    return row && toMapping(row);
  }

  listMappings(filter: MappingFilter = {}): StoredMapping[] {
    const where: string[] = [];
    const params: Record<string, unknown> = {};
    if (filter.simId !== undefined) {
      where.push('sim_id = @simId');
      params.simId = filter.simId;
    }
    if (filter.imsi !== undefined) {
      where.push('imsi = @imsi');
      params.imsi = filter.imsi;
    }
    if (filter.activeAtMs !== undefined) {
      where.push('closed_at_ms IS NULL AND created_at_ms <= @at AND expires_at_ms > @at');
      params.at = filter.activeAtMs;
    }
    const rows = this.db
      .prepare(`SELECT * FROM mappings ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at_ms DESC, rowid DESC`)
      .all(params) as Row[];
    return rows.map(toMapping);
  }

  setMappingCard(id: string, card: SlackMessageRef): void {
    this.expectOneRow(this.db.prepare('UPDATE mappings SET card_channel_id = ?, card_ts = ? WHERE id = ?').run(card.channelId, card.ts, id), 'mapping', id);
  }

  markMappingClosed(id: string, closed: { byUserId: string; atMs: number }): void {
    // The first close wins: a second click or a late expiry notice must not rewrite who closed it.
    const result = this.db
      .prepare('UPDATE mappings SET closed_by_user_id = ?, closed_at_ms = ? WHERE id = ? AND closed_at_ms IS NULL')
      .run(closed.byUserId, closed.atMs, id);
    if (result.changes === 0 && this.getMapping(id) === undefined) this.missing('mapping', id);
  }

  createIpCapture(input: IpCaptureInput): { capture: IpCapture; token: string } {
    const token = randomBytes(TOKEN_BYTES).toString('base64url');
    const id = randomUUID();
    const createdAtMs = this.clock.nowMs();
    this.db
      .prepare(
        `INSERT INTO ip_captures (id, token_sha256, team_id, user_id, channel_id, lang, request_json, response_url, created_at_ms, expires_at_ms)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        id,
        hashToken(token),
        input.teamId,
        input.userId,
        input.channelId,
        input.lang,
        JSON.stringify(input.request ?? null),
        input.responseUrl ?? null,
        createdAtMs,
        createdAtMs + IP_CAPTURE_TTL_MS,
      );
    return { capture: this.getIpCapture(id) as IpCapture, token };
  }

  peekIpCapture(token: string): IpCaptureLookup {
    const row = this.captureRowByToken(token);
    if (row === undefined) return { error: 'unknown' };
    return classifyCapture(row, this.clock.nowMs()) ?? toCapture(row);
  }

  consumeIpCapture(token: string): IpCaptureLookup {
    if (!TOKEN_PATTERN.test(token)) return { error: 'unknown' };
    const nowMs = this.clock.nowMs();
    const tokenHash = hashToken(token);
    // One conditional UPDATE is the whole claim: SQLite serialises writers, so only one caller sees changes = 1.
    const result = this.db
      .prepare('UPDATE ip_captures SET used_at_ms = ? WHERE token_sha256 = ? AND used_at_ms IS NULL AND expires_at_ms > ?')
      .run(nowMs, tokenHash, nowMs);
    const row = this.db.prepare('SELECT * FROM ip_captures WHERE token_sha256 = ?').get(tokenHash) as Row | undefined;
    if (row === undefined) return { error: 'unknown' };
    if (result.changes === 1) return toCapture(row);
    return classifyCapture(row, nowMs) ?? { error: 'used' };
  }

  attachIpCaptureMessage(captureId: string, message: SlackMessageRef): void {
    this.expectOneRow(
      this.db.prepare('UPDATE ip_captures SET message_channel_id = ?, message_ts = ? WHERE id = ?').run(message.channelId, message.ts, captureId),
      'IP capture',
      captureId,
    );
  }

  attachIpCaptureResponseUrl(captureId: string, owner: SlackUserRef, responseUrl: string): boolean {
    const result = this.db
      .prepare(
        `UPDATE ip_captures SET response_url = ?
         WHERE id = ? AND team_id = ? AND user_id = ? AND used_at_ms IS NULL AND expires_at_ms > ?`,
      )
      .run(responseUrl, captureId, owner.teamId, owner.userId, this.clock.nowMs());
    return result.changes === 1;
  }

  getIpCapture(id: string): IpCapture | undefined {
    const row = this.db.prepare('SELECT * FROM ip_captures WHERE id = ?').get(id) as Row | undefined;
    return row && toCapture(row);
  }

  finishIpCapture(id: string): void {
    this.db.prepare('UPDATE ip_captures SET finished_at_ms = ? WHERE id = ? AND finished_at_ms IS NULL').run(this.clock.nowMs(), id);
  }

  listUnfinishedIpCaptures(): IpCapture[] {
    const rows = this.db
      .prepare('SELECT * FROM ip_captures WHERE used_at_ms IS NOT NULL AND finished_at_ms IS NULL AND expires_at_ms > ? ORDER BY used_at_ms')
      .all(this.clock.nowMs()) as Row[];
    return rows.map(toCapture);
  }

  reopenIpCapture(id: string): boolean {
    const result = this.db
      .prepare('UPDATE ip_captures SET used_at_ms = NULL WHERE id = ? AND used_at_ms IS NOT NULL AND finished_at_ms IS NULL AND expires_at_ms > ?')
      .run(id, this.clock.nowMs());
    return result.changes === 1;
  }

  claimIdempotencyKey(key: string, ttlMs: number): IdempotencyClaim {
    const nowMs = this.clock.nowMs();
    return this.db
      .transaction((): IdempotencyClaim => {
        const row = this.db.prepare('SELECT * FROM idempotency_keys WHERE key = ?').get(key) as Row | undefined;
        if (row !== undefined && requiredNum(row, 'expires_at_ms') > nowMs) {
          return { claimed: false, result: row.completed === 1 ? parseJson(row.result_json) : undefined };
        }
        this.db.prepare('DELETE FROM idempotency_keys WHERE expires_at_ms <= ?').run(nowMs);
        this.db.prepare('INSERT INTO idempotency_keys (key, claimed_at_ms, expires_at_ms, completed) VALUES (?, ?, ?, 0)').run(key, nowMs, nowMs + ttlMs);
        return { claimed: true };
      })
      .immediate();
  }

  completeIdempotencyKey(key: string, result: unknown): void {
    this.db.prepare('UPDATE idempotency_keys SET completed = 1, result_json = ? WHERE key = ?').run(json(result), key);
  }

  releaseIdempotencyKey(key: string): void {
    this.db.prepare('DELETE FROM idempotency_keys WHERE key = ?').run(key);
  }

  releaseUnfinishedClaims(): number {
    return this.db.prepare('DELETE FROM idempotency_keys WHERE completed = 0').run().changes;
  }

  // Remembered values share the idempotency table: a key with a value and an expiry, completed from the start.
  rememberValue(key: string, ttlMs: number, value: unknown): void {
    const nowMs = this.clock.nowMs();
    this.db
      .prepare(
        `INSERT INTO idempotency_keys (key, claimed_at_ms, expires_at_ms, completed, result_json) VALUES (?, ?, ?, 1, ?)
         ON CONFLICT (key) DO UPDATE SET claimed_at_ms = excluded.claimed_at_ms, expires_at_ms = excluded.expires_at_ms,
           completed = 1, result_json = excluded.result_json`,
      )
      .run(key, nowMs, nowMs + ttlMs, json(value));
  }

  recallValue(key: string): unknown | undefined {
    const row = this.db
      .prepare('SELECT result_json FROM idempotency_keys WHERE key = ? AND completed = 1 AND expires_at_ms > ?')
      .get(key, this.clock.nowMs()) as Row | undefined;
    return row === undefined ? undefined : parseJson(row.result_json);
  }

  setLastConfirmedIp(teamId: string, userId: string, ip: string): void {
    this.db
      .prepare(
        `INSERT INTO last_confirmed_ips (team_id, user_id, ip, at_ms) VALUES (?, ?, ?, ?)
         ON CONFLICT (team_id, user_id) DO UPDATE SET ip = excluded.ip, at_ms = excluded.at_ms`,
      )
      .run(teamId, userId, ip, this.clock.nowMs());
  }

  getLastConfirmedIp(teamId: string, userId: string): LastConfirmedIp | undefined {
    const row = this.db.prepare('SELECT ip, at_ms FROM last_confirmed_ips WHERE team_id = ? AND user_id = ?').get(teamId, userId) as Row | undefined;
    return row && { ip: requiredStr(row, 'ip'), atMs: requiredNum(row, 'at_ms') };
  }

  saveDiagnosis(input: DiagnosisInput): StoredDiagnosis {
    const id = randomUUID();
    const nowMs = this.clock.nowMs();
    this.db
      .prepare(
        `INSERT INTO diagnoses (id, team_id, channel_id, requested_by, sim_ref_text, sim_id, imsi, window_from_ms, window_to_ms,
           verdict, diagnosis_json, intent_json, lang, created_at_ms, updated_at_ms)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        id,
        input.teamId,
        input.channelId,
        input.requestedBy,
        input.simRefText,
        input.simId ?? null,
        input.imsi ?? null,
        input.windowFromMs,
        input.windowToMs,
        input.verdict,
        JSON.stringify(input.diagnosis ?? null),
        json(input.intent),
        input.lang,
        nowMs,
        nowMs,
      );
    return this.getDiagnosis(id) as StoredDiagnosis;
  }

  getDiagnosis(id: string): StoredDiagnosis | undefined {
    const row = this.db.prepare('SELECT * FROM diagnoses WHERE id = ?').get(id) as Row | undefined;
    return row && toDiagnosis(row);
  }

  updateDiagnosis(id: string, patch: DiagnosisPatch): StoredDiagnosis | undefined {
    const sets: string[] = ['updated_at_ms = @nowMs'];
    const params: Record<string, unknown> = { id, nowMs: this.clock.nowMs() };
    const set = (column: string, name: string, value: unknown) => {
      if (value === undefined) return;
      sets.push(`${column} = @${name}`);
      params[name] = value;
    };
    set('parent_ts', 'parentTs', patch.parentTs);
    set('verdict', 'verdict', patch.verdict);
    set('diagnosis_json', 'diagnosis', patch.diagnosis === undefined ? undefined : JSON.stringify(patch.diagnosis));
    set('window_from_ms', 'windowFromMs', patch.windowFromMs);
    set('window_to_ms', 'windowToMs', patch.windowToMs);
    this.db.prepare(`UPDATE diagnoses SET ${sets.join(', ')} WHERE id = @id`).run(params);
    return this.getDiagnosis(id);
  }

  modifyDiagnosis(id: string, change: (current: StoredDiagnosis) => DiagnosisPatch | undefined): StoredDiagnosis | undefined {
    // better-sqlite3 transactions are synchronous: nothing else in this process runs between the read and
    // the write, and IMMEDIATE holds SQLite's write lock across both against other processes.
    return this.db
      .transaction((): StoredDiagnosis | undefined => {
        const current = this.getDiagnosis(id);
        if (current === undefined) return undefined;
        const patch: unknown = change(current);
        if (isThenable(patch)) {
          throw new StoreError('STORE_ASYNC_CHANGE', 'modifyDiagnosis needs a synchronous change: an async one would write after others had read the row');
        }
        return patch === undefined ? current : this.updateDiagnosis(id, patch as DiagnosisPatch);
      })
      .immediate();
  }

  beginInFlight(input: InFlightInput & { readonly state: InFlightState }): InFlight {
    const id = randomUUID();
    const nowMs = this.clock.nowMs();
    this.db
      .prepare(
        `INSERT INTO in_flight (id, kind, request_key, team_id, user_id, channel_id, sim_id, state, params_json, reply_json, started_at_ms, updated_at_ms)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        id,
        input.kind,
        input.requestKey,
        input.teamId,
        input.userId,
        input.channelId,
        input.simId ?? null,
        input.state,
        JSON.stringify(input.params ?? null),
        json(input.reply),
        nowMs,
        nowMs,
      );
    return this.getInFlight(id) as InFlight;
  }

  getInFlight(id: string): InFlight | undefined {
    const row = this.db.prepare('SELECT * FROM in_flight WHERE id = ?').get(id) as Row | undefined;
    return row && toInFlight(row);
  }

  updateInFlight(id: string, patch: InFlightPatch): InFlight | undefined {
    this.db
      .prepare(
        `UPDATE in_flight SET state = COALESCE(@state, state), mapping_id = COALESCE(@mappingId, mapping_id),
           error_code = COALESCE(@errorCode, error_code), started_at_ms = COALESCE(@startedAtMs, started_at_ms), updated_at_ms = @nowMs
         WHERE id = @id`,
      )
      .run({
        id,
        state: patch.state ?? null,
        mappingId: patch.mappingId ?? null,
        errorCode: patch.errorCode ?? null,
        startedAtMs: patch.startedAtMs ?? null,
        nowMs: this.clock.nowMs(),
      });
    return this.getInFlight(id);
  }

  settleInFlight(id: string): void {
    this.db.prepare('UPDATE in_flight SET settled_at_ms = ? WHERE id = ? AND settled_at_ms IS NULL').run(this.clock.nowMs(), id);
  }

  listInFlight(filter: InFlightFilter = {}): InFlight[] {
    const where: string[] = [];
    const params: Record<string, unknown> = {};
    if (filter.kind !== undefined) {
      where.push('kind = @kind');
      params.kind = filter.kind;
    }
    if (filter.simId !== undefined) {
      where.push('sim_id = @simId');
      params.simId = filter.simId;
    }
    if (filter.requestKey !== undefined) {
      where.push('request_key = @requestKey');
      params.requestKey = filter.requestKey;
    }
    if (filter.unsettled === true) where.push('settled_at_ms IS NULL');
    const rows = this.db
      .prepare(`SELECT * FROM in_flight ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY started_at_ms, rowid`)
      .all(params) as Row[];
    return rows.map(toInFlight);
  }

  savePeek(input: PeekInput): StoredPeek {
    const id = randomUUID();
    const nowMs = this.clock.nowMs();
    this.db
      .prepare(
        `INSERT INTO peeks (id, sim_id, session_id, diagnosis_id, channel_id, thread_ts, requested_by, team_id, status, created_at_ms, updated_at_ms)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'REQUESTED', ?, ?)`,
      )
      .run(id, input.simId, input.sessionId, input.diagnosisId ?? null, input.channelId, input.threadTs ?? null, input.requestedBy, input.teamId, nowMs, nowMs);
    return this.getPeek(id) as StoredPeek;
  }

  getPeek(id: string): StoredPeek | undefined {
    const row = this.db.prepare('SELECT * FROM peeks WHERE id = ?').get(id) as Row | undefined;
    return row && toPeek(row);
  }

  listPeeksNotIn(finalStatuses: readonly string[]): StoredPeek[] {
    const placeholders = finalStatuses.map(() => '?').join(', ');
    const rows = this.db
      .prepare(`SELECT * FROM peeks ${finalStatuses.length === 0 ? '' : `WHERE status NOT IN (${placeholders})`} ORDER BY created_at_ms, rowid`)
      .all(...finalStatuses) as Row[];
    return rows.map(toPeek);
  }

  updatePeek(id: string, patch: PeekPatch): StoredPeek | undefined {
    this.db
      .prepare('UPDATE peeks SET status = COALESCE(@status, status), progress_ts = COALESCE(@progressTs, progress_ts), updated_at_ms = @nowMs WHERE id = @id')
      .run({ id, status: patch.status ?? null, progressTs: patch.progressTs ?? null, nowMs: this.clock.nowMs() });
    return this.getPeek(id);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  private captureRowByToken(token: string): Row | undefined {
    if (!TOKEN_PATTERN.test(token)) return undefined;
    return this.db.prepare('SELECT * FROM ip_captures WHERE token_sha256 = ?').get(hashToken(token)) as Row | undefined;
  }

  private expectOneRow(result: Database.RunResult, what: string, id: string): void {
    if (result.changes === 0) this.missing(what, id);
  }

  private missing(what: string, id: string): never {
    throw new StoreError('STORE_NOT_FOUND', `No stored ${what} with id ${id}`);
  }
}

function isThenable(value: unknown): boolean {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

function classifyCapture(row: Row, nowMs: number): { error: 'used' | 'expired' } | undefined {
  if (num(row.used_at_ms) !== undefined) return { error: 'used' };
  if (requiredNum(row, 'expires_at_ms') <= nowMs) return { error: 'expired' };
  return undefined;
}

function toMapping(row: Row): StoredMapping {
  const cardChannelId = str(row.card_channel_id);
  const cardTs = str(row.card_ts);
  const closedBy = str(row.closed_by_user_id);
  const closedAtMs = num(row.closed_at_ms);
  return defined({
    id: requiredStr(row, 'id'),
    simId: str(row.sim_id),
    imsi: str(row.imsi),
    ipAddress: requiredStr(row, 'ip_address'),
    port: requiredNum(row, 'port'),
    hostname: str(row.hostname),
    devicePort: requiredNum(row, 'device_port'),
    tlsRequired: row.tls_required === 1,
    sourceCidr: requiredStr(row, 'source_cidr'),
    durationSec: requiredNum(row, 'duration_sec'),
    createdAtMs: requiredNum(row, 'created_at_ms'),
    expiresAtMs: requiredNum(row, 'expires_at_ms'),
    openedBy: { teamId: requiredStr(row, 'opened_by_team_id'), userId: requiredStr(row, 'opened_by_user_id') },
    channelId: requiredStr(row, 'channel_id'),
    requestKey: str(row.request_key),
    card: cardChannelId !== undefined && cardTs !== undefined ? { channelId: cardChannelId, ts: cardTs } : undefined,
    closed: closedBy !== undefined && closedAtMs !== undefined ? { byUserId: closedBy, atMs: closedAtMs } : undefined,
  });
}

function toCapture(row: Row): IpCapture {
  const messageChannelId = str(row.message_channel_id);
  const messageTs = str(row.message_ts);
  return defined({
    id: requiredStr(row, 'id'),
    teamId: requiredStr(row, 'team_id'),
    userId: requiredStr(row, 'user_id'),
    channelId: requiredStr(row, 'channel_id'),
    lang: requiredStr(row, 'lang') === 'ja' ? 'ja' : 'en',
    request: parseJson(row.request_json),
    responseUrl: str(row.response_url),
    createdAtMs: requiredNum(row, 'created_at_ms'),
    expiresAtMs: requiredNum(row, 'expires_at_ms'),
    usedAtMs: num(row.used_at_ms),
    finishedAtMs: num(row.finished_at_ms),
    message: messageChannelId !== undefined && messageTs !== undefined ? { channelId: messageChannelId, ts: messageTs } : undefined,
  });
}

function toInFlight(row: Row): InFlight {
  const state = requiredStr(row, 'state');
  if (!(IN_FLIGHT_STATES as readonly string[]).includes(state)) throw new StoreError('STORE_CORRUPT', `Unknown in-flight state ${state}`);
  return defined({
    id: requiredStr(row, 'id'),
    kind: requiredStr(row, 'kind') === 'close' ? 'close' : 'open',
    requestKey: requiredStr(row, 'request_key'),
    teamId: requiredStr(row, 'team_id'),
    userId: requiredStr(row, 'user_id'),
    channelId: requiredStr(row, 'channel_id'),
    simId: str(row.sim_id),
    state: state as InFlightState,
    params: parseJson(row.params_json),
    reply: parseJson(row.reply_json),
    mappingId: str(row.mapping_id),
    errorCode: str(row.error_code),
    startedAtMs: requiredNum(row, 'started_at_ms'),
    updatedAtMs: requiredNum(row, 'updated_at_ms'),
    settledAtMs: num(row.settled_at_ms),
  });
}

function toDiagnosis(row: Row): StoredDiagnosis {
  return defined({
    id: requiredStr(row, 'id'),
    teamId: requiredStr(row, 'team_id'),
    channelId: requiredStr(row, 'channel_id'),
    requestedBy: requiredStr(row, 'requested_by'),
    simRefText: requiredStr(row, 'sim_ref_text'),
    simId: str(row.sim_id),
    imsi: str(row.imsi),
    windowFromMs: requiredNum(row, 'window_from_ms'),
    windowToMs: requiredNum(row, 'window_to_ms'),
    verdict: requiredStr(row, 'verdict'),
    diagnosis: parseJson(row.diagnosis_json),
    intent: parseJson(row.intent_json),
    lang: requiredStr(row, 'lang') === 'ja' ? 'ja' : 'en',
    parentTs: str(row.parent_ts),
    createdAtMs: requiredNum(row, 'created_at_ms'),
    updatedAtMs: requiredNum(row, 'updated_at_ms'),
  });
}

function toPeek(row: Row): StoredPeek {
  return defined({
    id: requiredStr(row, 'id'),
    simId: requiredStr(row, 'sim_id'),
    sessionId: requiredStr(row, 'session_id'),
    diagnosisId: str(row.diagnosis_id),
    channelId: requiredStr(row, 'channel_id'),
    threadTs: str(row.thread_ts),
    requestedBy: requiredStr(row, 'requested_by'),
    teamId: requiredStr(row, 'team_id'),
    status: requiredStr(row, 'status'),
    progressTs: str(row.progress_ts),
    createdAtMs: requiredNum(row, 'created_at_ms'),
    updatedAtMs: requiredNum(row, 'updated_at_ms'),
  });
}
