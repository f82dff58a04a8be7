-- Conflict Desk team store, schema version 1.
-- What is shared: the journal of revisions, the audit of writes (with the operator's name),
-- presence, and connection definitions without their secrets. Never: secrets, drafts.

-- A connection's identity across machines: profile + base URL + parameters, never credentials.
-- Each operator's copy has its own local connection ids; `scope` is what they share.

CREATE TABLE journal (
  id            bigserial PRIMARY KEY,
  scope         text NOT NULL,
  resource_path text NOT NULL,
  revision      text,
  body_hash     text NOT NULL,
  body          text NOT NULL,
  -- How the first host that recorded it came to see it (opened, watch, saved, …).
  source        text NOT NULL,
  first_seen_at timestamptz NOT NULL,
  first_operator text NOT NULL,
  -- The team member whose write produced this revision; NULL = it came from outside the team.
  saved_by      text,
  saved_host    text,
  recorded_at   timestamptz NOT NULL DEFAULT now()
);
-- One row per revision and content, whichever host saw it first: the idempotent key of a drain.
CREATE UNIQUE INDEX journal_identity ON journal (scope, resource_path, coalesce(revision, ''), body_hash);
CREATE INDEX journal_by_resource ON journal (scope, resource_path, id);

CREATE TABLE audit (
  id            bigserial PRIMARY KEY,
  -- (host_id, local_id) is the idempotent key: a row queued twice lands once.
  host_id       text NOT NULL,
  local_id      bigint NOT NULL,
  operator      text NOT NULL,
  os_user       text NOT NULL,
  scope         text NOT NULL,
  connection_name text NOT NULL,
  resource_path text NOT NULL,
  mode          text NOT NULL,
  from_revision text,
  to_revision   text,
  state         text NOT NULL,
  outcome       text NOT NULL,
  paths         jsonb NOT NULL,
  replaced      jsonb,
  at            timestamptz NOT NULL,
  updated_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (host_id, local_id)
);
CREATE INDEX audit_by_time ON audit (at DESC);
CREATE INDEX audit_by_operator ON audit (operator, at DESC);
CREATE INDEX audit_by_resource ON audit (scope, resource_path, at DESC);

-- Presence: one row per host and open resource, kept alive by heartbeats; a row past its
-- expiry is ignored by every reader (a host killed mid-session disappears on its own).
CREATE TABLE presence (
  id            bigserial PRIMARY KEY,
  host_id       text NOT NULL,
  operator      text NOT NULL,
  scope         text NOT NULL,
  resource_path text NOT NULL,
  opened_at     timestamptz NOT NULL,
  editing_since timestamptz,
  heartbeat_at  timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL,
  UNIQUE (host_id, scope, resource_path)
);
CREATE INDEX presence_by_scope ON presence (scope, expires_at);

-- Connection definitions a teammate may reuse: no secret column exists, on purpose.
CREATE TABLE connections (
  scope         text PRIMARY KEY,
  name          text NOT NULL,
  profile_id    text NOT NULL,
  base_url      text NOT NULL,
  params        jsonb NOT NULL,
  auth_kind     text NOT NULL,
  auth_user     text,
  auth_header   text,
  custom_profile jsonb,
  shared_by     text NOT NULL,
  updated_at    timestamptz NOT NULL DEFAULT now()
);
