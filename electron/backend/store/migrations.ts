// Schema history. Append only: each entry upgrades the schema by one version.
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE connections (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    profile_id TEXT NOT NULL,
    base_url TEXT NOT NULL,
    params_json TEXT NOT NULL DEFAULT '{}',
    auth_kind TEXT NOT NULL,
    auth_user TEXT,
    auth_header TEXT,
    secret BLOB,
    custom_profile_json TEXT,
    is_sandbox INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );

  CREATE TABLE journal (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    connection_id TEXT NOT NULL,
    resource_path TEXT NOT NULL,
    revision TEXT,
    body_hash TEXT NOT NULL,
    body TEXT NOT NULL,
    source TEXT NOT NULL,
    seen_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    UNIQUE (connection_id, resource_path, revision, body_hash)
  );
  CREATE INDEX journal_by_resource ON journal (connection_id, resource_path, id);

  CREATE TABLE drafts (
    connection_id TEXT NOT NULL,
    resource_path TEXT NOT NULL,
    text TEXT NOT NULL,
    base_revision TEXT,
    base_journal_id INTEGER,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (connection_id, resource_path)
  );

  CREATE TABLE audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    os_user TEXT NOT NULL,
    connection_id TEXT NOT NULL,
    resource_path TEXT NOT NULL,
    mode TEXT NOT NULL,
    from_revision TEXT,
    to_revision TEXT,
    outcome TEXT NOT NULL,
    paths_json TEXT NOT NULL,
    replaced_json TEXT
  );
  CREATE INDEX audit_by_resource ON audit (connection_id, resource_path, id);
  `,
  `ALTER TABLE drafts ADD COLUMN merge TEXT;`,
  // A write is recorded before it is sent (in-flight) and settled after; unknown outcomes stay
  // pending with what the operator meant (intent: path -> wanted JSON text, null = absent).
  `
  ALTER TABLE audit ADD COLUMN state TEXT NOT NULL DEFAULT 'settled';
  ALTER TABLE audit ADD COLUMN intent_json TEXT;
  ALTER TABLE audit ADD COLUMN cause TEXT;
  ALTER TABLE audit ADD COLUMN server_holds TEXT;
  ALTER TABLE audit ADD COLUMN server_revision TEXT;
  ALTER TABLE audit ADD COLUMN checked_at TEXT;
  ALTER TABLE audit ADD COLUMN message TEXT;
  CREATE INDEX audit_by_state ON audit (state, id);
  `,
  // Batches: one row per batch (its intent and options) and one per target (status, attempts, what
  // a conflict left to decide). The conflict queue is the targets in status 'queued'.
  `
  CREATE TABLE batches (
    id TEXT PRIMARY KEY,
    connection_id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    intents_json TEXT NOT NULL,
    concurrency INTEGER NOT NULL,
    max_attempts INTEGER NOT NULL,
    state TEXT NOT NULL,
    started_at TEXT,
    finished_at TEXT,
    description TEXT NOT NULL DEFAULT ''
  );
  CREATE TABLE batch_targets (
    batch_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    resource_id TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    sent INTEGER NOT NULL DEFAULT 0,
    reason TEXT,
    signature TEXT,
    base_journal_id INTEGER,
    theirs_journal_id INTEGER,
    from_revision TEXT,
    to_revision TEXT,
    audit_id INTEGER,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (batch_id, seq)
  );
  CREATE INDEX batch_targets_by_status ON batch_targets (batch_id, status);
  CREATE INDEX batch_targets_by_resource ON batch_targets (resource_id, batch_id);
  ALTER TABLE audit ADD COLUMN batch_id TEXT;
  `,
  // Which tab of which window kept a draft: its own later writes pass whatever they name (one may
  // overtake another), another window's are refused when they name an older draft.
  `ALTER TABLE drafts ADD COLUMN writer TEXT;`,
  // The journal row a write was based on: checking a pending write again tells "still the base"
  // from "someone else's" by content when the base had no revision to compare.
  `ALTER TABLE audit ADD COLUMN base_journal_id INTEGER;`,
  // Each write of a batch target that left the app (a retried one counts each attempt), and
  // whether its latest may still be in flight (a target mid-read after a 429 is not). An older
  // row counts its one known write; one mid-write is taken as possibly in flight.
  `
  ALTER TABLE batch_targets ADD COLUMN writes INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE batch_targets ADD COLUMN in_flight INTEGER NOT NULL DEFAULT 0;
  UPDATE batch_targets SET writes = sent;
  UPDATE batch_targets SET in_flight = 1 WHERE status = 'running' AND sent = 1;
  `,
];
