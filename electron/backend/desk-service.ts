// The host-independent backend: implements the contract. Electron main and the web host both
// build one and route contract calls to it; nothing here knows which host it runs in.
import { randomUUID } from 'node:crypto';
import { apiMethodNames, type Api, type ApiEventListener } from '../../shared/api/contract';
import type {
  ApiEvent,
  AppInfo,
  BackendError,
  ConnectionInput,
  ConnectionView,
  FetchErrorKind,
  GetResourceResult,
  ResourcePage,
  ResourceRef,
  ResourceSummary,
  Snapshot,
} from '../../shared/api/types';
import { createActivityLog } from './activity-log';
import { shapeSaveResult, shapeSnapshot } from './answer-shape';
import {
  connectionContext,
  itemUrl,
  listPath,
  resolveBaseUrl,
  urlBelowBase,
  type ConnectionContext,
} from './connection-context';
import { authHeaderProblem, secretOriginProblem } from './connection-rules';
import type { EmbeddedSandbox } from './embedded-sandbox';
import { checkHttpUrl, header, sendRequest } from './http-client';
import { createTransport, DEFAULT_RETRY, type RetryPolicy } from './http-transport';
import { listPagePath, listRequest, parseDavPage, parseListPage } from './profiles/listing';
import { withServerWords } from './profiles/server-words';
import { builtInProfileInfos, profileFor, profileInfo } from './profiles/registry';
import { redactHeaders, redactUrl } from './redact';
import { createResourceService, type Fetched } from './resource-service';
import { createBatchRunner, reportCsv } from './batch/runner';
import type { BatchIntent } from '../../shared/batch/intent';
import {
  authSecretForms,
  maskError,
  maskThrown,
  maskSecrets,
  maskStrings,
  safeDecode,
  secretForms,
} from './secret-mask';
import { revisionInBody } from './revision';
import { keepRecent } from '../../shared/recent-map';
import type { SecretBox } from './secrets';
import { openStore } from './store';
import { createDeskTeam } from './team-store/desk-team';
import { mirrorToTeam } from './team-store/mirror';
import { resolveAuth, secretOf, type StoredConnection } from './store/connections';
import {
  diffPaths,
  formatParseError,
  parseJson,
  PRETTY,
  stringifyJson,
  type JsonValue,
} from '../../shared/json';
import { isDotSegment } from '../../shared/profiles/spec';
import { announceJournal } from './journal-events';
import { lockDataDir, type DataDirLock } from './store/data-dir-lock';

export type DeskOptions = {
  host: AppInfo['host'];
  version: string;
  dataDir: string;
  /**
   * The data directory held already (a host takes it before its sandbox, whose file lives there
   * too); without it the desk takes it, and lets it go on close.
   */
  dataDirLock?: DataDirLock;
  secretBox: SecretBox;
  sandbox: EmbeddedSandbox | null;
  retry?: RetryPolicy;
  /** Default interval of watch polling. */
  watchIntervalMs?: number;
  /** How long a write may take before its outcome is reported unknown (default 15 s). */
  writeTimeoutMs?: number;
  /** Pause before reading again, after a refusal, a server that seems not to have moved. */
  staleReadPauseMs?: number;
  /** Team store (#11): `--team-store` of browser mode; else the environment or the app's setting. */
  teamStore?: { url: string; operator?: string } | null;
  teamHeartbeatMs?: number;
  teamPresenceTtlMs?: number;
};

export type Desk = {
  api: Api;
  onEvent(listener: ApiEventListener): () => void;
  close(): Promise<void>;
};

/** The start of a page token the backend holds for the window (see shownPageToken). */
const HELD_PAGE = 'held-page:';
const HELD_PAGES_KEPT = 1000;

/** A token's text with its query decoded, as a server reads it (a credential percent- or form-encoded). */
function decodedQuery(token: string): string {
  try {
    return decodeURIComponent(token.replaceAll('+', ' '));
  } catch {
    return token;
  }
}

/** A list row's words in place of ones that hold the connection's own credential. */
const CREDENTIAL_HIDDEN = '(hidden: holds this connection’s credential)';

const fail = (reason: BackendError['reason'], message: string): BackendError => ({
  kind: 'error',
  reason,
  message,
});

export function createDesk(options: DeskOptions): Desk {
  const ownLock = options.dataDirLock ? null : lockDataDir(options.dataDir);
  try {
    return deskOn(options, () => ownLock?.release());
  } catch (error) {
    ownLock?.release();
    throw error;
  }
}

