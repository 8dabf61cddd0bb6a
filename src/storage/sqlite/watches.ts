import type { Clock } from '../../common/clock';
import type { StoredWatch, WatchCommit, WatchRepository } from '../../use-cases/ports/store';
import { scheduleJob } from './jobs';
import { recordLedgerEntry } from './ledger';
import { type Db, defined, num, parseJson, type Row, requiredNum, requiredStr } from './rows';

export function sqliteWatches(db: Db, clock: Clock): WatchRepository {
  const get = (mappingId: string): StoredWatch | undefined => {
    const row = db.prepare('SELECT * FROM watches WHERE mapping_id = ?').get(mappingId) as Row | undefined;
    return row && toWatch(row);
  };
  const scheduleAll = (jobs: WatchCommit['jobs']) => {
    for (const { job, rearm } of jobs) scheduleJob(db, clock, job, rearm === true);
  };
  const startOnce = db.transaction((mappingId: string, state: unknown, jobs: WatchCommit['jobs']): boolean => {
    const nowMs = clock.nowMs();
    const inserted = db
      .prepare('INSERT INTO watches (mapping_id, state_json, started_at_ms, updated_at_ms) VALUES (?, ?, ?, ?) ON CONFLICT (mapping_id) DO NOTHING')
      .run(mappingId, JSON.stringify(state), nowMs, nowMs).changes;
    if (inserted === 0) return false;
    scheduleAll(jobs);
    return true;
  });
  const commitOnce = db.transaction((change: WatchCommit) => {
    const nowMs = clock.nowMs();
    if (change.cursor !== undefined) {
      db.prepare(
        `INSERT INTO watch_cursors (id, cursor_json, updated_at_ms) VALUES (?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET cursor_json = excluded.cursor_json, updated_at_ms = excluded.updated_at_ms`,
      ).run(change.cursor.id, JSON.stringify(change.cursor.value), nowMs);
    }
    const update = db.prepare('UPDATE watches SET state_json = ?, updated_at_ms = ? WHERE mapping_id = ?');
    for (const { mappingId, state } of change.states) update.run(JSON.stringify(state), nowMs, mappingId);
    const finish = db.prepare('UPDATE watches SET finished_at_ms = ? WHERE mapping_id = ? AND finished_at_ms IS NULL');
    for (const mappingId of change.finished) finish.run(nowMs, mappingId);
    scheduleAll(change.jobs);
    for (const entry of change.ledger ?? []) recordLedgerEntry(db, clock, entry);
  });
  return {
    // IMMEDIATE: the check and the write hold the lock together, whichever connection writes.
    async start(mappingId, state, jobs) {
      return startOnce.immediate(mappingId, state, jobs);
    },
    async get(mappingId) {
      return get(mappingId);
    },
    async listActive() {
      return (db.prepare('SELECT * FROM watches WHERE finished_at_ms IS NULL ORDER BY started_at_ms, rowid').all() as Row[]).map(toWatch);
    },
    async cursor(id) {
      const row = db.prepare('SELECT cursor_json FROM watch_cursors WHERE id = ?').get(id) as Row | undefined;
      return row === undefined ? undefined : parseJson(row['cursor_json']);
    },
    async commit(change) {
      commitOnce.immediate(change);
    },
    async pruneFinished(beforeMs) {
      return db.prepare('DELETE FROM watches WHERE finished_at_ms IS NOT NULL AND finished_at_ms < ?').run(beforeMs).changes;
    },
  };
}

function toWatch(row: Row): StoredWatch {
  return defined({
    mappingId: requiredStr(row, 'mapping_id'),
    state: parseJson(row['state_json']),
    startedAtMs: requiredNum(row, 'started_at_ms'),
    updatedAtMs: requiredNum(row, 'updated_at_ms'),
    finishedAtMs: num(row['finished_at_ms']),
  });
}
