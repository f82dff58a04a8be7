import type { BatchIntent } from '../batch/intent';
// Domain values that cross the contract. Outcomes a caller must handle are values, not exceptions.

export type AppInfo = {
  name: string;
  version: string;
  /** Which host serves the contract: the Electron main process or the loopback web host. */
  host: 'electron' | 'web';
  platform: string;
  dataDir: string;
  /** Base URL of the embedded sandbox when this host started one. */
  sandboxUrl: string | null;
  /** A resource on the sandbox worth opening first; null without a sandbox. */
  suggestedUrl: string | null;
};

/** Kinds of failure a fetch can end in; each is shown to the operator in plain words. */
export type FetchErrorKind =
  'invalid-input' | 'network' | 'timeout' | 'http' | 'invalid-json' | 'too-large';

export type FetchError = {
  kind: 'error';
  reason: FetchErrorKind;
  message: string;
  status?: number;
  /** The start of the response body (for http errors), so the operator sees what the server said. */
  bodyExcerpt?: string;
};

export type HeaderList = Array<[name: string, value: string]>;

export type FetchedResource = {
  kind: 'ok';
  url: string;
  status: number;
  /** The ETag header as the server sent it, or null. */
  etag: string | null;
  /** The revision the operator sees: the ETag, or a version/revision field in the body. */
  revision: string | null;
  revisionSource: 'etag' | 'body' | null;
  body: unknown;
  /** The response text as received, so the editor can show it verbatim. */
  text: string;
  headers: HeaderList;
  durationMs: number;
  receivedAt: string;
};

export type GetResourceResult = FetchedResource | (FetchError & { url: string });

// ── Connections ───────────────────────────────────────────────────────────────────────────────

/** What the operator types. A secret left out keeps the one already saved. */
export type AuthInput =
  | { kind: 'none' }
  | { kind: 'basic'; username: string; password?: string }
  | { kind: 'bearer'; token?: string }
  | { kind: 'api-key-header'; header: string; key?: string }
  /** A credential in the query string (an Azure SAS `sv=…&sig=…`, `api_key=…`): appended to every request, encrypted at rest. */
  | { kind: 'query'; query?: string };

export type ConnectionInput = {
  id?: string;
  name: string;
  profileId: string;
  baseUrl: string;
  params: Record<string, string>;
  auth: AuthInput;
  /** A user-defined profile (JSON data); its id must equal profileId. */
  customProfile?: unknown;
};

/** A connection as the renderer sees it: never the secret, only whether one is saved. */
export type ConnectionView = {
  id: string;
  name: string;
  profileId: string;
  profileLabel: string;
  baseUrl: string;
  params: Record<string, string>;
  auth: { kind: AuthInput['kind']; username?: string; header?: string; hasSecret: boolean };
  isSandbox: boolean;
  hasCustomProfile: boolean;
};

export type ProfileInfo = {
  id: string;
  label: string;
  family: string;
  description: string;
  params: Array<{ name: string; label: string; placeholder?: string }>;
  filters: Array<{ name: string; label: string; options?: string[] }>;
  hasSearch: boolean;
  builtIn: boolean;
};

// ── Resources ─────────────────────────────────────────────────────────────────────────────────

export type ResourceRef = { connectionId: string; id: string };

export type ResourceSummary = {
  id: string;
  title: string;
  subtitle: string | null;
  status: string | null;
  revision: string | null;
  updatedAt: string | null;
};

export type ResourcePage = {
  kind: 'ok';
  items: ResourceSummary[];
  nextPageToken: string | null;
  total: number | null;
  /** Rows of this page left out because their id holds the connection's own credential. */
  leftOut?: number;
};

/** Every failure a backend call can end in, as a value. */
export type BackendErrorKind =
  | FetchErrorKind
  | 'not-found'
  | 'unknown-connection'
  | 'precondition-required'
  | 'unguarded'
  | 'rejected'
  /** The server refused the write as stale, yet already holds exactly the edit: nothing to resolve. */
  | 'already-on-server'
  /** Another window kept a draft of the resource since this one last did: not written over. */
  | 'draft-conflict'
  /** Not done in the batch's state: a decision on a paused, interrupted or cancelled batch (409). */
  | 'batch-state';

export type BackendError = {
  kind: 'error';
  reason: BackendErrorKind;
  message: string;
  status?: number;
  bodyExcerpt?: string;
  retryAfterMs?: number;
};