function deskOn(options: DeskOptions, letGo: () => void): Desk {
  // Team store (#11): local rows are queued for the team store as they are written (see team-store/mirror.ts).
  const localStore = openStore(options.dataDir, options.secretBox);
  const store = announceJournal(
    mirrorToTeam(localStore, () => team.team()),
    (event) => emit(event),
  );
  const activity = createActivityLog();
  const transport = createTransport(activity, options.retry ?? DEFAULT_RETRY);
  const sandboxUrl = () => options.sandbox?.url ?? null;
  const resources = createResourceService({
    store,
    transport,
    sandboxUrl,
    writeTimeoutMs: () => options.writeTimeoutMs,
    staleReadPauseMs: () => options.staleReadPauseMs,
  });
  const listeners = new Set<ApiEventListener>();
  const emit = (event: ApiEvent) => listeners.forEach((listener) => listener(event));
  activity.subscribe((entry) => emit({ type: 'activity', entry }));
  // Team store (#11): a teammate's save of a watched resource is checked at once, not at the next poll.
  const team = createDeskTeam({
    explicit: options.teamStore ?? null,
    dataDir: options.dataDir,
    secretBox: options.secretBox,
    store: localStore,
    sandboxUrl: () => options.sandbox?.url ?? null,
    ...(options.teamHeartbeatMs !== undefined ? { heartbeatMs: options.teamHeartbeatMs } : {}),
    ...(options.teamPresenceTtlMs !== undefined
      ? { presenceTtlMs: options.teamPresenceTtlMs }
      : {}),
    emit: (event) => emit(event),
    onTeammateSave: (ref) => {
      const poller = pollers.get(refKey(ref));
      if (poller) pollInBackground(poller);
    },
  });
  // Made after the team store: recovering an interrupted batch changes its state, which is queued for the team.
  const batches = createBatchRunner({ store, resources, emit: (event) => emit(event) });
  // One poller per resource, shared by every watch of it (a reloaded page watches again).
  // Each watch keeps the journal row it was last told of (at first, the one its tab opened). A
  // poll announces any other row: the journal's latest is no measure, since a save's read-back, a
  // batch write or another tab's open journals a change that no watch was told of.
  type Poller = {
    ref: ResourceRef;
    timer: ReturnType<typeof setInterval>;
    /** Watch id → the journal row it was last told of (null: none known). */
    watches: Map<string, number | null>;
  };
  const pollers = new Map<string, Poller>();
  const pollerOf = new Map<string, string>();
  const refKey = (ref: ResourceRef) => `${ref.connectionId}\u0000${ref.id}`;

  // Writes a previous run left in flight (it stopped mid-write): their outcome is unknown; each is
  // checked against the server once the host is up, and shown until the operator settles it.
  const leftInFlight = store.audit.inFlight().map((entry) => entry.id);
  for (const id of leftInFlight) {
    store.audit.pending(
      id,
      'unknown outcome: host-stopped',
      'host-stopped',
      'unreadable',
      null,
      'Conflict Desk stopped while this write was in flight; not checked yet.',
    );
  }
  const startupChecks = Promise.all(
    leftInFlight.map(async (id) => {
      const checked = await checkPending(id);
      if (!('kind' in checked)) emit({ type: 'outcome-checked', pending: checked.pending });
    }),
  );

  if (options.sandbox && store.connections.isEmpty()) {
    for (const connection of options.sandbox.connections)
      store.connections.save({ ...connection, isSandbox: true });
  }

  // The embedded sandbox's request log (readable without auth) masks the API-key headers our
  // connections send, whatever they are called.
  const maskInSandboxLog = (auth: ConnectionInput['auth'] | StoredConnection['auth']) => {
    if (auth.kind === 'api-key-header') options.sandbox?.maskHeaders?.([auth.header]);
  };
  for (const connection of store.connections.list()) maskInSandboxLog(connection.auth);

  const view = (connection: StoredConnection): ConnectionView => {
    const spec = profileFor(connection.profileId, connection.customProfile);
    const auth = connection.auth;
    return {
      id: connection.id,
      name: connection.name,
      profileId: connection.profileId,
      profileLabel: spec.ok ? spec.value.label : `${connection.profileId} (invalid profile)`,
      baseUrl: resolveBaseUrl(connection, sandboxUrl()) ?? connection.baseUrl,
      params: connection.params,
      auth: {
        kind: auth.kind,
        ...(auth.kind === 'basic' ? { username: auth.username } : {}),
        ...(auth.kind === 'api-key-header' ? { header: auth.header } : {}),
        hasSecret: !!secretOf(auth),
      },
      isSandbox: connection.isSandbox,
      hasCustomProfile: connection.customProfile !== null,
    };
  };

  const api: Api = {
    async appInfo() {
      return {
        name: 'Conflict Desk',
        version: options.version,
        host: options.host,
        platform: process.platform,
        dataDir: options.dataDir,
        sandboxUrl: sandboxUrl(),
        suggestedUrl: options.sandbox?.suggestedUrl ?? null,
      };
    },
    getResource: ({ url }) => getResource(url),
    async listProfiles() {
      const custom = store.connections.list().flatMap((c) => {
        const spec = c.customProfile === null ? null : profileFor(c.profileId, c.customProfile);
        return spec?.ok ? [profileInfo(spec.value, false)] : [];
      });
      const builtIn = builtInProfileInfos();
      return [
        ...builtIn,
        ...custom.filter(
          (p, i) =>
            custom.findIndex((q) => q.id === p.id) === i && !builtIn.some((b) => b.id === p.id),
        ),
      ];
    },
    async listConnections() {
      return store.connections.list().map(view);
    },
    async saveConnection({ connection }) {
      maskInSandboxLog(connection.auth);
      const previous = connection.id ? store.connections.get(connection.id) : null;
      const problem = checkConnectionInput(connection, previous, sandboxUrl());
      if (problem) return fail('invalid-input', problem);
      // An edit of a connection removed meanwhile (from another window) would bring it back under
      // its old id, without its secret, and give it back the journal and audit rows that id names.
      if (connection.id && !previous)
        return fail(
          'unknown-connection',
          'That connection was removed meanwhile (in another window?); add it again as a new connection.',
        );
      const saved = store.connections.save({
        ...connection,
        customProfile: connection.customProfile ?? null,
      });
      return { kind: 'ok', connection: view(saved) };
    },
    async removeConnection({ id }) {
      if (!store.connections.remove(id))
        return fail('unknown-connection', 'That connection no longer exists.');
      store.drafts.discardConnection(id);
      return { kind: 'ok' };
    },
    async testConnection({ id, connection }) {
      let target: StoredConnection | null;
      if (connection) {
        maskInSandboxLog(connection.auth);
        // The form as typed, not yet saved: nothing is written.
        const previous = connection.id ? store.connections.get(connection.id) : null;
        const problem = checkConnectionInput(connection, previous, sandboxUrl());
        if (problem) return fail('invalid-input', problem);
        target = {
          id: connection.id ?? 'unsaved',
          name: connection.name,
          profileId: connection.profileId,
          baseUrl: connection.baseUrl,
          params: connection.params,
          auth: resolveAuth(connection.auth, previous),
          customProfile: connection.customProfile ?? previous?.customProfile ?? null,
          isSandbox: previous?.isSandbox ?? false,
        };
      } else if (id) {
        target = store.connections.get(id);
      } else {
        return fail(
          'invalid-input',
          'Name a saved connection (id) or give its settings (connection).',
        );
      }
      const started = performance.now();
      const page = await listPage(target, { pageSize: 1 });
      // Masked here for the typed secret too (every saved one is masked on the way out, below).
      if (page.kind === 'error') return maskError(page, target ? authSecretForms(target.auth) : []);
      const durationMs = Math.round(performance.now() - started);
      const count =
        page.total !== null
          ? `${page.total} resources`
          : page.items.length > 0
            ? 'resources found'
            : 'no resources yet';
      return { kind: 'ok', message: `Connected in ${durationMs} ms: ${count}.`, durationMs };
    },
    listResources: ({ connectionId, ...query }) =>
      listPage(store.connections.get(connectionId), query),
    async openResource({ ref, raw }) {
      const fetched = await resources.open(ref);
      if ('kind' in fetched) return fetched;
      return {
        kind: 'ok',
        snapshot: shapeSnapshot(fetched.snapshot, { raw }),
        draft: store.drafts.get(ref.connectionId, ref.id),
        pending: store.audit.pendingOutcomes(ref.connectionId, ref.id),
      };
    },
    async refreshResource({ ref, raw }) {
      const result = await resources.refresh(ref);
      if ('kind' in result) return result;
      return {
        kind: 'ok',
        snapshot: shapeSnapshot(result.fetched.snapshot, { raw }),
        changed: result.changed,
      };
    },
    async saveDraft({ ref, text, baseRevision, baseJournalId, merge, expected, writer }) {
      if (!store.connections.get(ref.connectionId))
        return fail('unknown-connection', 'That connection no longer exists.');
      if (otherWindowsDraft(ref, expected, writer))
        return fail(
          'draft-conflict',
          'Another window keeps a newer draft of this resource, which this one would write over; your edit stays in this window until you save it.',
        );
      const draft = store.drafts.save(
        ref.connectionId,
        ref.id,
        { text, baseRevision, baseJournalId, merge: merge ?? null },
        writer ?? null,
      );
      return { kind: 'ok', updatedAt: draft.updatedAt };
    },
    async listDrafts({ connectionId }) {
      return { kind: 'ok', drafts: store.drafts.list(connectionId) };
    },
    async discardDraft({ ref, expected, writer }) {
      // Another window's newer draft is not this window's to drop, and the caller is told so.
      if (otherWindowsDraft(ref, expected, writer)) return { kind: 'ok', keptNewer: true };
      store.drafts.discard(ref.connectionId, ref.id);
      return { kind: 'ok' };
    },
    async saveResource({ ref, text, baseJournalId, unconditional, full }) {
      const result = await resources.save(ref, text, baseJournalId, unconditional === true);
      if (result.kind === 'saved') afterSave(ref, text, result.snapshot);
      return shapeSaveResult(result, { full });
    },
    async forceSave({ ref, text, overJournalId, full }) {
      const result = await resources.forceSave(ref, text, overJournalId);
      if (result.kind === 'saved') afterSave(ref, text, result.snapshot);
      return shapeSaveResult(result, { full });
    },
    async history({ ref }) {
      // The journal keeps the rows of a removed connection: listed, they would be a history none
      // of whose revisions can be read or restored (revision() refuses them), so it is refused too.
      if (!store.connections.get(ref.connectionId))
        return fail('unknown-connection', 'That connection no longer exists.');
      const local = () => store.journal.history(ref.connectionId, ref.id);
      // Team store (#11): the union of every teammate's journal, with who saved each revision.
      const entries = await team.history(ref, local);
      // A revision (an ETag) journalled before the credential rotated to one it holds is hidden.
      const ctx = resources.context(ref.connectionId);
      return {
        kind: 'ok',
        entries: ctx.ok
          ? entries.map((e) =>
              e.revision !== null && ctx.value.holdsSecret(e.revision)
                ? { ...e, revision: CREDENTIAL_HIDDEN }
                : e,
            )
          : entries,
        batches: store.batches.ofResource(ref.connectionId, ref.id),
      };
    },
    async revision({ ref, journalId, raw }) {
      const fetched = journalled(ref, journalId);
      if ('kind' in fetched) return fetched;
      return { kind: 'ok', snapshot: shapeSnapshot(fetched.snapshot, { raw }) };
    },
    async watch({ ref, intervalMs, sinceJournalId }) {
      const ctx = resources.context(ref.connectionId);
      if (!ctx.ok) return ctx.error;
      // An id that cannot be an item path is refused now, not at every poll.
      const url = itemUrl(ctx.value, ref.id);
      if (!url.ok) return fail('invalid-input', url.error);
      // The revision the caller holds must be one of this resource's: any other would make the
      // first poll announce a change that never happened.
      if (
        sinceJournalId !== undefined &&
        !store.journal.get(ref.connectionId, ref.id, sinceJournalId)
      )
        return fail(
          'invalid-input',
          `Journal entry ${sinceJournalId} is not a revision of ${ref.id} on this connection.`,
        );
      const watchId = randomUUID();
      const key = refKey(ref);
      let poller = pollers.get(key);
      if (!poller) {
        const created: Poller = {
          ref,
          watches: new Map(),
          timer: setInterval(
            () => pollInBackground(created),
            intervalMs ?? options.watchIntervalMs ?? 5000,
          ),
        };
        pollers.set(key, created);
        poller = created;
      }
      poller.watches.set(
        watchId,
        sinceJournalId ?? store.journal.latest(ref.connectionId, ref.id)?.journalId ?? null,
      );
      pollerOf.set(watchId, key);
      return { kind: 'ok', watchId };
    },
    async unwatch({ watchId }) {
      const key = pollerOf.get(watchId);
      pollerOf.delete(watchId);
      const poller = key ? pollers.get(key) : undefined;
      if (poller) {
        poller.watches.delete(watchId);
        if (poller.watches.size === 0) {
          clearInterval(poller.timer);
          pollers.delete(key!);
        }
      }
      return { kind: 'ok' };
    },
    async activity({ afterId }) {
      return { kind: 'ok', entries: activity.since(afterId) };
    },
    async pendingOutcomes({ connectionId }) {
      return { kind: 'ok', pending: store.audit.pendingOutcomes(connectionId) };
    },
    async checkOutcome({ auditId }) {
      const checked = await checkPending(auditId);
      if ('kind' in checked) return checked;
      emit({ type: 'outcome-checked', pending: checked.pending });
      return {
        kind: 'ok',
        pending: checked.pending,
        serverNow: checked.serverNow ? shapeSnapshot(checked.serverNow) : null,
      };
    },
    async settleOutcome({ auditId, decision }) {
      const pending = store.audit.pendingOutcome(auditId);
      if (!pending)
        return fail('not-found', `No pending outcome ${auditId}; it may be settled already.`);
      const words =
        decision === 'accept-server'
          ? `operator accepted what the server holds (revision ${pending.serverRevision ?? 'unknown'}, ${pending.serverHolds}); the write itself stays unproven`
          : 'operator dismissed it; the write itself stays unproven';
      store.audit.settle(auditId, `unknown outcome (${pending.cause}); ${words}`, null);
      return { kind: 'ok' };
    },
    async countMatching({ connectionId, filters, search }) {
      const all = await allIds(connectionId, {
        ...(filters ? { filters } : {}),
        ...(search ? { search } : {}),
      });
      if ('kind' in all) return all;
      return { kind: 'ok', count: all.ids.length, ids: all.ids, truncated: all.truncated };
    },
    async previewBatch({ connectionId, resourceIds, intents }) {
      if (!store.connections.get(connectionId))
        return fail('unknown-connection', 'That connection no longer exists.');
      return { kind: 'ok', previews: await batches.preview(connectionId, resourceIds, intents) };
    },
    async startBatch({
      connectionId,
      resourceIds,
      matching,
      intents,
      concurrency,
      maxAttempts,
      description,
    }) {
      if (!store.connections.get(connectionId))
        return fail('unknown-connection', 'That connection no longer exists.');
      if ((resourceIds === undefined) === (matching === undefined))
        return fail(
          'invalid-input',
          'Name the targets: either resourceIds or matching (a filter and search), not both.',
        );
      if (intents.length === 0)
        return fail('invalid-input', 'A batch needs at least one change (intents).');
      let ids = resourceIds ?? [];
      if (matching) {
        const all = await allIds(connectionId, matching);
        if ('kind' in all) return all;
        if (all.truncated)
          return fail(
            'invalid-input',
            `More than ${MAX_BATCH_TARGETS} resources match; narrow the filter.`,
          );
        ids = all.ids;
      }
      if (ids.length === 0)
        return fail('invalid-input', 'No resources to change: the selection is empty.');
      const batch = batches.start({
        connectionId,
        resourceIds: ids,
        intents,
        concurrency: concurrency ?? 4,
        maxAttempts: maxAttempts ?? 3,
        description: description ?? describeIntents(intents),
      });
      return { kind: 'ok', batch };
    },
    async listBatches() {
      return { kind: 'ok', batches: batches.list() };
    },
    async batchStatus({ batchId }) {
      const batch = batches.status(batchId);
      return batch ? { kind: 'ok', batch } : fail('not-found', `No batch ${batchId}.`);
    },
    async pauseBatch({ batchId }) {
      const batch = await batches.pause(batchId);
      return batch ? { kind: 'ok', batch } : fail('not-found', `No batch ${batchId}.`);
    },
    async resumeBatch({ batchId }) {
      const batch = await batches.resume(batchId);
      return batch ? { kind: 'ok', batch } : fail('not-found', `No batch ${batchId}.`);
    },
    async cancelBatch({ batchId }) {
      const batch = await batches.cancel(batchId);
      return batch ? { kind: 'ok', batch } : fail('not-found', `No batch ${batchId}.`);
    },
    async batchQueue({ batchId }) {
      if (!batches.status(batchId)) return fail('not-found', `No batch ${batchId}.`);
      return { kind: 'ok', groups: batches.queue(batchId) };
    },
    async settleBatchGroup({ batchId, signature, decision }) {
      const settled = await batches.settleGroup(batchId, signature, decision);
      if (!settled) return fail('not-found', `No batch ${batchId}.`);
      if ('refused' in settled) return { ...fail('batch-state', settled.refused), status: 409 };
      return { kind: 'ok', ...settled };
    },
    async stopBatchDecision({ batchId }) {
      const stopped = await batches.stopDecision(batchId);
      return stopped ? { kind: 'ok', ...stopped } : fail('not-found', `No batch ${batchId}.`);
    },
    async batchReport({ batchId, format }) {
      const batch = batches.status(batchId);
      if (!batch) return fail('not-found', `No batch ${batchId}.`);
      const targets = batches.targets(batchId);
      const text =
        format === 'csv'
          ? reportCsv(targets)
          : format === 'json'
            ? stringifyJson({ batch, targets } as unknown as JsonValue, PRETTY)
            : null;
      return { kind: 'ok', batch, targets, text };
    },
    async auditLog({ ref }) {
      return { kind: 'ok', entries: store.audit.list(ref?.connectionId, ref?.id) };
    },
    // Team store (#11): status, setting, presence and the shared audit.
    ...team.methods,
  };

  /**
   * A filter the connection's profile does not have would be left out of the listing, so
   * "everything matching" would be everything: a count or a batch is refused instead, naming it.
   */
  function unknownCriteria(
    connectionId: string,
    query: { filters?: Record<string, string> },
  ): string | null {
    const ctx = connectionContext(store.connections.get(connectionId), sandboxUrl());
    if (!ctx.ok) return null;
    const known = (ctx.value.spec.list.filters ?? []).map((f) => f.name);
    const unknown = Object.entries(query.filters ?? {})
      .filter(([name, value]) => value && !known.includes(name))
      .map(([name]) => name);
    if (unknown.length > 0)
      return `${ctx.value.spec.label} has no filter ${unknown.map((n) => `"${n}"`).join(', ')}${known.length ? ` (its filters: ${known.join(', ')})` : ' (it has no filters)'}; nothing was counted or changed.`;
    return null;
  }

  /** Every id matching a filter and search, page after page (bounded). */
  async function allIds(
    connectionId: string,
    query: { filters?: Record<string, string>; search?: string },
  ): Promise<{ ids: string[]; truncated: boolean } | BackendError> {
    const unknown = unknownCriteria(connectionId, query);
    if (unknown) return fail('invalid-input', unknown);
    const ids: string[] = [];
    let pageToken: string | undefined;
    // The server's next links: one that leads back to a page already read loops forever.
    const read = new Set<string>();
    for (let pages = 0; pages < MAX_LIST_PAGES; pages++) {
      const page = await listPage(store.connections.get(connectionId), {
        ...query,
        pageSize: 200,
        ...(pageToken ? { pageToken } : {}),
      });
      if (page.kind === 'error') return page;
      // One by one: a page of hundreds of thousands of rows (a server ignoring the page size)
      // spread as arguments overflowed the stack.
      for (const item of page.items) {
        ids.push(item.id);
        if (ids.length > MAX_BATCH_TARGETS) break;
      }
      if (ids.length > MAX_BATCH_TARGETS)
        return { ids: ids.slice(0, MAX_BATCH_TARGETS), truncated: true };
      if (!page.nextPageToken) return { ids: [...new Set(ids)], truncated: false };
      pageToken = page.nextPageToken;
      // A held token is a new stand-in each time: the server's own token is what repeats.
      const token = heldPages.get(pageToken)?.token ?? pageToken;
      if (read.has(token))
        return fail(
          'http',
          `The server's listing leads back to a page it already gave (its next-page link loops, after ${pages + 1} pages); nothing was counted or changed.`,
        );
      read.add(token);
    }
    // Stopping here and calling the ids so far "everything matching" would leave the rest out
    // of a batch without a word.
    return fail(
      'http',
      `The server's listing did not end within ${MAX_LIST_PAGES} pages (${new Set(ids).size} resources so far); nothing was counted or changed. Narrow the filter.`,
    );
  }

  // Every error value that leaves the backend is masked for every saved secret: an upstream that
  // echoes a credential in its error body or message does not get it to the renderer. Resource
  // bodies a 2xx carried are not masked: they are written back, and masking would overwrite a
  // value the server holds with the mask. An exception (a bug) is masked too: the hosts print it
  // in their log (ipc.ts, web/server.ts), and its text may hold a URL with a query credential.
  const savedSecrets = () => store.connections.list().flatMap((c) => authSecretForms(c.auth));
  // Calls under way, which close() lets finish: a save mid-write settles its audit row rather
  // than reading a closed store. (The hosts stop taking calls before they close the desk.)
  const callsInFlight = new Set<Promise<unknown>>();
  for (const name of apiMethodNames) {
    const inner = api[name] as (args: unknown) => Promise<unknown>;
    (api as Record<string, (args: unknown) => Promise<unknown>>)[name] = async (args) => {
      let result: unknown;
      let call: Promise<unknown> | undefined;
      try {
        // Inside the try: a method that throws before its first await is masked too.
        call = inner(args);
        callsInFlight.add(call);
        result = await call;
      } catch (thrown) {
        throw maskThrown(thrown, savedSecrets);
      } finally {
        if (call) callsInFlight.delete(call);
      }
      // Secrets are decrypted only when there is an error to mask.
      return (result as { kind?: unknown } | null)?.kind === 'error'
        ? maskError(result, savedSecrets())
        : result;
    };
  }

  /**
   * Whether the resource's draft was kept by another writer since the one `expected` names (two
   * windows on one resource): written over or dropped, it would be lost while its window says
   * "draft kept". The writer's own draft (its tab's earlier write, however the two overtook each
   * other) is never another's. No expectation given: a script's unconditional write.
   */
  function otherWindowsDraft(
    ref: ResourceRef,
    expected: string | null | undefined,
    writer: string | undefined,
  ): boolean {
    if (expected === undefined) return false;
    const stored = store.drafts.version(ref.connectionId, ref.id);
    if (stored === null || stored.updatedAt === expected) return false;
    return writer === undefined || stored.writer !== writer;
  }

  /** Checks a write whose outcome is unknown again; a batch's target of it says what was found. */
  async function checkPending(auditId: number): ReturnType<typeof resources.checkPending> {
    const checked = await resources.checkPending(auditId);
    if (!('kind' in checked)) batches.afterCheck(checked.pending);
    return checked;
  }

  /** After the operator's save landed: its draft, and a batch target it merged by hand, settle. */
  function afterSave(ref: ResourceRef, savedText: string, saved: Snapshot): void {
    discardDraftIfSaved(ref, savedText);
    batches.afterSave(ref, {
      revision: saved.revision,
      editable: () => {
        const parsed = parseJson(saved.text);
        return parsed.ok ? parsed.value : undefined;
      },
    });
  }

  /** A draft goes once what it holds is saved; one typed while the save was under way stays. */
  function discardDraftIfSaved(ref: ResourceRef, savedText: string): void {
    const draft = store.drafts.get(ref.connectionId, ref.id);
    if (draft && draft.text === savedText) store.drafts.discard(ref.connectionId, ref.id);
  }

  async function listPage(
    connection: StoredConnection | null,
    {
      pageToken,
      filters,
      search,
      pageSize,
    }: { pageToken?: string; filters?: Record<string, string>; search?: string; pageSize?: number },
  ): Promise<ResourcePage | BackendError> {
    const ctx = connectionContext(connection, sandboxUrl());
    if (!ctx.ok) return ctx.error;
    const base = listPath(ctx.value);
    if (!base.ok) return fail('invalid-input', base.error);
    if (pageToken?.startsWith(HELD_PAGE)) {
      const held = heldPages.get(pageToken);
      if (!held || held.connectionId !== connection?.id)
        return fail(
          'invalid-input',
          'That page token is no longer known (the app host restarted since the list was read, or it belongs to another connection): list from the first page again.',
        );
      pageToken = held.token;
    }
    if (pageToken !== undefined && !isPathBelow(pageToken, ctx.value.baseUrl)) {
      return fail('invalid-input', 'That page token does not belong to this connection.');
    }
    const query = {
      pageSize: pageSize ?? 50,
      ...(pageToken ? { pageToken } : {}),
      ...(filters ? { filters } : {}),
      ...(search ? { search } : {}),
    };
    const path = listPagePath(ctx.value.spec.list, base.value, query);
    const request = listRequest(ctx.value.spec.list, path);
    const url = urlBelowBase(ctx.value, request.path);
    if (!url.ok) return fail('invalid-input', url.error);
    const outcome = await transport.read({
      method: request.method,
      url: url.value,
      headers: { accept: 'application/json', ...ctx.value.requestHeaders, ...request.headers },
      ...(request.body !== undefined ? { body: request.body } : {}),
      ...(ctx.value.credentialQuery ? { credentialQuery: ctx.value.credentialQuery } : {}),
      scrub: ctx.value.scrub,
    });
    if (outcome.kind === 'error') return fail(outcome.reason, outcome.message);
    if (outcome.status < 200 || outcome.status >= 300) {
      const upstream = ctx.value.scrub(outcome.text);
      return {
        kind: 'error',
        reason: 'http',
        message: withServerWords(
          `The server answered ${outcome.status} to the list request.`,
          upstream,
          ctx.value.spec.errorPointers,
        ),
        status: outcome.status,
        bodyExcerpt: upstream.slice(0, 2000),
      };
    }
    if (request.method === 'PROPFIND') {
      const dav = parseDavPage(
        ctx.value.spec.list,
        outcome.text,
        path,
        query,
        new URL(ctx.value.baseUrl).pathname,
      );
      return dav.ok
        ? {
            kind: 'ok',
            ...dav.value,
            ...shownRows(ctx.value, dav.value.items),
            nextPageToken: shownPageToken(ctx.value, dav.value.nextPageToken),
          }
        : fail('invalid-json', dav.error);
    }
    const parsed = parseJson(outcome.text);
    if (!parsed.ok)
      return fail(
        'invalid-json',
        `The list response is not valid JSON: ${formatParseError(parsed.error)}`,
      );
    const page = parseListPage(
      ctx.value.spec.list,
      parsed.value,
      path,
      ctx.value.baseUrl,
      query,
      outcome.headers,
    );
    if (!page.ok) return fail('invalid-json', page.error);
    return {
      kind: 'ok',
      ...page.value,
      ...shownRows(ctx.value, page.value.items),
      nextPageToken: shownPageToken(
        ctx.value,
        withoutCredentialQuery(page.value.nextPageToken, ctx.value.credentialQuery),
      ),
    };
  }

  /**
   * Next-page tokens that hold the connection's credential (a CouchDB page starts at the key of a
   * document whose id holds it, a row the window never sees): the window gets a stand-in, the
   * token stays here. Bounded: the oldest go first.
   */
  const heldPages = new Map<string, { connectionId: string; token: string }>();
  function shownPageToken(ctx: ConnectionContext, token: string | null): string | null {
    if (token === null || !(ctx.holdsSecret(token) || ctx.holdsSecret(decodedQuery(token))))
      return token;
    const handle = `${HELD_PAGE}${randomUUID()}`;
    keepRecent(heldPages, handle, { connectionId: ctx.connection.id, token }, HELD_PAGES_KEPT);
    return handle;
  }

  /**
   * A next link as the window may hold it: one that echoes the query credential (as many APIs
   * write the request's own query back) leaves it out, as a redirect's Location does; it is added
   * again when the page is read, once. The other parameters keep their text as the server wrote it.
   */
  function withoutCredentialQuery(token: string | null, credential: string | undefined) {
    const at = token?.indexOf('?') ?? -1;
    if (token === null || !credential || at === -1) return token;
    const names = new Set(new URLSearchParams(credential).keys());
    const nameOf = (pair: string) => safeDecode(pair.split('=', 1)[0]!.replaceAll('+', ' '));
    const kept = token
      .slice(at + 1)
      .split('&')
      .filter((pair) => !names.has(nameOf(pair)));
    return kept.length > 0 ? `${token.slice(0, at)}?${kept.join('&')}` : token.slice(0, at);
  }

  /**
   * List rows as the window may see them: a row's words that hold the connection's own credential
   * (an account listed with its key as its name) are hidden, as an opened body holding it is
   * refused; a row whose id holds it is left out, since its id is what the window would send back
   * (counted in `leftOut`, so the list can say why it shows fewer than the server has).
   */
  function shownRows(
    ctx: ConnectionContext,
    rows: ResourceSummary[],
  ): { items: ResourceSummary[]; leftOut?: number } {
    const hidden = (text: string | null) =>
      text !== null && ctx.holdsSecret(text) ? CREDENTIAL_HIDDEN : text;
    const items = rows
      .filter((row) => !ctx.holdsSecret(row.id))
      .map((row) => ({
        ...row,
        title: hidden(row.title) ?? CREDENTIAL_HIDDEN,
        subtitle: hidden(row.subtitle),
        status: hidden(row.status),
        revision: hidden(row.revision),
        updatedAt: hidden(row.updatedAt),
      }));
    const leftOut = rows.length - items.length;
    return leftOut > 0 ? { items, leftOut } : { items };
  }

  const polling = new Set<Poller>();
  // Polls run unawaited (a timer, a teammate's save): close() waits for those in flight, so none
  // reads a closed store, and one that throws says so to its watches instead of going unhandled.
  const pollsInFlight = new Set<Promise<void>>();
  function pollInBackground(poller: Poller): void {
    const run = pollOnce(poller)
      .catch((error: unknown) => {
        const message = maskSecrets(
          `Polling the resource failed: ${error instanceof Error ? error.message : String(error)}`,
          savedSecrets(),
        );
        for (const watchId of poller.watches.keys())
          emit({ type: 'watch-error', watchId, ref: poller.ref, message });
      })
      .finally(() => pollsInFlight.delete(run));
    pollsInFlight.add(run);
  }
  /** A journal row of the resource, as read when it was journalled. */
  function journalled(ref: ResourceRef, journalId: number): Fetched | BackendError {
    const ctx = resources.context(ref.connectionId);
    if (!ctx.ok) return ctx.error;
    const row = store.journal.get(ref.connectionId, ref.id, journalId);
    if (!row) return fail('not-found', `No journal entry ${journalId} for this resource.`);
    return resources.shownFromJournal(ctx.value, ref, row);
  }
  async function pollOnce(poller: Poller): Promise<void> {
    // A slow server must not stack polls, and nobody listening means nobody to tell.
    if (polling.has(poller) || listeners.size === 0 || resources.isWriting(poller.ref)) return;
    polling.add(poller);
    try {
      const { ref } = poller;
      const writes = resources.writesBegun(ref);
      const result = await resources.poll(ref);
      // Overtaken by a write of the resource: the next poll after it reports.
      if (result === 'superseded') return;
      if ('kind' in result) {
        const message = maskError(result, savedSecrets()).message;
        for (const watchId of poller.watches.keys())
          emit({ type: 'watch-error', watchId, ref, message });
        return;
      }
      // A write whose outcome is unknown is checked again with every poll of its resource.
      for (const pending of store.audit.pendingOutcomes(ref.connectionId, ref.id)) {
        const checked = await checkPending(pending.auditId);
        if (!('kind' in checked)) emit({ type: 'outcome-checked', pending: checked.pending });
      }
      // A write begun since the read (while the checks above read the server) made what was
      // read old news: announced now, it would say the server moved back to it.
      if (resources.writesBegun(ref) !== writes) return;
      const { journalId, revision } = result.fetched.snapshot;
      // Watches told of the same row hear the same paths: one diff per row they were told of.
      const pathsSince = new Map<number, string[]>();
      for (const [watchId, seen] of poller.watches) {
        if (seen === journalId) continue;
        // A watch begun before anything was read takes the first read as its starting point.
        if (seen === null) {
          poller.watches.set(watchId, journalId);
          continue;
        }
        let changedPaths = pathsSince.get(seen);
        if (changedPaths === undefined) {
          const told = journalled(ref, seen);
          const before =
            'kind' in told ? (result.previous?.editable ?? result.fetched.editable) : told.editable;
          changedPaths = diffPaths(before, result.fetched.editable).map((c) => c.path);
          pathsSince.set(seen, changedPaths);
        }
        poller.watches.set(watchId, journalId);
        emit({ type: 'resource-changed', watchId, ref, revision, journalId, changedPaths });
      }
    } finally {
      polling.delete(poller);
    }
  }

  return {
    api,
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      for (const poller of pollers.values()) clearInterval(poller.timer);
      pollers.clear();
      await Promise.all(pollsInFlight);
      await startupChecks;
      // First: runs and group decisions stop after the write in flight (the rest stays queued).
      await batches.close();
      // Bounded: a server that never answers must not keep the app from quitting (a write then
      // stays in flight in the audit, and the next start reports its outcome unknown).
      await Promise.race([
        Promise.allSettled([...callsInFlight]),
        new Promise((resolve) => setTimeout(resolve, CLOSE_WAITS_FOR_CALLS_MS).unref()),
      ]);
      try {
        await team.close();
        store.close();
      } finally {
        letGo();
      }
    },
  };
}

