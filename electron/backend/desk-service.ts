// The host-independent backend: implements the contract. Electron main and the web host both
// build one and route contract calls to it; nothing here knows which host it runs in.
import { randomUUID } from 'node:crypto';
import type { Api, ApiEventListener } from '../../shared/api/contract';
import type { ApiEvent, AppInfo, BackendError, ConnectionInput, ConnectionView, FetchErrorKind, GetResourceResult, ResourcePage, ResourceRef } from '../../shared/api/types';
import { merge3 } from '../../shared/json';
import { createActivityLog } from './activity-log';
import { shapeSaveResult, shapeSnapshot } from './answer-shape';
import { connectionContext, listPath, resolveBaseUrl } from './connection-context';
import type { EmbeddedSandbox } from './embedded-sandbox';
import { checkHttpUrl, header, sendRequest } from './http-client';
import { createTransport, DEFAULT_RETRY, type RetryPolicy } from './http-transport';
import { listPagePath, parseListPage } from './profiles/listing';
import { builtInProfileInfos, profileFor, profileInfo } from './profiles/registry';
import { redactHeaders, redactUrl } from './redact';
import { createResourceService } from './resource-service';
import { revisionInBody } from './revision';
import type { SecretBox } from './secrets';
import { openStore } from './store';
import { resolveAuth, secretOf, type StoredConnection } from './store/connections';
import { formatParseError, parseJson } from '../../shared/json';

export type DeskOptions = {
  host: AppInfo['host'];
  version: string;
  dataDir: string;
  secretBox: SecretBox;
  sandbox: EmbeddedSandbox | null;
  retry?: RetryPolicy;
  /** Default interval of watch polling. */
  watchIntervalMs?: number;
  /** How long a write may take before its outcome is reported unknown (default 15 s). */
  writeTimeoutMs?: number;
};

export type Desk = { api: Api; onEvent(listener: ApiEventListener): () => void; close(): Promise<void> };

const fail = (reason: BackendError['reason'], message: string): BackendError => ({ kind: 'error', reason, message });

