-- Conflict Desk team store, schema version 2: batch reports (issue #10's batches, shared).
-- A batch's report is upserted whole each time its host queues it (created, paused, finished,
-- cancelled, a queue group settled): the batch id and (batch id, resource) are the idempotent keys.

-- The batch a write belonged to (NULL: an ordinary save). Rows drained before 002 keep NULL.
ALTER TABLE audit ADD COLUMN batch_id text;
CREATE INDEX audit_by_batch ON audit (batch_id) WHERE batch_id IS NOT NULL;

CREATE TABLE batch_reports (
  -- A random UUID made by the host that ran the batch; only that host updates the row.
  batch_id      text PRIMARY KEY,
  host_id       text NOT NULL,
  operator      text NOT NULL,
  scope         text NOT NULL,
  connection_name text NOT NULL,
  description   text NOT NULL,
  intents       jsonb NOT NULL,
  state         text NOT NULL,
  total         integer NOT NULL,
  writes_sent   integer NOT NULL,
  counts        jsonb NOT NULL,
  created_at    timestamptz NOT NULL,
  started_at    timestamptz,
  finished_at   timestamptz,
  updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX batch_reports_by_scope ON batch_reports (scope, created_at DESC);

CREATE TABLE batch_report_targets (
  batch_id      text NOT NULL REFERENCES batch_reports (batch_id) ON DELETE CASCADE,
  seq           integer NOT NULL,
  resource_path text NOT NULL,
  status        text NOT NULL,
  attempts      integer NOT NULL,
  sent          boolean NOT NULL,
  reason        text,
  signature     text,
  from_revision text,
  to_revision   text,
  -- The target's write in the shared audit: (host_id of the batch, audit_local_id).
  audit_local_id bigint,
  updated_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (batch_id, resource_path)
);
CREATE INDEX batch_targets_by_resource ON batch_report_targets (resource_path, batch_id);
