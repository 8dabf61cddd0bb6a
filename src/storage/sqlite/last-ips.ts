import type { Clock } from '../../common/clock';
import type { LastIpRepository } from '../../use-cases/ports/store';
import { type Db, type Row, requiredNum, requiredStr } from './rows';

export function sqliteLastIps(db: Db, clock: Clock): LastIpRepository {
  return {
    async set(teamId, userId, ip) {
      db.prepare(
        `INSERT INTO last_confirmed_ips (team_id, user_id, ip, at_ms) VALUES (?, ?, ?, ?)
         ON CONFLICT (team_id, user_id) DO UPDATE SET ip = excluded.ip, at_ms = excluded.at_ms`,
      ).run(teamId, userId, ip, clock.nowMs());
    },
    async get(teamId, userId) {
      const row = db.prepare('SELECT ip, at_ms FROM last_confirmed_ips WHERE team_id = ? AND user_id = ?').get(teamId, userId) as Row | undefined;
      return row && { ip: requiredStr(row, 'ip'), atMs: requiredNum(row, 'at_ms') };
    },
  };
}
