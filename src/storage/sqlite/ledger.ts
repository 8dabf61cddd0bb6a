import { randomUUID } from 'node:crypto';
import type { Clock } from '../../common/clock';
import type { LedgerEntry, LedgerFilter, LedgerInput, LedgerKind, LedgerRepository } from '../../use-cases/ports/store';
import { type Db, defined, json, num, parseJson, type Row, requiredNum, requiredStr, str, whereEqual } from './rows';

const DEFAULT_LIMIT = 100;

/** Writes one ledger row, inside the caller's transaction when there is one (a watch's end writes its row with it). */
export function recordLedgerEntry(db: Db, clock: Clock, entry: LedgerInput): LedgerEntry {
  const stored = defined<LedgerEntry>({ ...entry, id: randomUUID(), atMs: clock.nowMs() });
  db.prepare(
    `INSERT INTO ledger (id, at_ms, kind, team_id, user_id, channel_id, sim_id, imsi, mapping_id, device_port, source_cidr, details_json)
     VALUES (@id, @atMs, @kind, @teamId, @userId, @channelId, @simId, @imsi, @mappingId, @devicePort, @sourceCidr, @details)`,
  ).run({
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

export function sqliteLedger(db: Db, clock: Clock): LedgerRepository {
  return {
    async record(entry: LedgerInput): Promise<LedgerEntry> {
      return recordLedgerEntry(db, clock, entry);
    },

    async list(filter: LedgerFilter = {}): Promise<LedgerEntry[]> {
      const since = filter.sinceMs === undefined ? [] : ['at_ms >= @since_ms'];
      const kinds =
        filter.kinds === undefined ? [] : [filter.kinds.length === 0 ? '0' : `kind IN (${filter.kinds.map((_, index) => `@kind_${index}`).join(', ')})`];
      const kindParams = Object.fromEntries((filter.kinds ?? []).map((kind, index) => [`kind_${index}`, kind]));
      const where = whereEqual({ team_id: filter.teamId, sim_id: filter.simId, imsi: filter.imsi, user_id: filter.userId, mapping_id: filter.mappingId }, [
        ...since,
        ...kinds,
      ]);
      const rows = db.prepare(`SELECT * FROM ledger ${where.sql} ORDER BY at_ms DESC, rowid DESC LIMIT @limit`).all({
        ...where.params,
        ...kindParams,
        ...(filter.sinceMs === undefined ? {} : { since_ms: filter.sinceMs }),
        limit: filter.limit ?? DEFAULT_LIMIT,
      }) as Row[];
      return rows.map(toEntry);
    },
  };
}

function toEntry(row: Row): LedgerEntry {
  return defined({
    id: requiredStr(row, 'id'),
    atMs: requiredNum(row, 'at_ms'),
    kind: requiredStr(row, 'kind') as LedgerKind,
    teamId: requiredStr(row, 'team_id'),
    userId: requiredStr(row, 'user_id'),
    channelId: str(row['channel_id']),
    simId: str(row['sim_id']),
    imsi: str(row['imsi']),
    mappingId: str(row['mapping_id']),
    devicePort: num(row['device_port']),
    sourceCidr: str(row['source_cidr']),
    details: parseJson(row['details_json']) as Record<string, unknown> | undefined,
  });
}
