import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Clock } from '../../common/clock';
import { IP_CAPTURE_TTL_MS, type IpCapture, type IpCaptureInput, type IpCaptureLookup, type IpCaptureRepository } from '../../use-cases/ports/store';
import { type Db, defined, num, parseJson, type Row, requiredNum, requiredStr, str } from './rows';

/** 32 random bytes: 256 bits, base64url without padding (43 characters). */
const TOKEN_BYTES = 32;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function sqliteIpCaptures(db: Db, clock: Clock): IpCaptureRepository {
  const get = (id: string): IpCapture | undefined => {
    const row = db.prepare('SELECT * FROM ip_captures WHERE id = ?').get(id) as Row | undefined;
    return row && toCapture(row);
  };
  const rowByToken = (token: string): Row | undefined =>
    TOKEN_PATTERN.test(token) ? (db.prepare('SELECT * FROM ip_captures WHERE token_sha256 = ?').get(hashToken(token)) as Row | undefined) : undefined;

  return {
    async create(input: IpCaptureInput) {
      const token = randomBytes(TOKEN_BYTES).toString('base64url');
      const id = randomUUID();
      const createdAtMs = clock.nowMs();
      db.prepare(
        `INSERT INTO ip_captures (id, token_sha256, team_id, user_id, channel_id, lang, request_json, response_url, created_at_ms, expires_at_ms)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
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
      return { capture: get(id) as IpCapture, token };
    },

    async peek(token): Promise<IpCaptureLookup> {
      const row = rowByToken(token);
      if (row === undefined) return { error: 'unknown' };
      return classify(row, clock.nowMs()) ?? toCapture(row);
    },

    async consume(token): Promise<IpCaptureLookup> {
      if (!TOKEN_PATTERN.test(token)) return { error: 'unknown' };
      const nowMs = clock.nowMs();
      const tokenHash = hashToken(token);
      // One conditional UPDATE is the whole claim: SQLite serialises writers, so only one caller sees changes = 1.
      const result = db
        .prepare('UPDATE ip_captures SET used_at_ms = ? WHERE token_sha256 = ? AND used_at_ms IS NULL AND expires_at_ms > ?')
        .run(nowMs, tokenHash, nowMs);
      const row = db.prepare('SELECT * FROM ip_captures WHERE token_sha256 = ?').get(tokenHash) as Row | undefined;
      if (row === undefined) return { error: 'unknown' };
      if (result.changes === 1) return toCapture(row);
      return classify(row, nowMs) ?? { error: 'used' };
    },

    async attachResponseUrl(captureId, owner, responseUrl) {
      const result = db
        .prepare(
          `UPDATE ip_captures SET response_url = ?
           WHERE id = ? AND team_id = ? AND user_id = ? AND used_at_ms IS NULL AND expires_at_ms > ?`,
        )
        .run(responseUrl, captureId, owner.teamId, owner.userId, clock.nowMs());
      return result.changes === 1;
    },

    async get(id) {
      return get(id);
    },

    async finish(id) {
      db.prepare('UPDATE ip_captures SET finished_at_ms = ? WHERE id = ? AND finished_at_ms IS NULL').run(clock.nowMs(), id);
    },

    async listUnfinished() {
      const rows = db
        .prepare('SELECT * FROM ip_captures WHERE used_at_ms IS NOT NULL AND finished_at_ms IS NULL AND expires_at_ms > ? ORDER BY used_at_ms')
        .all(clock.nowMs()) as Row[];
      return rows.map(toCapture);
    },

    async reopen(id) {
      const result = db
        .prepare('UPDATE ip_captures SET used_at_ms = NULL WHERE id = ? AND used_at_ms IS NOT NULL AND finished_at_ms IS NULL AND expires_at_ms > ?')
        .run(id, clock.nowMs());
      return result.changes === 1;
    },

    async pruneExpired(beforeMs) {
      return db.prepare('DELETE FROM ip_captures WHERE expires_at_ms < ?').run(beforeMs).changes;
    },
  };
}

function classify(row: Row, nowMs: number): { error: 'used' | 'expired' } | undefined {
  if (num(row['used_at_ms']) !== undefined) return { error: 'used' };
  if (requiredNum(row, 'expires_at_ms') <= nowMs) return { error: 'expired' };
  return undefined;
}

function toCapture(row: Row): IpCapture {
  return defined({
    id: requiredStr(row, 'id'),
    teamId: requiredStr(row, 'team_id'),
    userId: requiredStr(row, 'user_id'),
    channelId: requiredStr(row, 'channel_id'),
    lang: requiredStr(row, 'lang') === 'ja' ? 'ja' : 'en',
    request: parseJson(row['request_json']),
    responseUrl: str(row['response_url']),
    createdAtMs: requiredNum(row, 'created_at_ms'),
    expiresAtMs: requiredNum(row, 'expires_at_ms'),
    usedAtMs: num(row['used_at_ms']),
    finishedAtMs: num(row['finished_at_ms']),
  });
}