/** The indent of every Snapshot.text: two spaces, as PRETTY. */
export const SNAPSHOT_INDENT = '  ';

/** One revision of a resource as the journal holds it. */
export type Snapshot = {
  ref: ResourceRef;
  journalId: number;
  revision: string | null;
  /** False when the server gave nothing to make a write conditional on. */
  guarded: boolean;
  unguardedReason: string | null;
  /**
   * The operator's document, pretty-printed JSON laid out as JSON.stringify(value, null, 2) lays it
   * out (SNAPSHOT_INDENT; the numbers and strings spelled as the server spelled them). The window
   * finds what it highlights by that layout.
   */
  text: string;
  /**
   * The whole resource as the server sent it. Left out of every answer unless asked for with
   * `raw: true` (openResource, refreshResource, revision): the renderer edits `text` only, so the
   * document crosses the wire once (docs/api.md "A lean wire").
   */
  raw?: string;
  seenAt: string;
  source: JournalSource;
  /** The resource as a list row, so the browser can show what was just saved or refreshed. */
  summary: ResourceSummary | null;
  /**
   * The fields the server manages (the profile's `serverManaged`: Azure's `Timestamp`, keys),
   * pretty JSON by pointer, shown read-only; never part of `text`, never written back.
   */
  serverManaged?: string;
};

export type Draft = {
  text: string;
  baseRevision: string | null;
  baseJournalId: number | null;
  updatedAt: string;
  /** A merge in progress (decisions, hand edits), opaque to the backend, so closing or a crash loses none of it. */
  merge: string | null;
};

/** A resource with unsaved work: an edit, or a merge in progress. */
export type DraftSummary = { id: string; updatedAt: string; hasMerge: boolean };

/** `pending`: writes to this resource whose outcome is still unknown (shown on the resource until settled). */
export type OpenResult =
  { kind: 'ok'; snapshot: Snapshot; draft: Draft | null; pending: PendingOutcome[] } | BackendError;

export type JournalSource =
  'opened' | 'refreshed' | 'saved' | 'conflict' | 'watch' | 'listed' | 'verified';

export type JsonConflict = {
  id: string;
  path: string;
  kind: string;
  base?: unknown;
  mine?: unknown;
  theirs?: unknown;
};

/**
 * How a write ended, and what proves it. The app never claims more than it knows:
 * - `saved`: the write's own answer proves it (a 2xx carrying the new body or the new revision),
 *   and every changed path was checked against what the server holds (verify after write).
 * - `partly-applied`: the server accepted the write (2xx) but does not hold every change; the
 *   edit stays a draft.
 * - `conflict`: the server refused the write as stale (412/409); nothing of it was applied.
 * - `unknown-outcome`: the answer was lost, timed out or was a 5xx: the write may have landed, may
 *   still land, or may not; or a 2xx that could not be read back to check (`unverified`). Never
 *   "saved" on content equality alone, never resent.
 * - a `BackendError` from a save means nothing was written: the request never left (`network`
 *   with nothing sent, `invalid-input`, `unguarded`) or the server refused it without applying it
 *   (`rejected` 4xx, `precondition-required` 428, `not-found`).
 * docs/api.md "Outcomes of a write" is the long form.
 */
export type SaveResult =
  SavedOutcome | PartlyAppliedOutcome | ConflictOutcome | UnknownOutcome | BackendError;

export type SaveProof =
  /** The 2xx answer carried the resource with its revision, holding every change. */
  | 'answer-body'
  /** The 2xx answer named the new revision (e.g. the ETag of a 204); a re-read of that same revision holds every change. */
  | 'answer-revision-and-re-read'
  /** The 2xx answer named no revision; a re-read holds every change (accepted by the server, so ours). */
  | 'answer-and-re-read'
  /**
   * The 2xx answer named the new revision, but another writer moved the resource before it could be
   * re-read: the write is proven, its content could not be checked (see `movedSince`).
   */
  | 'answer-revision';

