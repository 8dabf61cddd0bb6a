import { randomUUID } from 'node:crypto';
import type { Clock } from '../../common/clock';
import { IN_FLIGHT_STATES, type InFlight, type InFlightFilter, type InFlightRepository, type InFlightState, StoreError } from '../../use-cases/ports/store';
import { type Db, defined, json, num, parseJson, type Row, requiredNum, requiredStr, str, whereEqual } from './rows';

export function sqliteInFlight(db: Db, clock: Clock): InFlightRepository {
  const get = (id: string): InFlight | undefined => {
    const row = db.prepare('SELECT * FROM in_flight WHERE id = ?').get(id) as Row | undefined;
    return row && toInFlight(row);
  };
  return {
    async begin(input) {
      const id = randomUUID();
      const nowMs = clock.nowMs();
      db.prepare(
        `INSERT INTO in_flight (id, kind, request_key, team_id, user_id, channel_id, sim_id, state, params_json, reply_json, started_at_ms, updated_at_ms)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
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
      return get(id) as InFlight;
    },

    async get(id) {
      return get(id);
    },

    async update(id, patch) {
      db.prepare(
        `UPDATE in_flight SET state = COALESCE(@state, state), mapping_id = COALESCE(@mappingId, mapping_id),
           error_code = COALESCE(@errorCode, error_code), started_at_ms = COALESCE(@startedAtMs, started_at_ms), updated_at_ms = @nowMs
         WHERE id = @id`,
      ).run({
        id,
        state: patch.state ?? null,
        mappingId: patch.mappingId ?? null,
        errorCode: patch.errorCode ?? null,
        startedAtMs: patch.startedAtMs ?? null,
        nowMs: clock.nowMs(),
      });
      return get(id);
    },

    async pruneSettled(beforeMs) {
      return db.prepare('DELETE FROM in_flight WHERE settled_at_ms IS NOT NULL AND settled_at_ms < ?').run(beforeMs).changes;
    },

    async settle(id) {
      db.prepare('UPDATE in_flight SET settled_at_ms = ? WHERE id = ? AND settled_at_ms IS NULL').run(clock.nowMs(), id);
    },

    async list(filter: InFlightFilter = {}) {
      const unsettled = filter.unsettled === true ? ['settled_at_ms IS NULL'] : [];
      const where = whereEqual({ kind: filter.kind, sim_id: filter.simId, request_key: filter.requestKey }, unsettled);
      const rows = db.prepare(`SELECT * FROM in_flight ${where.sql} ORDER BY started_at_ms, rowid`).all(where.params) as Row[];
      return rows.map(toInFlight);
    },
  };
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
    simId: str(row['sim_id']),
    state: state as InFlightState,
    params: parseJson(row['params_json']),
    reply: parseJson(row['reply_json']),
    mappingId: str(row['mapping_id']),
    errorCode: str(row['error_code']),
    startedAtMs: requiredNum(row, 'started_at_ms'),
    updatedAtMs: requiredNum(row, 'updated_at_ms'),
    settledAtMs: num(row['settled_at_ms']),
  });
}
