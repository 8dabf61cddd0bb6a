import { randomUUID } from 'node:crypto';
import type { Clock } from '../../common/clock';
import { type DiagnosisInput, type DiagnosisPatch, type DiagnosisRepository, type StoredDiagnosis, StoreError } from '../../use-cases/ports/store';
import { type Db, defined, json, parseJson, type Row, requiredNum, requiredStr, str } from './rows';

export function sqliteDiagnoses(db: Db, clock: Clock): DiagnosisRepository {
  const get = (id: string): StoredDiagnosis | undefined => {
    const row = db.prepare('SELECT * FROM diagnoses WHERE id = ?').get(id) as Row | undefined;
    return row && toDiagnosis(row);
  };
  const update = (id: string, patch: DiagnosisPatch): StoredDiagnosis | undefined => {
    const sets = ['updated_at_ms = @nowMs'];
    const params: Record<string, unknown> = { id, nowMs: clock.nowMs() };
    const set = (column: string, value: unknown) => {
      if (value === undefined) return;
      sets.push(`${column} = @${column}`);
      params[column] = value;
    };
    set('parent_ts', patch.parentTs);
    set('verdict', patch.verdict);
    set('diagnosis_json', patch.diagnosis === undefined ? undefined : JSON.stringify(patch.diagnosis));
    set('window_from_ms', patch.windowFromMs);
    set('window_to_ms', patch.windowToMs);
    db.prepare(`UPDATE diagnoses SET ${sets.join(', ')} WHERE id = @id`).run(params);
    return get(id);
  };
  // better-sqlite3 runs a transaction synchronously: nothing else in this process runs between the read and the
  // write, and IMMEDIATE holds SQLite's write lock across both against other connections.
  const modify = db.transaction((id: string, change: (current: StoredDiagnosis) => DiagnosisPatch | undefined): StoredDiagnosis | undefined => {
    const current = get(id);
    if (current === undefined) return undefined;
    const patch: unknown = change(current);
    if (isThenable(patch)) {
      throw new StoreError('STORE_ASYNC_CHANGE', 'diagnoses.modify needs a synchronous change: an async one would write after others had read the row');
    }
    return patch === undefined ? current : update(id, patch as DiagnosisPatch);
  });

  return {
    async save(input: DiagnosisInput) {
      const id = randomUUID();
      const nowMs = clock.nowMs();
      db.prepare(
        `INSERT INTO diagnoses (id, team_id, channel_id, requested_by, sim_ref_text, sim_id, imsi, window_from_ms, window_to_ms,
           verdict, diagnosis_json, intent_json, lang, created_at_ms, updated_at_ms)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
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
      return get(id) as StoredDiagnosis;
    },
    async get(id) {
      return get(id);
    },
    async update(id, patch) {
      return update(id, patch);
    },
    async modify(id, change) {
      return modify.immediate(id, change);
    },
  };
}

function isThenable(value: unknown): boolean {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

function toDiagnosis(row: Row): StoredDiagnosis {
  return defined({
    id: requiredStr(row, 'id'),
    teamId: requiredStr(row, 'team_id'),
    channelId: requiredStr(row, 'channel_id'),
    requestedBy: requiredStr(row, 'requested_by'),
    simRefText: requiredStr(row, 'sim_ref_text'),
    simId: str(row['sim_id']),
    imsi: str(row['imsi']),
    windowFromMs: requiredNum(row, 'window_from_ms'),
    windowToMs: requiredNum(row, 'window_to_ms'),
    verdict: requiredStr(row, 'verdict'),
    diagnosis: parseJson(row['diagnosis_json']),
    intent: parseJson(row['intent_json']),
    lang: requiredStr(row, 'lang') === 'ja' ? 'ja' : 'en',
    parentTs: str(row['parent_ts']),
    createdAtMs: requiredNum(row, 'created_at_ms'),
    updatedAtMs: requiredNum(row, 'updated_at_ms'),
  });
}