export type SavedOutcome = {
  kind: 'saved';
  /** What the server holds now, journalled: the base for the next edit. */
  snapshot: Snapshot;
  /** The revision this write created, from its own answer (or the re-read when the answer named none). */
  savedRevision: string | null;
  proof: SaveProof;
  /** JSON Pointers the operator changed (leaf level), deletions included. */
  changedPaths: string[];
  /**
   * The re-read found another revision than the one this write's answer named (another writer
   * came between, or the server names one content two ways): this write's revision is named in its
   * audit row (its content was never read, so it is not journalled), theirs is journalled as seen,
   * and `snapshot` is theirs. `changedPaths`: what differs from the document this write sent.
   * Null when the re-read found the answer's revision.
   */
  movedSince: {
    savedRevision: string | null;
    revision: string | null;
    changedPaths: string[];
  } | null;
  auditId: number;
};

/** One change the server did not apply: the value wanted and the value found, as JSON text (null = absent). */
export type MissingChange = { path: string; wanted: string | null; found: string | null };

export type PartlyAppliedOutcome = {
  kind: 'partly-applied';
  snapshot: Snapshot;
  savedRevision: string | null;
  changedPaths: string[];
  missing: MissingChange[];
  message: string;
  auditId: number;
};

/** Options the merge was made with, so the renderer builds the very same merge from base, mine and theirs. */
export type MergeOptionsWire = { idKeys?: string[] };

/**
 * A conflicting save answer. By default it carries *Server now* and what the merge needs beyond the
 * documents the caller already holds (its base, its own text): the renderer builds the one merge
 * from base, mine, `theirs` and `mergeOptions`. Scripts that want the merge done for them ask with
 * `full: true` (saveResource, forceSave) and get `ConflictDocuments` as well.
 */
export type ConflictOutcome = {
  kind: 'conflict';
  status: number;
  /** *Server now*, re-read and journalled: the base of the next save. */
  theirs: Snapshot;
  mergeOptions: MergeOptionsWire;
  /**
   * The answer to this write was lost and the server has since moved to a revision holding other
   * content: this write may or may not have been applied before the other change.
   */
  afterLostAnswer: boolean;
  auditId: number | null;
} & Partial<ConflictDocuments>;

/** What a conflict answer adds with `full: true`. */
export type ConflictDocuments = {
  /** *When you opened it*: the revision the write was conditional on. */
  base: Snapshot;
  /** The operator's text as submitted. */
  mine: string;
  /** The automatic merge (conflicts hold mine's value until settled). */
  merged: string;
  conflicts: JsonConflict[];
  changes: Array<{ path: string; side: string; op: string }>;
  /** The server moved, but none of the fields the operator changed (the renderer derives it from its own merge). */
  onlyOtherFieldsChanged: boolean;
};

export type FullConflictOutcome = ConflictOutcome & ConflictDocuments;

/** What the server held when an unknown outcome was last checked, compared with the operator's edit. */
export type ServerHolds =
  /** Every changed path holds the operator's value (it could still be someone else's identical save). */
  | 'your-edit'
  /** Still the revision the write was based on: the write has not landed (yet). */
  | 'base'
  /** Another revision that does not hold the edit. */
  | 'other'
  /** The server could not be read. */
  | 'unreadable';

export type UnknownOutcome = {
  kind: 'unknown-outcome';
  /**
   * `unverified`: the server accepted the write (2xx) but could not be read back to check that it
   * holds every change; the others: no answer proves anything.
   */
  cause:
    | 'lost-answer'
    | 'timeout'
    | 'server-error'
    | 'host-stopped'
    | 'unverified'
    | 'redirected'
    /** A 202: accepted for processing, not done; what the re-read lacks may still arrive. */
    | 'accepted';
  message: string;
  /** The revision the write was conditional on. */
  baseRevision: string | null;
  /** What the server holds now (journalled), or null when it could not be read. */
  serverNow: Snapshot | null;
  serverHolds: ServerHolds;
  changedPaths: string[];
  status?: number;
  auditId: number;
};

/** A write whose outcome is not known yet, kept until the operator settles it. */
export type PendingOutcome = {
  auditId: number;
  ref: ResourceRef;
  at: string;
  cause: UnknownOutcome['cause'];
  baseRevision: string | null;
  changedPaths: string[];
  serverHolds: ServerHolds;
  checkedAt: string | null;
  serverRevision: string | null;
  message: string;
};

export type HistoryEntry = {
  journalId: number;
  revision: string | null;
  source: JournalSource;
  seenAt: string;
  lastSeenAt: string;
  bodyHash: string;
  /** With a team store: who in the team saved this revision (null: it came from outside the team). */
  team?: TeamAttribution;
};