/** How long closing waits for the calls under way (a save's write, its read-back) to answer. */
const CLOSE_WAITS_FOR_CALLS_MS = 10_000;
const MAX_BATCH_TARGETS = 10_000;
/** How many pages of a listing "everything matching" reads before giving up on its end. */
const MAX_LIST_PAGES = 1000;

/** A batch's default name, in words: "set /priority · remove /attributes/tier". */
function describeIntents(intents: readonly BatchIntent[]): string {
  return intents
    .map((i) =>
      i.kind === 'json-patch' ? `JSON Patch (${i.ops.length} operations)` : `${i.kind} ${i.path}`,
    )
    .join(' · ');
}

/** A page token is a path below the base URL; resolved, it must stay on the same origin and path. */
function isPathBelow(token: string, baseUrl: string): boolean {
  if (!token.startsWith('/') || token.startsWith('//')) return false;
  try {
    const base = new URL(baseUrl);
    const url = new URL(baseUrl + token);
    return (
      url.origin === base.origin &&
      url.pathname.startsWith(base.pathname.replace(/\/$/, '')) &&
      !/(^|\/)\.\.(\/|$)/.test(token) &&
      !token.includes('@')
    );
  } catch {
    return false;
  }
}

function checkConnectionInput(
  input: ConnectionInput,
  previous: StoredConnection | null,
  sandboxUrl: string | null,
): string | null {
  if (!input.name.trim()) return 'Name: it cannot be blank.';
  const control = controlCharacter(input.name);
  if (control) return `Name: it holds a control character (${control}); remove it.`;
  const idControl = input.id === undefined ? null : controlCharacter(input.id);
  if (idControl) return `Connection id: it holds a control character (${idControl}).`;
  const spec = profileFor(input.profileId, input.customProfile ?? null);
  if (!spec.ok) return spec.error;
  if (!(previous?.isSandbox && input.baseUrl === previous.baseUrl)) {
    const url = checkHttpUrl(input.baseUrl);
    if (!url.ok) return `Base URL: ${url.error}`;
    // Paths are appended to the base URL: a query or fragment there would end up before the path
    // (and a SAS pasted there would be stored in clear text). It belongs in the query credential.
    if (url.url.search || url.url.hash || /[?#]/.test(input.baseUrl)) {
      return 'Base URL: it cannot carry a query or fragment (paths are appended to it). Put a SAS or an API key under Credentials → "Credential in the query string".';
    }
    // user:password@ would be stored and shown in clear text, outside the sealed credentials.
    if (url.url.username || url.url.password) {
      return 'Base URL: it cannot carry a user name or password (user:password@), which would be stored and shown in clear text. Put them under Credentials → "Basic".';
    }
  }
  for (const param of spec.value.params) {
    if (!Object.hasOwn(input.params, param.name) || !input.params[param.name]!.trim())
      return `${param.label} is required by the ${spec.value.label} profile.`;
    if (isDotSegment(input.params[param.name]!))
      return `${param.label} may not be "${input.params[param.name]}": it would step out of its place in the path.`;
  }
  if (input.auth.kind === 'basic' && !input.auth.username.trim())
    return 'A user name is required for Basic authentication.';
  // Basic sends user:password; a colon in the user name moves the split (RFC 7617).
  if (input.auth.kind === 'basic' && input.auth.username.includes(':'))
    return 'The Basic user name cannot hold a colon (":"): the server would take what follows it for the password.';
  const userControl = input.auth.kind === 'basic' ? controlCharacter(input.auth.username) : null;
  if (userControl)
    return `The Basic user name holds a control character (${userControl}); remove it.`;
  if (
    input.auth.kind === 'query' &&
    input.auth.query &&
    !/^\??[^=&#\s]+=[^&#\s]*(&[^=&#\s]+=[^&#\s]*)*$/.test(input.auth.query)
  ) {
    return 'The query-string credential must look like name=value&name=value, percent-encoded, with no spaces or #.';
  }
  return authHeaderProblem(input) ?? secretOriginProblem(input, previous, sandboxUrl);
}

/** The first control character of a text, named by code point and position, or null. */
function controlCharacter(text: string): string | null {
  const points = [...text].map((c) => c.codePointAt(0)!);
  const at = points.findIndex(
    (code) => code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029,
  );
  if (at === -1) return null;
  return `U+${points[at]!.toString(16).toUpperCase().padStart(4, '0')} at position ${at + 1}`;
}

/** An ETag-aware GET of any URL: status, revision, parsed JSON body and redacted headers, or an error value. */
export async function getResource(rawUrl: string): Promise<GetResourceResult> {
  const shownUrl = redactUrl(rawUrl.trim());
  const checked = checkHttpUrl(rawUrl);
  if (!checked.ok) return failure(shownUrl, 'invalid-input', checked.error);
  try {
    decodeURIComponent(checked.url.username);
    decodeURIComponent(checked.url.password);
  } catch {
    return failure(
      shownUrl,
      'invalid-input',
      'The user name or password in the address (user:password@) is not valid percent-encoding: write a "%" as %25. Nothing was sent.',
    );
  }
  // user:password@ travels as Basic authorization: none of its forms may come back in what the server says.
  const secrets = urlSecrets(checked.url);
  const result = await readUrl(checked.url, shownUrl);
  if (secrets.length === 0) return result;
  if (result.kind === 'error') return maskError(result, secrets);
  const mask = (text: string | null) => (text === null ? null : maskSecrets(text, secrets));
  return {
    ...result,
    text: maskSecrets(result.text, secrets),
    body: maskStrings(result.body, secrets),
    headers: result.headers.map(([n, v]) => [n, maskSecrets(v, secrets)]),
    etag: mask(result.etag),
    revision: mask(result.revision),
  };
}

function urlSecrets(url: URL): string[] {
  if (!url.password) return [];
  let user = url.username;
  let password = url.password;
  try {
    user = decodeURIComponent(user);
    password = decodeURIComponent(password);
  } catch {
    // Kept as written.
  }
  const pair = `${user}:${password}`;
  return [...secretForms(password), url.password, pair, Buffer.from(pair).toString('base64')];
}

async function readUrl(checkedUrl: URL, shownUrl: string): Promise<GetResourceResult> {
  const checked = { url: checkedUrl };
  const outcome = await sendRequest({
    method: 'GET',
    url: checked.url.toString(),
    headers: { accept: 'application/json' },
  });
  if (outcome.kind === 'error') return failure(shownUrl, outcome.reason, outcome.message);
  const { status, text, headers, durationMs } = outcome;
  if (status < 200 || status >= 300) {
    return failure(shownUrl, 'http', `The server answered ${status}${describeStatus(status)}.`, {
      status,
      bodyExcerpt: text.slice(0, 2000),
    });
  }
  // The same strict reading as openResource: duplicate keys and over-deep nesting are refused.
  const parsed = parseJson(text);
  if (!parsed.ok)
    return failure(
      shownUrl,
      'invalid-json',
      `The response is not valid JSON: ${formatParseError(parsed.error)}`,
      { status, bodyExcerpt: text.slice(0, 2000) },
    );
  const body: unknown = JSON.parse(text);
  const etag = header(headers, 'etag');
  const bodyRevision = revisionInBody(body);
  return {
    kind: 'ok',
    url: shownUrl,
    status,
    etag,
    revision: etag ?? bodyRevision,
    revisionSource: etag !== null ? 'etag' : bodyRevision !== null ? 'body' : null,
    body,
    text,
    headers: redactHeaders(headers),
    durationMs,
    receivedAt: new Date().toISOString(),
  };
}

function failure(
  url: string,
  reason: FetchErrorKind,
  message: string,
  extra: { status?: number; bodyExcerpt?: string } = {},
): GetResourceResult {
  return { kind: 'error', reason, message, url, ...extra };
}

const STATUS_WORDS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized — check the credentials',
  403: 'Forbidden',
  404: 'Not Found — no resource at this address',
  409: 'Conflict',
  412: 'Precondition Failed',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

function describeStatus(status: number): string {
  const words = STATUS_WORDS[status];
  return words ? ` (${words})` : '';
}
