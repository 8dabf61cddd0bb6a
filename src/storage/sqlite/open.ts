import Database from 'better-sqlite3';
import type { Clock } from '../../common/clock';
import { type Store, StoreError } from '../../use-cases/ports/store';
import { sqliteCaptures } from './captures';
import { sqliteClaims, sqliteRemembered } from './claims';
import { sqliteDiagnoses } from './diagnoses';
import { sqliteInFlight } from './in-flight';
import { sqliteIpCaptures } from './ip-captures';
import { sqliteJobs } from './jobs';
import { sqliteLastIps } from './last-ips';
import { sqliteLedger } from './ledger';
import { sqliteMappings } from './mappings';
import { MIGRATIONS, type Migration } from './migrations';
import { sqliteWatches } from './watches';
import type { Db } from './rows';

export interface OpenSqliteStoreOptions {
  /** A file path, or ':memory:' for tests. */
  readonly path: string;
  readonly clock: Clock;
  /** Applied instead of the built-in list; tests use it to check upgrades. */
  readonly migrations?: readonly Migration[];
}

/**
 * Every repository call prepares its SQL; compiling it again on each call was the store's largest cost in the ack
 * benchmark's burst. A statement is kept per SQL text (a few dozen: the dynamic ones vary only by which filters are
 * given) and reused; nothing here puts a statement in a mode (pluck, raw) that would stick to the next caller.
 */
function reuseStatements(db: Db): void {
  const statements = new Map<string, ReturnType<Db['prepare']>>();
  const prepare = db.prepare.bind(db);
  db.prepare = ((sql: string) => {
    let statement = statements.get(sql);
    if (statement === undefined) {
      statement = prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  }) as Db['prepare'];
}

/** Another process (a second bot instance, an admin's sqlite3 shell) may hold the write lock briefly. */
const BUSY_TIMEOUT_MS = 5000;

/** The store over one SQLite file (better-sqlite3): every repository on one connection, the schema migrated first. */
export function openSqliteStore(options: OpenSqliteStoreOptions): Store {
  let db: Db;
  try {
    db = new Database(options.path);
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = NORMAL');
    migrate(db, options.migrations ?? MIGRATIONS, options.clock);
    reuseStatements(db);
  } catch (cause) {
    throw new StoreError(
      'STORE_OPEN_FAILED',
      `Cannot open the bot's database at ${options.path} (NAPTER_DB): ${cause instanceof Error ? cause.message : String(cause)}. Check that the directory exists and is writable.`,
      { cause },
    );
  }
  const { clock } = options;
  return {
    ledger: sqliteLedger(db, clock),
    mappings: sqliteMappings(db),
    inflight: sqliteInFlight(db, clock),
    ipCaptures: sqliteIpCaptures(db, clock),
    claims: sqliteClaims(db, clock),
    remembered: sqliteRemembered(db, clock),
    lastIps: sqliteLastIps(db, clock),
    diagnoses: sqliteDiagnoses(db, clock),
    captures: sqliteCaptures(db, clock),
    jobs: sqliteJobs(db, clock),
    watches: sqliteWatches(db, clock),
    async close() {
      if (db.open) db.close();
    },
  };
}

function migrate(db: Db, migrations: readonly Migration[], clock: Clock): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at_ms INTEGER NOT NULL)');
  const currentVersion = () => (db.prepare('SELECT MAX(version) AS version FROM schema_version').get() as { version: number | null }).version ?? 0;
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    // IMMEDIATE takes the write lock first, so two processes starting together cannot both apply a migration.
    db.transaction(() => {
      if (currentVersion() >= migration.version) return;
      db.exec(migration.sql);
      db.prepare('INSERT INTO schema_version (version, applied_at_ms) VALUES (?, ?)').run(migration.version, clock.nowMs());
    }).immediate();
  }
}