export function createDesk(options: DeskOptions): Desk {
  const store = openStore(options.dataDir, options.secretBox);
  const activity = createActivityLog();
  const transport = createTransport(activity, options.retry ?? DEFAULT_RETRY);
  const sandboxUrl = () => options.sandbox?.url ?? null;
  const resources = createResourceService({ store, transport, sandboxUrl, writeTimeoutMs: () => options.writeTimeoutMs });
  const listeners = new Set<ApiEventListener>();
  const emit = (event: ApiEvent) => listeners.forEach((listener) => listener(event));
  activity.subscribe((entry) => emit({ type: 'activity', entry }));
  // One poller per resource, shared by every watch of it (a reloaded page watches again).
  type Poller = { ref: ResourceRef; timer: ReturnType<typeof setInterval>; watchIds: Set<string> };
  const pollers = new Map<string, Poller>();
  const pollerOf = new Map<string, string>();
  const refKey = (ref: ResourceRef) => `${ref.connectionId}\u0000${ref.id}`;

  // Writes a previous run left in flight (it stopped mid-write): their outcome is unknown; each is
  // checked against the server once the host is up, and shown until the operator settles it.
  const leftInFlight = store.audit.inFlight().map((entry) => entry.id);
  for (const id of leftInFlight) {
    store.audit.pending(id, 'unknown outcome: host-stopped', 'host-stopped', 'unreadable', null, 'Conflict Desk stopped while this write was in flight; not checked yet.');
  }
  const startupChecks = Promise.all(leftInFlight.map(async (id) => {
    const checked = await resources.checkPending(id);
    if (!('kind' in checked)) emit({ type: 'outcome-checked', pending: checked.pending });
  }));

  if (options.sandbox && store.connections.isEmpty()) {
    for (const connection of options.sandbox.connections) store.connections.save({ ...connection, isSandbox: true });
  }

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
      return [...builtIn, ...custom.filter((p, i) => custom.findIndex((q) => q.id === p.id) === i && !builtIn.some((b) => b.id === p.id))];
    },
    async listConnections() {
      return store.connections.list().map(view);
    },
    async saveConnection({ connection }) {
      const problem = checkConnectionInput(connection, connection.id ? store.connections.get(connection.id) : null);
      if (problem) return fail('invalid-input', problem);
      const saved = store.connections.save({ ...connection, customProfile: connection.customProfile ?? null });
      return { kind: 'ok', connection: view(saved) };
    },
    async removeConnection({ id }) {
      if (!store.connections.remove(id)) return fail('unknown-connection', 'That connection no longer exists.');
      store.drafts.discardConnection(id);
      return { kind: 'ok' };
    },
    async testConnection({ id, connection }) {
      let target: StoredConnection | null;
      if (connection) {
        // The form as typed, not yet saved: nothing is written.
        const previous = connection.id ? store.connections.get(connection.id) : null;
        const problem = checkConnectionInput(connection, previous);
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
        return fail('invalid-input', 'Name a saved connection (id) or give its settings (connection).');
      }
      const started = performance.now();
      const page = await listPage(target, { pageSize: 1 });
      if (page.kind === 'error') return page;
      const durationMs = Math.round(performance.now() - started);
      const count = page.total !== null ? `${page.total} resources` : page.items.length > 0 ? 'resources found' : 'no resources yet';
      return { kind: 'ok', message: `Connected in ${durationMs} ms: ${count}.`, durationMs };
    },
    listResources: ({ connectionId, ...query }) => listPage(store.connections.get(connectionId), query),
    async openResource({ ref, raw }) {
      const fetched = await resources.open(ref);
      if ('kind' in fetched) return fetched;
      return { kind: 'ok', snapshot: shapeSnapshot(fetched.snapshot, { raw }), draft: store.drafts.get(ref.connectionId, ref.id), pending: store.audit.pendingOutcomes(ref.connectionId, ref.id) };
    },
    async refreshResource({ ref, raw }) {
      const result = await resources.refresh(ref);
      if ('kind' in result) return result;
      return { kind: 'ok', snapshot: shapeSnapshot(result.fetched.snapshot, { raw }), changed: result.changed };
    },
    async saveDraft({ ref, text, baseRevision, baseJournalId, merge }) {
      if (!store.connections.get(ref.connectionId)) return fail('unknown-connection', 'That connection no longer exists.');
      const draft = store.drafts.save(ref.connectionId, ref.id, { text, baseRevision, baseJournalId, merge: merge ?? null });
      return { kind: 'ok', updatedAt: draft.updatedAt };
    },
    async listDrafts({ connectionId }) {
      return { kind: 'ok', drafts: store.drafts.list(connectionId) };
    },
    async discardDraft({ ref }) {
      store.drafts.discard(ref.connectionId, ref.id);
      return { kind: 'ok' };
    },
    async saveResource({ ref, text, baseJournalId, unconditional, full }) {
      const result = await resources.save(ref, text, baseJournalId, unconditional === true);
      if (result.kind === 'saved') discardDraftIfSaved(ref, text);
      return shapeSaveResult(result, { full });
    },
    async forceSave({ ref, text, overJournalId, full }) {
      const result = await resources.forceSave(ref, text, overJournalId);
      if (result.kind === 'saved') discardDraftIfSaved(ref, text);
      return shapeSaveResult(result, { full });
    },
    async history({ ref }) {
      const entries = store.journal.history(ref.connectionId, ref.id).map(({ body: _body, ...entry }) => entry);
      return { kind: 'ok', entries };
    },
    async revision({ ref, journalId, raw }) {
      const ctx = resources.context(ref.connectionId);
      if (!ctx.ok) return ctx.error;
      const row = store.journal.get(ref.connectionId, ref.id, journalId);
      if (!row) return fail('not-found', `No journal entry ${journalId} for this resource.`);
      const fetched = resources.fromJournal(ctx.value, ref, row);
      if ('kind' in fetched) return fetched;
      return { kind: 'ok', snapshot: shapeSnapshot(fetched.snapshot, { raw }) };
    },
    async watch({ ref, intervalMs }) {
      const ctx = resources.context(ref.connectionId);
      if (!ctx.ok) return ctx.error;
      const watchId = randomUUID();
      const key = refKey(ref);
      let poller = pollers.get(key);
      if (!poller) {
        const created: Poller = { ref, watchIds: new Set(), timer: setInterval(() => void pollOnce(created), intervalMs ?? options.watchIntervalMs ?? 5000) };
        pollers.set(key, created);
        poller = created;
      }
      poller.watchIds.add(watchId);
      pollerOf.set(watchId, key);
      return { kind: 'ok', watchId };
    },
    async unwatch({ watchId }) {
      const key = pollerOf.get(watchId);
      pollerOf.delete(watchId);
      const poller = key ? pollers.get(key) : undefined;
      if (poller) {
        poller.watchIds.delete(watchId);
        if (poller.watchIds.size === 0) {
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
      const checked = await resources.checkPending(auditId);
      if ('kind' in checked) return checked;
      emit({ type: 'outcome-checked', pending: checked.pending });
      return { kind: 'ok', pending: checked.pending, serverNow: checked.serverNow ? shapeSnapshot(checked.serverNow) : null };
    },
    async settleOutcome({ auditId, decision }) {
      const pending = store.audit.pendingOutcome(auditId);
      if (!pending) return fail('not-found', `No pending outcome ${auditId}; it may be settled already.`);
      const words = decision === 'accept-server'
        ? `operator accepted what the server holds (revision ${pending.serverRevision ?? 'unknown'}, ${pending.serverHolds}); the write itself stays unproven`
        : 'operator dismissed it; the write itself stays unproven';
      store.audit.settle(auditId, `unknown outcome (${pending.cause}); ${words}`, null);
      return { kind: 'ok' };
    },
    async auditLog({ ref }) {
      return { kind: 'ok', entries: store.audit.list(ref?.connectionId, ref?.id) };
    },
  };

  /** A draft goes once what it holds is saved; one typed while the save was under way stays. */
  function discardDraftIfSaved(ref: ResourceRef, savedText: string): void {
    const draft = store.drafts.get(ref.connectionId, ref.id);
    if (draft && draft.text === savedText) store.drafts.discard(ref.connectionId, ref.id);
  }

  async function listPage(connection: StoredConnection | null, { pageToken, filters, search, pageSize }: { pageToken?: string; filters?: Record<string, string>; search?: string; pageSize?: number }): Promise<ResourcePage | BackendError> {
    const ctx = connectionContext(connection, sandboxUrl());
    if (!ctx.ok) return ctx.error;
    const base = listPath(ctx.value);
    if (!base.ok) return fail('invalid-input', base.error);
    if (pageToken !== undefined && !isPathBelow(pageToken, ctx.value.baseUrl)) {
      return fail('invalid-input', 'That page token does not belong to this connection.');
    }
    const query = { pageSize: pageSize ?? 50, ...(pageToken ? { pageToken } : {}), ...(filters ? { filters } : {}), ...(search ? { search } : {}) };
    const path = listPagePath(ctx.value.spec.list, base.value, query);
    const outcome = await transport.read({ method: 'GET', url: ctx.value.baseUrl + path, headers: { accept: 'application/json', ...ctx.value.authHeaders } });
    if (outcome.kind === 'error') return fail(outcome.reason, outcome.message);
    if (outcome.status < 200 || outcome.status >= 300) {
      return { kind: 'error', reason: 'http', message: `The server answered ${outcome.status} to the list request.`, status: outcome.status, bodyExcerpt: outcome.text.slice(0, 2000) };
    }
    const parsed = parseJson(outcome.text);
    if (!parsed.ok) return fail('invalid-json', `The list response is not valid JSON: ${formatParseError(parsed.error)}`);
    const page = parseListPage(ctx.value.spec.list, parsed.value, path, ctx.value.baseUrl, query);
    if (!page.ok) return fail('invalid-json', page.error);
    return { kind: 'ok', ...page.value };
  }

  const polling = new Set<Poller>();
  async function pollOnce(poller: Poller): Promise<void> {
    // A slow server must not stack polls, and nobody listening means nobody to tell.
    if (polling.has(poller) || listeners.size === 0) return;
    polling.add(poller);
    try {
      const { ref } = poller;
      const result = await resources.refresh(ref, 'watch');
      if ('kind' in result) {
        for (const watchId of poller.watchIds) emit({ type: 'watch-error', watchId, ref, message: result.message });
        return;
      }
      // A write whose outcome is unknown is checked again with every poll of its resource.
      for (const pending of store.audit.pendingOutcomes(ref.connectionId, ref.id)) {
        const checked = await resources.checkPending(pending.auditId);
        if (!('kind' in checked)) emit({ type: 'outcome-checked', pending: checked.pending });
      }
      if (!result.changed) return;
      const before = result.previous?.editable ?? result.fetched.editable;
      const changedPaths = merge3(before, before, result.fetched.editable).changes.map((c) => c.path);
      for (const watchId of poller.watchIds) {
        emit({ type: 'resource-changed', watchId, ref, revision: result.fetched.snapshot.revision, journalId: result.fetched.snapshot.journalId, changedPaths });
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
      await startupChecks;
      for (const poller of pollers.values()) clearInterval(poller.timer);
      pollers.clear();
      store.close();
    },
  };
}

/** A page token is a path below the base URL; resolved, it must stay on the same origin and path. */
function isPathBelow(token: string, baseUrl: string): boolean {
  if (!token.startsWith('/') || token.startsWith('//')) return false;
  try {
    const base = new URL(baseUrl);
    const url = new URL(baseUrl + token);
    return url.origin === base.origin && url.pathname.startsWith(base.pathname.replace(/\/$/, '')) && !/(^|\/)\.\.(\/|$)/.test(token) && !token.includes('@');
  } catch {
    return false;
  }
}

function checkConnectionInput(input: ConnectionInput, previous: StoredConnection | null): string | null {
  const spec = profileFor(input.profileId, input.customProfile ?? null);
  if (!spec.ok) return spec.error;
  if (!(previous?.isSandbox && input.baseUrl === previous.baseUrl)) {
    const url = checkHttpUrl(input.baseUrl);
    if (!url.ok) return `Base URL: ${url.error}`;
  }
  for (const param of spec.value.params) {
    if (!input.params[param.name]?.trim()) return `${param.label} is required by the ${spec.value.label} profile.`;
  }
  if (input.auth.kind === 'basic' && !input.auth.username.trim()) return 'A user name is required for Basic authentication.';
  return null;
}

/** An ETag-aware GET of any URL: status, revision, parsed JSON body and redacted headers, or an error value. */
export async function getResource(rawUrl: string): Promise<GetResourceResult> {
  const shownUrl = redactUrl(rawUrl.trim());
  const checked = checkHttpUrl(rawUrl);
  if (!checked.ok) return failure(shownUrl, 'invalid-input', checked.error);
  const outcome = await sendRequest({ method: 'GET', url: checked.url.toString(), headers: { accept: 'application/json' } });
  if (outcome.kind === 'error') return failure(shownUrl, outcome.reason, outcome.message);
  const { status, text, headers, durationMs } = outcome;
  if (status < 200 || status >= 300) {
    return failure(shownUrl, 'http', `The server answered ${status}${describeStatus(status)}.`, { status, bodyExcerpt: text.slice(0, 2000) });
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    return failure(shownUrl, 'invalid-json', `The response is not valid JSON: ${(error as Error).message}`, { status, bodyExcerpt: text.slice(0, 2000) });
  }
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

function failure(url: string, reason: FetchErrorKind, message: string, extra: { status?: number; bodyExcerpt?: string } = {}): GetResourceResult {
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