export type AuditEntry = {
  id: number;
  /** `in-flight` from just before the request is sent until its outcome is known; `pending` while unknown. */
  state: 'in-flight' | 'settled' | 'pending';
  at: string;
  osUser: string;
  connectionId: string;
  resourceId: string;
  mode: 'conditional' | 'force' | 'unconditional';
  fromRevision: string | null;
  toRevision: string | null;
  outcome: string;
  paths: string[];
  replaced: unknown;
  /** The batch this write belonged to, if any. */
  batchId: string | null;
};

export type ActivityEntry = {
  id: number;
  at: string;
  method: string;
  url: string;
  status: number | null;
  etag: string | null;
  ifMatch: string | null;
  durationMs: number;
  outcome: string;
};

/** Pushed from the backend (IPC event or server-sent event). */
export type ApiEvent =
  | {
      type: 'resource-changed';
      watchId: string;
      ref: ResourceRef;
      revision: string | null;
      journalId: number;
      changedPaths: string[];
    }
  | { type: 'watch-error'; watchId: string; ref: ResourceRef; message: string }
  | { type: 'activity'; entry: ActivityEntry }
  /** A pending (unknown) outcome was checked again, by the watch or at start. */
  | { type: 'outcome-checked'; pending: PendingOutcome }
  | { type: 'batch-progress'; batch: BatchSummary }
  /** Team store: a teammate's journal or audit row touched this resource (ids only; read the rows). */
  | { type: 'team-changed'; ref: ResourceRef; savedBy: string | null }
  /** Team store: someone opened, edited or left a resource; read teamPresence again. */
  | { type: 'team-presence' }
  /**
   * This app journalled a read or save of the resource: a new revision (or one that became
   * "saved"), and a history on show reads itself again; or, `seenAgain`, a revision listed already
   * read again (each poll of a watch), whose "last seen" is now `lastSeenAt` (it never moves back:
   * a read answered late counts as seen when it was sent).
   */
  | {
      type: 'journal-recorded';
      ref: ResourceRef;
      journalId: number;
      seenAgain: boolean;
      lastSeenAt: string;
    }
  /**
   * Made by the page itself, never sent by a host: its event stream was open, dropped (the host
   * closes the stream of a page that stopped reading it) and is open again, so events may have
   * been lost in between. What a listener shows is read again.
   */
  | { type: 'events-missed' };

// ── Batches ───────────────────────────────────────────────────────────────────────────────────

/** What became of one target of a batch. `pending`/`running` until it is settled. */
export type BatchTargetStatus =
  | 'pending'
  | 'running'
  /** Saved (proven) on the first try. */
  | 'applied'
  /** Saved after a conflict: the intent re-applied to Server now, which had changed elsewhere. */
  | 'reapplied'
  /** In the conflict queue: another writer changed what the intent writes. */
  | 'queued'
  /** Nothing written: the intent changed nothing here. */
  | 'skipped'
  | 'failed'
  | 'unknown'
  /** Settled from the queue by keeping the server's version (nothing written). */
  | 'kept-theirs'
  /**
   * Settled from the queue (or from `unknown`) by the operator's own save: a save of the resource
   * landed that holds the batch's change.
   */
  | 'merged'
  /** Not started: the batch was cancelled first (nothing sent). */
  | 'cancelled';

export type BatchState = 'running' | 'paused' | 'cancelled' | 'done' | 'interrupted';

export type BatchCounts = Record<BatchTargetStatus, number>;

export type BatchSummary = {
  batchId: string;
  connectionId: string;
  description: string;
  /** The change the batch makes (so a queued target can be re-made over any revision). */
  intents: BatchIntent[];
  /** The merge options of the connection's profile, for opening a queued target in the three-way view. */
  mergeOptions: MergeOptionsWire;
  state: BatchState;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  total: number;
  counts: BatchCounts;
  /**
   * Writes that left the app (whatever their outcome), each attempt counted: a target retried
   * after a 429 or a conflict, or written again by a decision, counts every write it sent.
   * Targets with a write sent: their `sent`.
   */
  writesSent: number;
  /** Targets settled per second since the start. */
  rate: number;
  concurrency: number;
  /**
   * When this summary was read from the host's store (milliseconds since the epoch, increasing
   * within a host and across its restarts). A control's answer and a progress event travel by
   * different channels and can arrive out of order: a page keeps the summary read last.
   */
  observedAt: number;
  /**
   * The group decision under way on the batch (asked from any window or script): its group's
   * signature, and whether a stop was asked (the write in flight finishing). Absent when none.
   */
  deciding?: { signature: string; stopping: boolean };
};

