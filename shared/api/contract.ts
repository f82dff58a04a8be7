// The one API contract. Both transports (Electron IPC and the loopback web host) and the
// renderer's client are generated from `apiMethods`, so a method is declared exactly once.
import { MAX_ARGUMENT_DEPTH, nestsDeeperThan, s, type Check, type Infer } from './schema';
import type { JsonValue } from '../json';
import type { BatchIntent } from '../batch/intent';

type BatchIntentWire = BatchIntent;
import type {
  ActivityEntry,
  ApiEvent,
  AppInfo,
  AuditEntry,
  BackendError,
  BatchPreview,
  BatchSummary,
  BatchTarget,
  ConflictGroup,
  ConnectionInput,
  ConnectionView,
  DraftSummary,
  GetResourceResult,
  HistoryEntry,
  OpenResult,
  PendingOutcome,
  ProfileInfo,
  ResourceBatch,
  ResourcePage,
  ResourceRef,
  SaveResult,
  Snapshot,
  AuditQuery,
  OpenResourceInput,
  SharedAuditEntry,
  SharedBatchReport,
  SharedConnection,
  TeamBatchesQuery,
  TeamPresence,
  TeamStatus,
} from './types';

type MethodSpec<A, R> = { args: Check<A>; result: R };
const method = <A, R>(args: Check<A>): MethodSpec<A, R> => ({ args, result: undefined as R });

