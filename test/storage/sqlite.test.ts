import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { ManualClock } from '../../src/common/clock';
import { hashToken, MIGRATIONS, openSqliteStore } from '../../src/storage/sqlite';
import { captureLinkInput, diagnosisInput, mappingInput, T0 } from './contract/fixtures';

/** What only the SQLite adapter promises: the file, threads on one file, and its migrations. The rest is the contract's. */

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'napter-sqlite-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

let fileCounter = 0;
const freshPath = () => {
  fileCounter += 1;
  return join(dir, `store-${fileCounter}.db`);
};
const STORE_MODULE = join(__dirname, '../../src/storage/sqlite/index.ts');

/** Two threads, each with its own connection, released together on a shared barrier per round. */
function runTwoThreads(source: string, workerData: Record<string, unknown>): Promise<unknown[]> {
  const run = (name: string) =>
    new Promise<unknown>((resolve, reject) => {
      const worker = new Worker(`require('tsx/cjs');\n${source}`, { eval: true, workerData: { ...workerData, name, storeModule: STORE_MODULE } });
      worker.once('message', resolve);
      worker.once('error', reject);
    });
  return Promise.all([run('a'), run('b')]);
}

describe('SQLite store', () => {
  test('stores only the SHA-256 of an IP link token, never the token itself', async () => {
    const path = freshPath();
    const store = openSqliteStore({ path, clock: new ManualClock(T0) });
    const { token } = await store.ipCaptures.create(captureLinkInput);
    await store.close();

    const db = new Database(path, { readonly: true });
    const rows = db.prepare('SELECT * FROM ip_captures').all() as Record<string, unknown>[];
    db.close();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.['token_sha256']).toBe(hashToken(token));
    expect(JSON.stringify(rows)).not.toContain(token);
    for (const file of readdirSync(dir).filter((name) => name.startsWith(path.split('/').pop() ?? ''))) {
      expect(readFileSync(join(dir, file)).includes(Buffer.from(token))).toBe(false);
    }
  });

  test('lets exactly one of two threads win when they consume the same token at the same instant', async () => {
    const path = freshPath();
    const store = openSqliteStore({ path, clock: new ManualClock(T0) });
    const tokens: string[] = [];
    for (let index = 0; index < 10; index += 1) tokens.push((await store.ipCaptures.create(captureLinkInput)).token);
    await store.close();

    const barrier = new Int32Array(new SharedArrayBuffer(4 * tokens.length));
    const [first, second] = (await runTwoThreads(
      `
      const { workerData, parentPort } = require('node:worker_threads');
      const { openSqliteStore } = require(workerData.storeModule);
      (async () => {
        const store = openSqliteStore({ path: workerData.path, clock: { nowMs: () => workerData.nowMs } });
        const wins = [];
        for (const [index, token] of workerData.tokens.entries()) {
          Atomics.add(workerData.barrier, index, 1);
          while (Atomics.load(workerData.barrier, index) < 2) {}
          wins.push(!('error' in (await store.ipCaptures.consume(token))));
        }
        await store.close();
        parentPort.postMessage(wins);
      })();
    `,
      { path, tokens, barrier, nowMs: T0 + 1000 },
    )) as boolean[][];
    expect(first).toHaveLength(tokens.length);
    for (const index of tokens.keys()) expect(Number(first?.[index]) + Number(second?.[index])).toBe(1);
  });

  test('loses no change when two threads modify the same diagnosis at the same time', async () => {
    const path = freshPath();
    const clock = new ManualClock(T0);
    const store = openSqliteStore({ path, clock });
    const saved = await store.diagnoses.save({ ...diagnosisInput, diagnosis: { activity: [] } });
    await store.close();

    const rounds = 40;
    await runTwoThreads(
      `
      const { workerData, parentPort } = require('node:worker_threads');
      const { openSqliteStore } = require(workerData.storeModule);
      (async () => {
        const store = openSqliteStore({ path: workerData.path, clock: { nowMs: () => workerData.nowMs } });
        for (let index = 0; index < workerData.rounds; index += 1) {
          Atomics.add(workerData.barrier, index, 1);
          while (Atomics.load(workerData.barrier, index) < 2) {}
          await store.diagnoses.modify(workerData.id, (current) => ({
            diagnosis: { activity: [...current.diagnosis.activity, workerData.name + index] },
          }));
        }
        await store.close();
        parentPort.postMessage('done');
      })();
    `,
      { path, id: saved.id, rounds, barrier: new Int32Array(new SharedArrayBuffer(4 * rounds)), nowMs: T0 + 1000 },
    );

    const after = openSqliteStore({ path, clock });
    const activity = ((await after.diagnoses.get(saved.id))!.diagnosis as { activity: string[] }).activity;
    await after.close();
    expect(activity).toHaveLength(2 * rounds);
    expect(new Set(activity)).toEqual(new Set(Array.from({ length: rounds }, (_, index) => [`a${index}`, `b${index}`]).flat()));
  });

  test('applies each migration once, records the schema version, and writes ahead', async () => {
    const path = freshPath();
    const clock = new ManualClock(T0);
    await openSqliteStore({ path, clock }).close();
    await openSqliteStore({ path, clock }).close();
    const db = new Database(path, { readonly: true });
    const versions = db.prepare('SELECT version FROM schema_version ORDER BY version').all();
    const journal = db.pragma('journal_mode', { simple: true });
    db.close();
    expect(versions).toEqual(MIGRATIONS.map((migration) => ({ version: migration.version })));
    expect(journal).toBe('wal');
  });

  test('upgrades an existing database with a new migration, keeping its data', async () => {
    const path = freshPath();
    const clock = new ManualClock(T0);
    const v1 = openSqliteStore({ path, clock });
    const mapping = await v1.mappings.save(mappingInput());
    await v1.close();
    const extra = { version: MIGRATIONS.length + 1, sql: 'ALTER TABLE mappings ADD COLUMN note TEXT' };
    const v2 = openSqliteStore({ path, clock, migrations: [...MIGRATIONS, extra] });
    expect(await v2.mappings.get(mapping.id)).toEqual(mapping);
    await v2.close();
    const db = new Database(path, { readonly: true });
    expect(db.prepare('SELECT MAX(version) AS v FROM schema_version').get()).toEqual({ v: extra.version });
    db.close();
  });

  test('migration 3 reads how an older mapping’s range was chosen from the ledger row that opened it', async () => {
    const path = freshPath();
    const clock = new ManualClock(T0);
    const v2 = openSqliteStore({ path, clock, migrations: MIGRATIONS.filter((migration) => migration.version < 3) });
    const ledgerRow = (mappingId: string, kind: 'open' | 'retry', source: string) => ({ kind, teamId: 'T1', userId: 'U1', mappingId, details: { source } });
    await v2.ledger.record(ledgerRow('m-typed', 'open', 'cidr'));
    await v2.ledger.record(ledgerRow('m-proved', 'open', 'cidr'));
    clock.advance(1);
    await v2.ledger.record(ledgerRow('m-proved', 'retry', 'me'));
    await v2.close();
    // Rows as the version-2 code wrote them (it had no source_kind column).
    const db = new Database(path);
    const insert = db.prepare(
      `INSERT INTO mappings (id, ip_address, port, device_port, tls_required, source_cidr, duration_sec, created_at_ms, expires_at_ms,
         opened_by_team_id, opened_by_user_id, channel_id)
       VALUES (?, '198.51.100.10', ?, 22, 0, '203.0.113.5/32', 1800, ?, ?, 'T1', 'U1', 'C1')`,
    );
    for (const [index, id] of ['m-typed', 'm-proved', 'm-unknown'].entries()) insert.run(id, 40_000 + index, T0, T0 + 1_800_000);
    db.close();

    const v3 = openSqliteStore({ path, clock });
    expect((await v3.mappings.get('m-typed'))?.sourceKind).toBe('cidr');
    expect((await v3.mappings.get('m-proved'))?.sourceKind).toBe('me');
    expect(await v3.mappings.get('m-unknown')).not.toHaveProperty('sourceKind');
    await v3.close();
  });

  test('rolls back a migration that fails, leaving the version unchanged', async () => {
    const path = freshPath();
    const clock = new ManualClock(T0);
    await openSqliteStore({ path, clock }).close();
    const broken = { version: MIGRATIONS.length + 1, sql: 'CREATE TABLE half_done (x INTEGER); THIS IS NOT SQL' };
    expect(() => openSqliteStore({ path, clock, migrations: [...MIGRATIONS, broken] })).toThrow(expect.objectContaining({ code: 'STORE_OPEN_FAILED' }));
    const db = new Database(path, { readonly: true });
    expect(db.prepare('SELECT MAX(version) AS v FROM schema_version').get()).toEqual({ v: MIGRATIONS.length });
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'half_done'").get()).toBeUndefined();
    db.close();
  });

  test('names the path and the setting when the database cannot be opened', () => {
    expect(() => openSqliteStore({ path: join(dir, 'no-such-dir', 'x.db'), clock: new ManualClock(T0) })).toThrow(/no-such-dir.*NAPTER_DB/);
  });
});