export type BatchTarget = {
  resourceId: string;
  status: BatchTargetStatus;
  attempts: number;
  sent: boolean;
  reason: string | null;
  signature: string | null;
  fromRevision: string | null;
  toRevision: string | null;
  baseJournalId: number | null;
  theirsJournalId: number | null;
  auditId: number | null;
};

/** A batch that touched one resource, as its history shows it. */
export type ResourceBatch = {
  batchId: string;
  description: string;
  state: BatchState;
  createdAt: string;
  target: BatchTarget;
};

/** Queued targets with the same paths in conflict: one decision can settle them all. */
export type ConflictGroup = { signature: string; paths: string[]; targets: BatchTarget[] };

export type BatchPreview =
  | {
      resourceId: string;
      kind: 'change';
      revision: string | null;
      changedPaths: string[];
      before: string;
      after: string;
    }
  | { resourceId: string; kind: 'no-change' }
  | { resourceId: string; kind: 'error'; message: string };

// ---- Team store (optional PostgreSQL shared by a team of operators) ----

export type TeamAttribution = {
  /** The operator whose save produced this revision; null when no one in the team saved it. */
  savedBy: string | null;
  /** The operator whose copy first recorded it. */
  firstSeenBy: string;
  /** Only in the team store: another operator's copy saw it, this one has not. */
  teamOnly: boolean;
};

export type TeamStatus = {
  configured: boolean;
  /** connected: drains and listens; offline: unreachable, writes queue locally; refused: schema newer than the app. */
  state: 'off' | 'connecting' | 'connected' | 'offline' | 'refused';
  operator: string;
  /** Where the store is, without its password. */
  where: string | null;
  queued: number;
  /** Rows the database refused as data (kept locally, not retried). */
  refused: number;
  lastError: string | null;
  /** Where the setting comes from: the command line / environment wins over the app's setting. */
  source: 'none' | 'settings' | 'command-line' | 'environment';
};

export type TeamPresence = {
  resourceId: string;
  operator: string;
  /** Milliseconds, measured by the team store's clock (no skew between machines). */
  openForMs: number;
  editingForMs: number | null;
};

/** A connection a teammate saved, without any secret: adding it here means typing one's own. */
export type SharedConnection = {
  name: string;
  profileId: string;
  baseUrl: string;
  params: Record<string, string>;
  auth: { kind: AuthInput['kind']; username?: string; header?: string };
  customProfile: unknown | null;
  sharedBy: string;
  updatedAt: string;
  /** This copy already has a connection to the same place. */
  alreadyHere: boolean;
};

export type OpenResourceInput = { ref: ResourceRef; editingSince: string | null };

export type AuditQuery = {
  operator?: string;
  connectionId?: string;
  resourceId?: string;
  since?: string;
  until?: string;
  limit?: number;
};

export type SharedAuditEntry = {
  /** host:local-id, the row's idempotent key. */
  key: string;
  at: string;
  operator: string;
  connectionName: string;
  resourceId: string;
  mode: AuditEntry['mode'];
  state: AuditEntry['state'];
  outcome: string;
  fromRevision: string | null;
  toRevision: string | null;
  paths: string[];
  /** The batch this write belonged to (null: an ordinary save). */
  batchId: string | null;
};

/** One target of a shared batch report (issue #11 + #10). */
export type SharedBatchTarget = Omit<
  BatchTarget,
  'baseJournalId' | 'theirsJournalId' | 'auditId'
> & {
  /** The target's write in the audit, as SharedAuditEntry.key (null: nothing was written). Local journal ids mean nothing to a teammate. */
  auditKey: string | null;
};

/** A batch's report as the team sees it: who ran it, on which connection, and what became of each target. */
export type SharedBatchReport = {
  batchId: string;
  operator: string;
  connectionName: string;
  description: string;
  state: BatchState;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  total: number;
  /** As BatchSummary's: each write that left the app. */
  writesSent: number;
  counts: BatchCounts;
  /** Every target, or only the asked-for resource's when the query names one. */
  targets: SharedBatchTarget[];
};

export type TeamBatchesQuery = { connectionId?: string; resourceId?: string; limit?: number };
