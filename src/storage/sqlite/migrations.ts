/**
 * The schema, as an append-only list: a released migration is never edited, a change is a new entry.
 * `openSqliteStore` applies the ones newer than `schema_version`, each in its own transaction.
 */
export interface Migration {
  readonly version: number;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE ledger (
        id TEXT PRIMARY KEY,
        at_ms INTEGER NOT NULL,
        kind TEXT NOT NULL,
        team_id TEXT NOT NULL,
        user_id TEXT NOT NULL,
        channel_id TEXT,
        sim_id TEXT,
        imsi TEXT,
        mapping_id TEXT,
        device_port INTEGER,
        source_cidr TEXT,
        details_json TEXT
      );
      CREATE INDEX ledger_at ON ledger (at_ms);
      CREATE INDEX ledger_sim ON ledger (sim_id, at_ms);
      CREATE INDEX ledger_imsi ON ledger (imsi, at_ms);
      CREATE INDEX ledger_user ON ledger (user_id, at_ms);
      CREATE INDEX ledger_mapping ON ledger (mapping_id, at_ms);

      CREATE TABLE mappings (
        id TEXT PRIMARY KEY,
        sim_id TEXT,
        imsi TEXT,
        ip_address TEXT NOT NULL,
        port INTEGER NOT NULL,
        hostname TEXT,
        device_port INTEGER NOT NULL,
        tls_required INTEGER NOT NULL,
        source_cidr TEXT NOT NULL,
        duration_sec INTEGER NOT NULL,
        created_at_ms INTEGER NOT NULL,
        expires_at_ms INTEGER NOT NULL,
        opened_by_team_id TEXT NOT NULL,
        opened_by_user_id TEXT NOT NULL,
        channel_id TEXT NOT NULL,
        request_key TEXT,
        card_channel_id TEXT,
        card_ts TEXT,
        closed_by_user_id TEXT,
        closed_at_ms INTEGER
      );
      CREATE INDEX mappings_endpoint ON mappings (ip_address, port, created_at_ms);
      CREATE INDEX mappings_sim ON mappings (sim_id, created_at_ms);
      CREATE INDEX mappings_imsi ON mappings (imsi, created_at_ms);

      CREATE TABLE ip_captures (
        id TEXT PRIMARY KEY,
        token_sha256 TEXT NOT NULL UNIQUE,
        team_id TEXT NOT NULL,
        user_id TEXT NOT NULL,
        channel_id TEXT NOT NULL,
        lang TEXT NOT NULL CHECK (lang IN ('en', 'ja')),
        request_json TEXT NOT NULL,
        response_url TEXT,
        created_at_ms INTEGER NOT NULL,
        expires_at_ms INTEGER NOT NULL,
        used_at_ms INTEGER,
        message_channel_id TEXT,
        message_ts TEXT
      );

