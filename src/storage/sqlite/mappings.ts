import { randomUUID } from 'node:crypto';
import type { MappingFilter, MappingInput, MappingRepository, MappingSourceKind, SlackMessageRef, StoredMapping } from '../../use-cases/ports/store';
import { type Db, defined, notFound, num, type Row, requiredNum, requiredStr, str, whereEqual } from './rows';

export function sqliteMappings(db: Db): MappingRepository {
  const get = (id: string): StoredMapping | undefined => {
    const row = db.prepare('SELECT * FROM mappings WHERE id = ?').get(id) as Row | undefined;
    return row && toMapping(row);
  };
  // One transaction: a card handed over is never on both rows, nor on neither.
  const saveTakingCard = db.transaction((mapping: MappingInput, takesCardOf: string | undefined): StoredMapping => {
    const from = takesCardOf === undefined ? undefined : get(takesCardOf);
    const card = from?.closed === undefined ? from?.card : undefined;
    const id = randomUUID();
    db.prepare(
      `INSERT INTO mappings (id, sim_id, imsi, ip_address, port, hostname, device_port, tls_required, source_cidr, duration_sec,
         created_at_ms, expires_at_ms, opened_by_team_id, opened_by_user_id, channel_id, request_key, source_kind, card_channel_id, card_ts)
       VALUES (@id, @simId, @imsi, @ipAddress, @port, @hostname, @devicePort, @tlsRequired, @sourceCidr, @durationSec,
         @createdAtMs, @expiresAtMs, @teamId, @userId, @channelId, @requestKey, @sourceKind, @cardChannelId, @cardTs)`,
    ).run({
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
      sourceKind: mapping.sourceKind ?? null,
      cardChannelId: card?.channelId ?? null,
      cardTs: card?.ts ?? null,
    });
    if (card !== undefined && takesCardOf !== undefined) {
      db.prepare('UPDATE mappings SET card_channel_id = NULL, card_ts = NULL WHERE id = ?').run(takesCardOf);
    }
    return get(id) as StoredMapping;
  });
  return {
    async save(mapping, options = {}) {
      return saveTakingCard(mapping, options.takesCardOf);
    },

    async get(id) {
      return get(id);
    },

    async findByEndpoint(ipAddress, port) {
      const row = db.prepare('SELECT * FROM mappings WHERE ip_address = ? AND port = ? ORDER BY created_at_ms DESC, rowid DESC LIMIT 1').get(ipAddress, port) as
        | Row
        | undefined;
      return row && toMapping(row);
    },

    async findByCard(card) {
      const row = db
        .prepare('SELECT * FROM mappings WHERE card_channel_id = ? AND card_ts = ? ORDER BY created_at_ms DESC, rowid DESC LIMIT 1')
        .get(card.channelId, card.ts) as Row | undefined;
      return row && toMapping(row);
    },

    async list(filter: MappingFilter = {}) {
      const active = filter.activeAtMs === undefined ? [] : ['closed_at_ms IS NULL AND created_at_ms <= @at AND expires_at_ms > @at'];
      const where = whereEqual({ sim_id: filter.simId, imsi: filter.imsi }, active);
      const params = filter.activeAtMs === undefined ? where.params : { ...where.params, at: filter.activeAtMs };
      const rows = db.prepare(`SELECT * FROM mappings ${where.sql} ORDER BY created_at_ms DESC, rowid DESC`).all(params) as Row[];
      return rows.map(toMapping);
    },

    async setCard(id: string, card: SlackMessageRef) {
      const result = db.prepare('UPDATE mappings SET card_channel_id = ?, card_ts = ? WHERE id = ?').run(card.channelId, card.ts, id);
      if (result.changes === 0) notFound('mapping', id);
    },

    async markClosed(id, closed) {
      const result = db
        .prepare('UPDATE mappings SET closed_by_user_id = ?, closed_at_ms = ? WHERE id = ? AND closed_at_ms IS NULL')
        .run(closed.byUserId, closed.atMs, id);
      if (result.changes === 0 && get(id) === undefined) notFound('mapping', id);
    },
  };
}

function toMapping(row: Row): StoredMapping {
  const cardChannelId = str(row['card_channel_id']);
  const cardTs = str(row['card_ts']);
  const closedBy = str(row['closed_by_user_id']);
  const closedAtMs = num(row['closed_at_ms']);
  return defined({
    id: requiredStr(row, 'id'),
    simId: str(row['sim_id']),
    imsi: str(row['imsi']),
    ipAddress: requiredStr(row, 'ip_address'),
    port: requiredNum(row, 'port'),
    hostname: str(row['hostname']),
    devicePort: requiredNum(row, 'device_port'),
    tlsRequired: row['tls_required'] === 1,
    sourceCidr: requiredStr(row, 'source_cidr'),
    durationSec: requiredNum(row, 'duration_sec'),
    createdAtMs: requiredNum(row, 'created_at_ms'),
    expiresAtMs: requiredNum(row, 'expires_at_ms'),
    openedBy: { teamId: requiredStr(row, 'opened_by_team_id'), userId: requiredStr(row, 'opened_by_user_id') },
    channelId: requiredStr(row, 'channel_id'),
    requestKey: str(row['request_key']),
    sourceKind: str(row['source_kind']) as MappingSourceKind | undefined,
    card: cardChannelId !== undefined && cardTs !== undefined ? { channelId: cardChannelId, ts: cardTs } : undefined,
    closed: closedBy !== undefined && closedAtMs !== undefined ? { byUserId: closedBy, atMs: closedAtMs } : undefined,
  });
}
