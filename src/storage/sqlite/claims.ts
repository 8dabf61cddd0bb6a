import type { Clock } from '../../common/clock';
import type { ClaimRepository, IdempotencyClaim, RememberedValues } from '../../use-cases/ports/store';
import { type Db, json, parseJson, type Row, requiredNum } from './rows';

export function sqliteClaims(db: Db, clock: Clock): ClaimRepository {
  const claimOnce = db.transaction((key: string, ttlMs: number): IdempotencyClaim => {
    const nowMs = clock.nowMs();
    const row = db.prepare('SELECT * FROM idempotency_keys WHERE key = ?').get(key) as Row | undefined;
    if (row !== undefined && requiredNum(row, 'expires_at_ms') > nowMs) {
      return { claimed: false, result: row['completed'] === 1 ? parseJson(row['result_json']) : undefined };
    }
    db.prepare('DELETE FROM idempotency_keys WHERE expires_at_ms <= ?').run(nowMs);
    db.prepare('INSERT INTO idempotency_keys (key, claimed_at_ms, expires_at_ms, completed) VALUES (?, ?, ?, 0)').run(key, nowMs, nowMs + ttlMs);
    return { claimed: true };
  });
  return {
    // IMMEDIATE takes the write lock before the read: two connections cannot both see the key free.
    async claim(key, ttlMs) {
      return claimOnce.immediate(key, ttlMs);
    },
    async complete(key, result) {
      db.prepare('UPDATE idempotency_keys SET completed = 1, result_json = ? WHERE key = ?').run(json(result), key);
    },
    async release(key) {
      db.prepare('DELETE FROM idempotency_keys WHERE key = ?').run(key);
    },
    async releaseUnfinished() {
      return db.prepare('DELETE FROM idempotency_keys WHERE completed = 0').run().changes;
    },
  };
}

/** Remembered values share the idempotency table: a key with a value and an expiry, completed from the start. */
export function sqliteRemembered(db: Db, clock: Clock): RememberedValues {
  return {
    async remember(key, ttlMs, value) {
      const nowMs = clock.nowMs();
      db.prepare(
        `INSERT INTO idempotency_keys (key, claimed_at_ms, expires_at_ms, completed, result_json) VALUES (?, ?, ?, 1, ?)
         ON CONFLICT (key) DO UPDATE SET claimed_at_ms = excluded.claimed_at_ms, expires_at_ms = excluded.expires_at_ms,
           completed = 1, result_json = excluded.result_json`,
      ).run(key, nowMs, nowMs + ttlMs, json(value));
    },
    async recall(key) {
      const row = db.prepare('SELECT result_json FROM idempotency_keys WHERE key = ? AND completed = 1 AND expires_at_ms > ?').get(key, clock.nowMs()) as
        | Row
        | undefined;
      return row === undefined ? undefined : parseJson(row['result_json']);
    },
  };
}
