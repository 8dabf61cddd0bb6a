import { randomUUID } from 'node:crypto';
import type { Clock } from '../../common/clock';
import type { CaptureInput, CaptureRepository, JobInput, StoredCapture } from '../../use-cases/ports/store';
import { scheduleJob } from './jobs';
import { type Db, defined, type Row, requiredNum, requiredStr, str } from './rows';

/** Packet captures live in the `peeks` table (SORACOM Peek). */
export function sqliteCaptures(db: Db, clock: Clock): CaptureRepository {
  const get = (id: string): StoredCapture | undefined => {
    const row = db.prepare('SELECT * FROM peeks WHERE id = ?').get(id) as Row | undefined;
    return row && toCapture(row);
  };
  const saveOnce = db.transaction((input: CaptureInput, follow: ((saved: StoredCapture) => JobInput) | undefined): StoredCapture => {
    const id = randomUUID();
    const nowMs = clock.nowMs();
    db.prepare(
      `INSERT INTO peeks (id, sim_id, session_id, diagnosis_id, channel_id, thread_ts, requested_by, team_id, status, created_at_ms, updated_at_ms)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'REQUESTED', ?, ?)`,
    ).run(id, input.simId, input.sessionId, input.diagnosisId ?? null, input.channelId, input.threadTs ?? null, input.requestedBy, input.teamId, nowMs, nowMs);
    const saved = get(id) as StoredCapture;
    if (follow !== undefined) scheduleJob(db, clock, follow(saved), false);
    return saved;
  });
  return {
    async save(input, follow) {
      return saveOnce.immediate(input, follow);
    },
    async get(id) {
      return get(id);
    },
    async update(id, patch) {
      db.prepare(
        'UPDATE peeks SET status = COALESCE(@status, status), progress_ts = COALESCE(@progressTs, progress_ts), updated_at_ms = @nowMs WHERE id = @id',
      ).run({ id, status: patch.status ?? null, progressTs: patch.progressTs ?? null, nowMs: clock.nowMs() });
      return get(id);
    },
    async listByDiagnosis(diagnosisId) {
      const rows = db.prepare('SELECT * FROM peeks WHERE diagnosis_id = ? ORDER BY created_at_ms DESC, rowid DESC').all(diagnosisId) as Row[];
      return rows.map(toCapture);
    },
  };
}

function toCapture(row: Row): StoredCapture {
  return defined({
    id: requiredStr(row, 'id'),
    simId: requiredStr(row, 'sim_id'),
    sessionId: requiredStr(row, 'session_id'),
    diagnosisId: str(row['diagnosis_id']),
    channelId: requiredStr(row, 'channel_id'),
    threadTs: str(row['thread_ts']),
    requestedBy: requiredStr(row, 'requested_by'),
    teamId: requiredStr(row, 'team_id'),
    status: requiredStr(row, 'status'),
    progressTs: str(row['progress_ts']),
    createdAtMs: requiredNum(row, 'created_at_ms'),
    updatedAtMs: requiredNum(row, 'updated_at_ms'),
  });
}