const ref = s.object({
  connectionId: s.string({ min: 1, max: 100 }),
  id: s.string({ min: 1, max: 1000 }),
});
const documentText = s.string({ max: 32 * 1024 * 1024 });
const secret = s.optional(s.string({ max: 4096 }));
const auth = s.tagged('kind', {
  none: s.object({ kind: s.literal('none') }),
  basic: s.object({ kind: s.literal('basic'), username: s.string({ max: 500 }), password: secret }),
  bearer: s.object({ kind: s.literal('bearer'), token: secret }),
  'api-key-header': s.object({
    kind: s.literal('api-key-header'),
    header: s.string({ min: 1, max: 200, pattern: /^[A-Za-z0-9-]+$/, label: 'header name' }),
    key: secret,
  }),
  query: s.object({
    kind: s.literal('query'),
    query: s.optional(
      s.string({
        max: 4096,
        pattern: /^\??([^=&#\s]+=[^&#\s]*)(&[^=&#\s]+=[^&#\s]*)*$|^$/,
        label: 'query string (name=value&name=value, encoded)',
      }),
    ),
  }),
});

const connectionInput = s.object({
  id: s.optional(s.string({ min: 1, max: 100 })),
  name: s.string({ min: 1, max: 200 }),
  profileId: s.string({ min: 1, max: 100 }),
  baseUrl: s.string({ min: 1, max: 2000 }),
  params: s.record(s.string({ max: 500 }), { maxKeys: 20 }),
  auth,
  customProfile: s.optional(s.json()),
});

type Ok<T = object> = { kind: 'ok' } & T;

// A batch's intent: JSON Pointers into the operator's document ('' or starting with '/').
const pointer = s.string({ max: 2000, pattern: /^(|\/.*)$/s, label: 'JSON Pointer' });
const jsonValue = s.json() as Check<JsonValue>;
const patchOp = s.tagged('op', {
  add: s.object({ op: s.literal('add'), path: pointer, value: jsonValue }),
  replace: s.object({ op: s.literal('replace'), path: pointer, value: jsonValue }),
  test: s.object({ op: s.literal('test'), path: pointer, value: jsonValue }),
  remove: s.object({ op: s.literal('remove'), path: pointer }),
  move: s.object({ op: s.literal('move'), from: pointer, path: pointer }),
  copy: s.object({ op: s.literal('copy'), from: pointer, path: pointer }),
});
const elementMatch = s.tagged('by', {
  id: s.object({
    by: s.literal('id'),
    idKey: s.string({ min: 1, max: 200 }),
    id: s.json() as Check<string | number>,
  }),
  value: s.object({ by: s.literal('value'), value: jsonValue }),
});
const intent = s.tagged('kind', {
  set: s.object({ kind: s.literal('set'), path: pointer, value: jsonValue }),
  remove: s.object({ kind: s.literal('remove'), path: pointer }),
  'add-element': s.object({
    kind: s.literal('add-element'),
    path: pointer,
    value: jsonValue,
    idKey: s.optional(s.string({ min: 1, max: 200 })),
  }),
  'remove-element': s.object({
    kind: s.literal('remove-element'),
    path: pointer,
    match: elementMatch,
  }),
  'json-patch': s.object({ kind: s.literal('json-patch'), ops: s.array(patchOp, { max: 200 }) }),
});
const intents = s.array(intent, { max: 50 }) as unknown as Check<BatchIntentWire[]>;
const batchId = s.string({ min: 1, max: 100 });
const matching = s.object({
  filters: s.optional(s.record(s.string({ max: 500 }), { maxKeys: 20 })),
  search: s.optional(s.string({ max: 500 })),
});
const auditQuery = s.object({
  operator: s.optional(s.string({ min: 1, max: 100 })),
  connectionId: s.optional(s.string({ min: 1, max: 100 })),
  resourceId: s.optional(s.string({ min: 1, max: 1000 })),
  since: s.optional(s.string({ min: 1, max: 40 })),
  until: s.optional(s.string({ min: 1, max: 40 })),
  limit: s.optional(s.integer({ min: 1, max: 100_000 })),
});

export const apiMethods = {
  appInfo: method<Record<string, never>, AppInfo>(s.object({})),
  getResource: method<{ url: string }, GetResourceResult>(
    s.object({ url: s.string({ min: 1, max: 8192 }) }),
  ),
  listProfiles: method<Record<string, never>, ProfileInfo[]>(s.object({})),
  listConnections: method<Record<string, never>, ConnectionView[]>(s.object({})),
  saveConnection: method<
    { connection: ConnectionInput },
    Ok<{ connection: ConnectionView }> | BackendError
  >(s.object({ connection: connectionInput }) as Check<{ connection: ConnectionInput }>),
  removeConnection: method<{ id: string }, Ok | BackendError>(
    s.object({ id: s.string({ min: 1, max: 100 }) }),
  ),
  /** Tests a saved connection by id, or the settings in a form before they are saved (secrets left out come from the saved one). */
  testConnection: method<
    { id?: string; connection?: ConnectionInput },
    Ok<{ message: string; durationMs: number }> | BackendError
  >(
    s.object({
      id: s.optional(s.string({ min: 1, max: 100 })),
      connection: s.optional(connectionInput),
    }) as Check<{ id?: string; connection?: ConnectionInput }>,
  ),
  listResources: method<
    {
      connectionId: string;
      pageToken?: string;
      filters?: Record<string, string>;
      search?: string;
      pageSize?: number;
    },
    ResourcePage | BackendError
  >(
    s.object({
      connectionId: s.string({ min: 1, max: 100 }),
      pageToken: s.optional(s.string({ max: 4000 })),
      filters: s.optional(s.record(s.string({ max: 500 }), { maxKeys: 20 })),
      search: s.optional(s.string({ max: 500 })),
      pageSize: s.optional(s.integer({ min: 1, max: 1000 })),
    }),
  ),
  /** `raw: true` adds each snapshot's raw server body (left out by default: the document crosses once). */
  openResource: method<{ ref: ResourceRef; raw?: boolean }, OpenResult>(
    s.object({ ref, raw: s.optional(s.boolean()) }),
  ),
  refreshResource: method<
    { ref: ResourceRef; raw?: boolean },
    Ok<{ snapshot: Snapshot; changed: boolean }> | BackendError
  >(s.object({ ref, raw: s.optional(s.boolean()) })),
  saveDraft: method<
    {
      ref: ResourceRef;
      text: string;
      baseRevision: string | null;
      baseJournalId: number | null;
      merge?: string | null;
      /**
       * When the draft this writer last kept or restored was kept (null: none). Given, the draft is
       * written only over that one or over none: another window's newer draft answers
       * `draft-conflict`. Left out, the draft is written whatever is there.
       */
      expected?: string | null;
      /**
       * Who writes (one tab of one window, any stable id): a draft this writer kept is written
       * over whatever `expected` names, since its own writes may overtake each other.
       */
      writer?: string;
    },
    Ok<{ updatedAt: string }> | BackendError
  >(
    s.object({
      ref,
      text: documentText,
      baseRevision: s.nullable(s.string({ max: 1000 })),
      baseJournalId: s.nullable(s.integer({ min: 1 })),
      merge: s.optional(s.nullable(s.string({ max: 64 * 1024 * 1024 }))),
      expected: s.optional(s.nullable(s.string({ max: 100 }))),
      writer: s.optional(s.string({ min: 1, max: 100 })),
    }),
  ),
  /** With `expected` (see saveDraft), another window's newer draft is left in place. */
  /** `keptNewer`: another window's newer draft was left in place (see saveDraft's `expected`). */
  discardDraft: method<
    { ref: ResourceRef; expected?: string | null; writer?: string },
    Ok<{ keptNewer?: true }>
  >(
    s.object({
      ref,
      expected: s.optional(s.nullable(s.string({ max: 100 }))),
      writer: s.optional(s.string({ min: 1, max: 100 })),
    }),
  ),
  listDrafts: method<{ connectionId: string }, Ok<{ drafts: DraftSummary[] }>>(
    s.object({ connectionId: s.string({ min: 1, max: 100 }) }),
  ),
  /** `full: true` makes a conflict carry base, mine, merged, conflicts and changes too (for scripts). */
  saveResource: method<
    {
      ref: ResourceRef;
      text: string;
      baseJournalId: number;
      unconditional?: boolean;
      full?: boolean;
    },
    SaveResult
  >(
    s.object({
      ref,
      text: documentText,
      baseJournalId: s.integer({ min: 1 }),
      unconditional: s.optional(s.boolean()),
      full: s.optional(s.boolean()),
    }),
  ),
  forceSave: method<
    { ref: ResourceRef; text: string; overJournalId: number; full?: boolean },
    SaveResult
  >(
    s.object({
      ref,
      text: documentText,
      overJournalId: s.integer({ min: 1 }),
      full: s.optional(s.boolean()),
    }),
  ),
  /** Every revision seen, oldest first, and the batches that touched the resource. */
  history: method<
    { ref: ResourceRef },
    Ok<{ entries: HistoryEntry[]; batches: ResourceBatch[] }> | BackendError
  >(s.object({ ref })),
  revision: method<
    { ref: ResourceRef; journalId: number; raw?: boolean },
    Ok<{ snapshot: Snapshot }> | BackendError
  >(s.object({ ref, journalId: s.integer({ min: 1 }), raw: s.optional(s.boolean()) })),
  watch: method<
    { ref: ResourceRef; intervalMs?: number; sinceJournalId?: number },
    Ok<{ watchId: string }> | BackendError
  >(
    s.object({
      ref,
      intervalMs: s.optional(s.integer({ min: 200, max: 600_000 })),
      sinceJournalId: s.optional(s.integer({ min: 1 })),
    }),
  ),
  unwatch: method<{ watchId: string }, Ok>(s.object({ watchId: s.string({ min: 1, max: 100 }) })),
  activity: method<{ afterId?: number }, Ok<{ entries: ActivityEntry[] }>>(
    s.object({ afterId: s.optional(s.integer({ min: 0 })) }),
  ),
  /** Writes whose outcome is unknown (lost answer, timeout, 5xx, or the host stopped mid-write), oldest first. */
  pendingOutcomes: method<{ connectionId?: string }, Ok<{ pending: PendingOutcome[] }>>(
    s.object({ connectionId: s.optional(s.string({ min: 1, max: 100 })) }),
  ),
  /** Re-reads the resource of a pending outcome and says what the server holds now; nothing is written. */
  checkOutcome: method<
    { auditId: number },
    Ok<{ pending: PendingOutcome; serverNow: Snapshot | null }> | BackendError
  >(s.object({ auditId: s.integer({ min: 1 }) })),
  /**
   * The operator settles a pending outcome: `accept-server` takes what the server holds as the base
   * (the audit row records it), `dismiss` closes it without a claim. Nothing is written upstream.
   */
  settleOutcome: method<
    { auditId: number; decision: 'accept-server' | 'dismiss' },
    Ok | BackendError
  >(
    s.object({
      auditId: s.integer({ min: 1 }),
      decision: s.literal('accept-server', 'dismiss'),
    }) as Check<{ auditId: number; decision: 'accept-server' | 'dismiss' }>,
  ),
  /** Every resource matching a filter and search, across all pages (at most 10,000 ids). */
  countMatching: method<
    { connectionId: string; filters?: Record<string, string>; search?: string },
    Ok<{ count: number; ids: string[]; truncated: boolean }> | BackendError
  >(
    s.object({
      connectionId: s.string({ min: 1, max: 100 }),
      filters: s.optional(s.record(s.string({ max: 500 }), { maxKeys: 20 })),
      search: s.optional(s.string({ max: 500 })),
    }),
  ),
  /** The diff a batch's intent would make on each of up to 20 targets (each read is journalled). */
  previewBatch: method<
    { connectionId: string; resourceIds: string[]; intents: BatchIntentWire[] },
    Ok<{ previews: BatchPreview[] }> | BackendError
  >(
    s.object({
      connectionId: s.string({ min: 1, max: 100 }),
      resourceIds: s.array(s.string({ min: 1, max: 1000 }), { max: 20 }),
      intents,
    }) as Check<{ connectionId: string; resourceIds: string[]; intents: BatchIntentWire[] }>,
  ),
  /** Starts a batch over the given ids or over everything matching a filter; it runs in the backend. */
  startBatch: method<
    {
      connectionId: string;
      resourceIds?: string[];
      matching?: { filters?: Record<string, string>; search?: string };
      intents: BatchIntentWire[];
      concurrency?: number;
      maxAttempts?: number;
      description?: string;
    },
    Ok<{ batch: BatchSummary }> | BackendError
  >(
    s.object({
      connectionId: s.string({ min: 1, max: 100 }),
      resourceIds: s.optional(s.array(s.string({ min: 1, max: 1000 }), { max: 10_000 })),
      matching: s.optional(matching),
      intents,
      concurrency: s.optional(s.integer({ min: 1, max: 32 })),
      maxAttempts: s.optional(s.integer({ min: 1, max: 10 })),
      description: s.optional(s.string({ max: 500 })),
    }) as Check<{
      connectionId: string;
      resourceIds?: string[];
      matching?: { filters?: Record<string, string>; search?: string };
      intents: BatchIntentWire[];
      concurrency?: number;
      maxAttempts?: number;
      description?: string;
    }>,
  ),
  listBatches: method<Record<string, never>, Ok<{ batches: BatchSummary[] }>>(s.object({})),
  batchStatus: method<{ batchId: string }, Ok<{ batch: BatchSummary }> | BackendError>(
    s.object({ batchId }),
  ),
  pauseBatch: method<{ batchId: string }, Ok<{ batch: BatchSummary }> | BackendError>(
    s.object({ batchId }),
  ),
  resumeBatch: method<{ batchId: string }, Ok<{ batch: BatchSummary }> | BackendError>(
    s.object({ batchId }),
  ),
  /**
   * Stops scheduling targets; writes already sent finish. The report says which were sent. A group
   * decision under way stops too (answered when it has).
   */
  cancelBatch: method<{ batchId: string }, Ok<{ batch: BatchSummary }> | BackendError>(
    s.object({ batchId }),
  ),
  /** The conflict queue, grouped by conflict signature (the same paths in conflict). */
  batchQueue: method<{ batchId: string }, Ok<{ groups: ConflictGroup[] }> | BackendError>(
    s.object({ batchId }),
  ),
  /**
   * One decision for a whole group of queued targets. `stopped`: a stop (stopBatchDecision, from
   * any window or script, or the host closing) left members of the group unreached, still queued.
   * Refused (`batch-state`, nothing written) on a paused, interrupted or cancelled batch.
   */
  settleBatchGroup: method<
    { batchId: string; signature: string; decision: 'mine' | 'theirs' },
    Ok<{ batch: BatchSummary; stopped: boolean }> | BackendError
  >(
    s.object({
      batchId,
      signature: s.string({ max: 5000 }),
      decision: s.literal('mine', 'theirs'),
    }) as Check<{ batchId: string; signature: string; decision: 'mine' | 'theirs' }>,
  ),
  /**
   * Stops the group decisions under way on a batch (and any waiting for one): the write in flight
   * finishes, the members not reached stay queued. Answers when they have stopped. `stopped`:
   * whether a decision was under way or waiting (false: there was nothing to stop).
   */
  stopBatchDecision: method<
    { batchId: string },
    Ok<{ batch: BatchSummary; stopped: boolean }> | BackendError
  >(s.object({ batchId })),
  /** The report: every target with its outcome, as rows, CSV or JSON text. */
  batchReport: method<
    { batchId: string; format?: 'rows' | 'csv' | 'json' },
    Ok<{ batch: BatchSummary; targets: BatchTarget[]; text: string | null }> | BackendError
  >(
    s.object({ batchId, format: s.optional(s.literal('rows', 'csv', 'json')) }) as Check<{
      batchId: string;
      format?: 'rows' | 'csv' | 'json';
    }>,
  ),
  auditLog: method<{ ref?: ResourceRef }, Ok<{ entries: AuditEntry[] }>>(
    s.object({ ref: s.optional(ref) }),
  ),
  // ---- Team store (issue #11): optional PostgreSQL shared by a team ----
  /** Whether a team store is configured, reachable, and how many local rows wait to reach it. */
  teamStatus: method<Record<string, never>, TeamStatus>(s.object({})),
  /** The app's setting: a postgres:// address (null turns the team store off) and the operator's name. */
  setTeamStore: method<
    { url: string | null; operator?: string },
    Ok<{ status: TeamStatus }> | BackendError
  >(
    s.object({
      url: s.nullable(s.string({ min: 1, max: 2000 })),
      operator: s.optional(s.string({ min: 1, max: 100 })),
    }),
  ),
  /** The resources this window has open (replaces the last set), each with since when it is being edited. */
  announcePresence: method<{ open: OpenResourceInput[] }, Ok | BackendError>(
    s.object({
      open: s.array(s.object({ ref, editingSince: s.nullable(s.string({ max: 40 })) }), {
        max: 200,
      }),
    }),
  ),
  /** Teammates who have resources of this connection open now (expired heartbeats left out). */
  teamPresence: method<{ connectionId: string }, Ok<{ presence: TeamPresence[] }> | BackendError>(
    s.object({ connectionId: s.string({ min: 1, max: 100 }) }),
  ),
  /** The audit of writes, the team's when a team store is connected (else this copy's), filtered. */
  auditQuery: method<
    AuditQuery,
    Ok<{ source: 'team' | 'local'; entries: SharedAuditEntry[] }> | BackendError
  >(auditQuery),
  /** The same rows as CSV. */
  auditCsv: method<AuditQuery, Ok<{ csv: string; filename: string; rows: number }> | BackendError>(
    auditQuery,
  ),
  /** Connection definitions teammates saved (never their secrets). */
  teamConnections: method<
    Record<string, never>,
    Ok<{ connections: SharedConnection[] }> | BackendError
  >(s.object({})),
  /** Batch reports, the team's when a team store is connected (else this copy's), newest first; by connection and/or resource. */
  teamBatches: method<
    TeamBatchesQuery,
    Ok<{ source: 'team' | 'local'; batches: SharedBatchReport[] }> | BackendError
  >(
    s.object({
      connectionId: s.optional(s.string({ min: 1, max: 100 })),
      resourceId: s.optional(s.string({ min: 1, max: 1000 })),
      limit: s.optional(s.integer({ min: 1, max: 500 })),
    }),
  ),
} as const;

/** Pushes from backend to renderer travel on one channel (IPC) or one event stream (web). */
export const API_EVENT_CHANNEL = 'api:event';
export type ApiEventListener = (event: ApiEvent) => void;

export type ApiMethodName = keyof typeof apiMethods;
export const apiMethodNames = Object.keys(apiMethods) as ApiMethodName[];

export type ApiArgs<M extends ApiMethodName> = Infer<(typeof apiMethods)[M]['args']>;
export type ApiResult<M extends ApiMethodName> = (typeof apiMethods)[M]['result'];

/** What the backend service implements. */
export type Api = { [M in ApiMethodName]: (args: ApiArgs<M>) => Promise<ApiResult<M>> };

/** What the renderer sees as `window.api`: the methods plus a subscription to pushed events. */
export type RendererApi = Api & { onEvent(listener: ApiEventListener): () => void };

export function isApiMethodName(name: string): name is ApiMethodName {
  return Object.prototype.hasOwnProperty.call(apiMethods, name);
}

export type ArgsCheck<M extends ApiMethodName> =
  { ok: true; value: ApiArgs<M> } | { ok: false; error: string };

/** Validates a payload from the other side of a transport. */
export function checkArgs<M extends ApiMethodName>(name: M, payload: unknown): ArgsCheck<M> {
  const spec = apiMethods[name];
  if (nestsDeeperThan(payload, MAX_ARGUMENT_DEPTH))
    return { ok: false, error: `arguments nest deeper than ${MAX_ARGUMENT_DEPTH} levels` };
  return spec.args.parse(payload ?? {}, '') as ArgsCheck<M>;
}

/** The IPC channel for a method. */
export const ipcChannel = (name: ApiMethodName) => `api:${name}`;

/** A host-level refusal (bad arguments, unknown method) — distinct from a method's own result. */
export type HostError = {
  kind: 'host-error';
  code:
    | 'invalid-arguments'
    | 'unknown-method'
    | 'unauthorized'
    | 'too-large'
    | 'internal'
    /** A request body stopped arriving. */
    | 'timeout'
    /** A framed body sent part of a text as a delta of one the host no longer holds. */
    | 'unknown-text';
  message: string;
};

export function hostError(code: HostError['code'], message: string): HostError {
  return { kind: 'host-error', code, message };
}

export function isHostError(value: unknown): value is HostError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { kind?: unknown }).kind === 'host-error'
  );
}
