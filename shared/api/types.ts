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
export type FetchErrorKind = 'invalid-input' | 'network' | 'timeout' | 'http' | 'invalid-json' | 'too-large';

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
  | { kind: 'api-key-header'; header: string; key?: string };

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
};

/** Every failure a backend call can end in, as a value. */
export type BackendErrorKind =
  | FetchErrorKind
  | 'not-found'
  | 'unknown-connection'
  | 'precondition-required'
  | 'unguarded'
  | 'unknown-outcome'
  | 'rejected';

export type BackendError = { kind: 'error'; reason: BackendErrorKind; message: string; status?: number; bodyExcerpt?: string };

/** One revision of a resource as the journal holds it. */
export type Snapshot = {
  ref: ResourceRef;
  journalId: number;
  revision: string | null;
  /** False when the server gave nothing to make a write conditional on. */
  guarded: boolean;
  unguardedReason: string | null;
  /** The operator's document, pretty-printed JSON. */
  text: string;
  /**
   * The whole resource as the server sent it. Present in openResource, refreshResource and
   * revision results; left out of conflicts, which carry three documents already.
   */
  raw?: string;
  seenAt: string;
  source: JournalSource;
  /** The resource as a list row, so the browser can show what was just saved or refreshed. */
  summary: ResourceSummary | null;
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

export type OpenResult = { kind: 'ok'; snapshot: Snapshot; draft: Draft | null } | BackendError;

export type JournalSource = 'opened' | 'refreshed' | 'saved' | 'conflict' | 'watch' | 'listed' | 'verified';

export type JsonConflict = {
  id: string;
  path: string;
  kind: string;
  base?: unknown;
  mine?: unknown;
  theirs?: unknown;
};

export type SaveResult =
  | {
      kind: 'saved';
      snapshot: Snapshot;
      /** True when the response was lost and a re-read showed our write had landed. */
      recoveredAfterLostResponse: boolean;
      changedPaths: string[];
    }
  | {
      kind: 'conflict';
      status: number;
      base: Snapshot;
      theirs: Snapshot;
      /** The operator's text as submitted. */
      mine: string;
      /** The automatic merge (conflicts hold mine's value until settled). */
      merged: string;
      conflicts: JsonConflict[];
      changes: Array<{ path: string; side: string; op: string }>;
      /** The server moved, but none of the fields the operator changed. */
      onlyOtherFieldsChanged: boolean;
    }
  | BackendError;

export type HistoryEntry = { journalId: number; revision: string | null; source: JournalSource; seenAt: string; lastSeenAt: string; bodyHash: string };

export type AuditEntry = {
  id: number;
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
  | { type: 'resource-changed'; watchId: string; ref: ResourceRef; revision: string | null; journalId: number; changedPaths: string[] }
  | { type: 'watch-error'; watchId: string; ref: ResourceRef; message: string }
  | { type: 'activity'; entry: ActivityEntry };