      CREATE TABLE idempotency_keys (
        key TEXT PRIMARY KEY,
        claimed_at_ms INTEGER NOT NULL,
        expires_at_ms INTEGER NOT NULL,
        completed INTEGER NOT NULL DEFAULT 0,
        result_json TEXT
      );
      CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at_ms);

      CREATE TABLE last_confirmed_ips (
        team_id TEXT NOT NULL,
        user_id TEXT NOT NULL,
        ip TEXT NOT NULL,
        at_ms INTEGER NOT NULL,
        PRIMARY KEY (team_id, user_id)
      );

      CREATE TABLE diagnoses (
        id TEXT PRIMARY KEY,
        team_id TEXT NOT NULL,
        channel_id TEXT NOT NULL,
        requested_by TEXT NOT NULL,
        sim_ref_text TEXT NOT NULL,
        sim_id TEXT,
        imsi TEXT,
        window_from_ms INTEGER NOT NULL,
        window_to_ms INTEGER NOT NULL,
        verdict TEXT NOT NULL,
        diagnosis_json TEXT NOT NULL,
        intent_json TEXT,
        lang TEXT NOT NULL CHECK (lang IN ('en', 'ja')),
        parent_ts TEXT,
        created_at_ms INTEGER NOT NULL,
        updated_at_ms INTEGER NOT NULL
      );

      CREATE TABLE peeks (
        id TEXT PRIMARY KEY,
        sim_id TEXT NOT NULL,
        session_id TEXT NOT NULL,
        diagnosis_id TEXT REFERENCES diagnoses (id) ON DELETE SET NULL,
        channel_id TEXT NOT NULL,
        thread_ts TEXT,
        requested_by TEXT NOT NULL,
        team_id TEXT NOT NULL,
        status TEXT NOT NULL,
        progress_ts TEXT,
        created_at_ms INTEGER NOT NULL,
        updated_at_ms INTEGER NOT NULL
      );
      CREATE INDEX peeks_diagnosis ON peeks (diagnosis_id);
    `,
  },
  {
    version: 2,
    sql: `
      -- Work a user is waiting for that changes SORACOM: written before the change, settled once the user was told.
      CREATE TABLE in_flight (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('open', 'close')),
        request_key TEXT NOT NULL,
        team_id TEXT NOT NULL,
        user_id TEXT NOT NULL,
        channel_id TEXT NOT NULL,
        sim_id TEXT,
        state TEXT NOT NULL,
        params_json TEXT NOT NULL,
        reply_json TEXT,
        mapping_id TEXT,
        error_code TEXT,
        started_at_ms INTEGER NOT NULL,
        updated_at_ms INTEGER NOT NULL,
        settled_at_ms INTEGER
      );
      CREATE INDEX in_flight_unsettled ON in_flight (settled_at_ms, started_at_ms);
      CREATE INDEX in_flight_request ON in_flight (request_key);
      CREATE INDEX in_flight_sim ON in_flight (sim_id, settled_at_ms);

      -- A used IP link whose work never finished (the process died) can be used again.
      ALTER TABLE ip_captures ADD COLUMN finished_at_ms INTEGER;
    `,
  },
  {
    version: 3,
    sql: `
      -- How the bot chose a mapping's source range ("Open again" repeats a typed range, proves an address again
      -- otherwise), read until now from the ledger's JSON: the open or retry that made it says.
      ALTER TABLE mappings ADD COLUMN source_kind TEXT CHECK (source_kind IN ('me', 'last', 'claimed', 'cidr'));
      UPDATE mappings SET source_kind = (
        SELECT json_extract(ledger.details_json, '$.source') FROM ledger
        WHERE ledger.mapping_id = mappings.id AND ledger.kind IN ('open', 'retry')
          AND json_extract(ledger.details_json, '$.source') IN ('me', 'last', 'claimed', 'cidr')
        ORDER BY ledger.at_ms DESC, ledger.rowid DESC LIMIT 1
      );
    `,
  },
  {
    version: 4,
    sql: `
      -- The durable scheduler: one row per job, unique by key; claimed with a lease (owner, token, until) before it
      -- runs, so that no two processes run it at once; a finished row stays, keeping its key taken.
      CREATE TABLE jobs (
        id TEXT PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL,
        due_at_ms INTEGER NOT NULL,
        payload_json TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        lease_owner TEXT,
        lease_token TEXT,
        lease_until_ms INTEGER,
        created_at_ms INTEGER NOT NULL,
        done_at_ms INTEGER
      );
      CREATE INDEX jobs_due ON jobs (done_at_ms, due_at_ms);

      -- What each watch of a mapping the bot opened has seen (the watch core's state, JSON), and where the shared
      -- read of the operator's audit log stands.
      CREATE TABLE watches (
        mapping_id TEXT PRIMARY KEY,
        state_json TEXT NOT NULL,
        started_at_ms INTEGER NOT NULL,
        updated_at_ms INTEGER NOT NULL,
        finished_at_ms INTEGER
      );
      CREATE INDEX watches_active ON watches (finished_at_ms);
      CREATE TABLE watch_cursors (
        id TEXT PRIMARY KEY,
        cursor_json TEXT NOT NULL,
        updated_at_ms INTEGER NOT NULL
      );
    `,
  },
  {
    version: 5,
    sql: `
      -- Every redraw of a channel card asks which mapping owns it now (an Extend moves it to the new mapping).
      CREATE INDEX mappings_card ON mappings (card_channel_id, card_ts);
    `,
  },
];
