import { randomUUID } from 'node:crypto';
import type { Clock } from '../../common/clock';
import type { Job, JobInput, JobKind, JobRepository, ScheduleResult } from '../../use-cases/ports/store';
import { type Db, defined, json, num, parseJson, type Row, requiredNum, requiredStr, str } from './rows';

export function sqliteJobs(db: Db, clock: Clock): JobRepository {
  const scheduleOnce = db.transaction((input: JobInput, rearm: boolean): ScheduleResult => scheduleJob(db, clock, input, rearm));

  const claimMany = db.transaction((owner: string, leaseMs: number, limit: number): Job[] => {
    const nowMs = clock.nowMs();
    const rows = db
      .prepare(
        `SELECT id FROM jobs WHERE done_at_ms IS NULL AND due_at_ms <= ? AND (lease_until_ms IS NULL OR lease_until_ms <= ?)
         ORDER BY due_at_ms, rowid LIMIT ?`,
      )
      .all(nowMs, nowMs, limit) as Row[];
    const lease = db.prepare('UPDATE jobs SET lease_owner = ?, lease_token = ?, lease_until_ms = ?, attempts = attempts + 1 WHERE id = ?');
    return rows.map((row) => {
      const id = requiredStr(row, 'id');
      lease.run(owner, randomUUID(), nowMs + leaseMs, id);
      return jobById(db, id);
    });
  });

  return {
    // IMMEDIATE takes the write lock before the read: two connections cannot both see a key free or a job unclaimed.
    async schedule(input, options) {
      return scheduleOnce.immediate(input, options?.rearm === true);
    },
    async claimDue(owner, leaseMs, limit) {
      return claimMany.immediate(owner, leaseMs, limit);
    },
    async complete(id, lease) {
      return (
        db
          .prepare('UPDATE jobs SET done_at_ms = ?, lease_until_ms = NULL WHERE id = ? AND lease_token = ? AND done_at_ms IS NULL')
          .run(clock.nowMs(), id, lease.token).changes > 0
      );
    },
    async reschedule(id, lease, dueAtMs, payload) {
      const keep = payload === undefined;
      return (
        db
          .prepare(
            `UPDATE jobs SET due_at_ms = ?, payload_json = CASE WHEN ? THEN payload_json ELSE ? END,
               lease_owner = NULL, lease_token = NULL, lease_until_ms = NULL
             WHERE id = ? AND lease_token = ? AND done_at_ms IS NULL`,
          )
          .run(dueAtMs, keep ? 1 : 0, json(payload), id, lease.token).changes > 0
      );
    },
    async cancel(key) {
      return db.prepare('UPDATE jobs SET done_at_ms = ?, lease_until_ms = NULL WHERE key = ? AND done_at_ms IS NULL').run(clock.nowMs(), key).changes > 0;
    },
    async get(key) {
      return jobByKey(db, key);
    },
    async pruneDone(beforeMs) {
      return db.prepare('DELETE FROM jobs WHERE done_at_ms IS NOT NULL AND done_at_ms < ?').run(beforeMs).changes;
    },
    async listPending(kind?: JobKind) {
      const rows = (
        kind === undefined
          ? db.prepare('SELECT * FROM jobs WHERE done_at_ms IS NULL ORDER BY due_at_ms, rowid').all()
          : db.prepare('SELECT * FROM jobs WHERE done_at_ms IS NULL AND kind = ? ORDER BY due_at_ms, rowid').all(kind)
      ) as Row[];
      return rows.map(toJob);
    },
    async oldestDueAtMs(atMs) {
      const row = db.prepare('SELECT MIN(due_at_ms) AS due FROM jobs WHERE done_at_ms IS NULL AND due_at_ms <= ?').get(atMs) as Row;
      return num(row['due']);
    },
    async nextDueAtMs() {
      const row = db.prepare('SELECT MIN(MAX(due_at_ms, COALESCE(lease_until_ms, 0))) AS due FROM jobs WHERE done_at_ms IS NULL').get() as Row;
      return num(row['due']);
    },
  };
}

const jobByKey = (db: Db, key: string): Job | undefined => {
  const row = db.prepare('SELECT * FROM jobs WHERE key = ?').get(key) as Row | undefined;
  return row && toJob(row);
};
const jobById = (db: Db, id: string): Job => toJob(db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as Row);

/** Schedules one job inside the caller's transaction (a watch's commit schedules its outbox with it). */
export function scheduleJob(db: Db, clock: Clock, input: JobInput, rearm: boolean): ScheduleResult {
  const existing = jobByKey(db, input.key);
  if (existing === undefined) {
    const id = randomUUID();
    db.prepare('INSERT INTO jobs (id, key, kind, due_at_ms, payload_json, created_at_ms) VALUES (?, ?, ?, ?, ?, ?)').run(
      id,
      input.key,
      input.kind,
      input.dueAtMs,
      json(input.payload),
      clock.nowMs(),
    );
    return { job: jobById(db, id), how: 'created' };
  }
  if (!rearm || existing.doneAtMs === undefined) return { job: existing, how: 'exists' };
  db.prepare(
    `UPDATE jobs SET kind = ?, due_at_ms = ?, payload_json = ?, done_at_ms = NULL, lease_owner = NULL, lease_token = NULL, lease_until_ms = NULL
     WHERE id = ?`,
  ).run(input.kind, input.dueAtMs, json(input.payload), existing.id);
  return { job: jobById(db, existing.id), how: 'rearmed' };
}

function toJob(row: Row): Job {
  const owner = str(row['lease_owner']);
  const token = str(row['lease_token']);
  const untilMs = num(row['lease_until_ms']);
  return defined({
    id: requiredStr(row, 'id'),
    key: requiredStr(row, 'key'),
    kind: requiredStr(row, 'kind') as JobKind,
    dueAtMs: requiredNum(row, 'due_at_ms'),
    payload: parseJson(row['payload_json']),
    createdAtMs: requiredNum(row, 'created_at_ms'),
    attempts: requiredNum(row, 'attempts'),
    lease: owner !== undefined && token !== undefined && untilMs !== undefined ? { owner, token, untilMs } : undefined,
    doneAtMs: num(row['done_at_ms']),
  });
}
