// Opening, refreshing and saving one resource through its profile. Every save is conditional on
// the revision the operator started from (unless they explicitly chose otherwise); a rejected save
// comes back as a three-way merge; a lost response is settled by re-reading, never by resending.
import type { BackendError, JournalSource, ResourceRef, SaveResult, Snapshot } from '../../shared/api/types';
import { formatParseError, getAt, jsonEqual, merge3, parseJson, PRETTY, stringifyJson, type JsonValue, type MergeResult } from '../../shared/json';
import { connectionContext, itemUrl, type ConnectionContext } from './connection-context';
import { header, type HttpOutcome } from './http-client';
import type { Transport } from './http-transport';
import { toEditable } from './profiles/editable';
import { summarise } from './profiles/listing';
import { revisionOf, type RevisionInfo } from './profiles/revision';
import { buildWrite, type Precondition } from './profiles/write-request';
import type { Store } from './store';
import { hashBody, type JournalRow } from './store/journal';

export type Fetched = { snapshot: Snapshot; body: JsonValue; editable: JsonValue; info: RevisionInfo };

export type ResourceDeps = { store: Store; transport: Transport; sandboxUrl: () => string | null };

const fail = (reason: BackendError['reason'], message: string, extra: Partial<BackendError> = {}): BackendError => ({ kind: 'error', reason, message, ...extra });

export function createResourceService(deps: ResourceDeps) {
  const { store, transport } = deps;

  const context = (connectionId: string) => connectionContext(store.connections.get(connectionId), deps.sandboxUrl());

  /** Builds the snapshot of a journal row: the operator's document is derived, never stored twice. */
  function snapshotOf(ctx: ConnectionContext, ref: ResourceRef, row: JournalRow, body: JsonValue, etag: string | null, derived?: { editable: JsonValue; text: string }): Fetched {
    const info = revisionOf(ctx.spec, etag, body);
    const editable = derived?.editable ?? toEditable(ctx.spec.editable, body);
    return {
      body,
      editable,
      info,
      snapshot: {
        ref,
        journalId: row.journalId,
        revision: info.revision,
        guarded: info.guarded,
        unguardedReason: info.unguardedReason,
        text: derived?.text ?? stringifyJson(editable, PRETTY),
        raw: row.body,
        seenAt: row.lastSeenAt,
        source: row.source,
        summary: summarise(ctx.spec.list, body),
      },
    };
  }

  /** A journal row re-read as a snapshot (the ETag, when the profile uses one, is the row's revision). */
  function fromJournal(ctx: ConnectionContext, ref: ResourceRef, row: JournalRow): Fetched | BackendError {
    const parsed = parseJson(row.body);
    if (!parsed.ok) return fail('invalid-json', `The journal entry ${row.journalId} does not parse: ${formatParseError(parsed.error)}`);
    return snapshotOf(ctx, ref, row, parsed.value, ctx.spec.revision.in === 'etag' ? row.revision : null);
  }

  function interpretRead(ctx: ConnectionContext, ref: ResourceRef, outcome: HttpOutcome, source: JournalSource): Fetched | BackendError | 'not-modified' {
    if (outcome.kind === 'error') return fail(outcome.reason, outcome.message);
    if (outcome.status === 304) return 'not-modified';
    if (outcome.status === 404) return fail('not-found', `There is no resource "${ref.id}" on the server (404).`, { status: 404, bodyExcerpt: outcome.text.slice(0, 2000) });
    if (outcome.status < 200 || outcome.status >= 300) {
      return fail('http', `The server answered ${outcome.status} when reading "${ref.id}".`, { status: outcome.status, bodyExcerpt: outcome.text.slice(0, 2000) });
    }
    const parsed = parseJson(outcome.text);
    if (!parsed.ok) return fail('invalid-json', `The server's answer is not valid JSON: ${formatParseError(parsed.error)}`, { bodyExcerpt: outcome.text.slice(0, 2000) });
    const etag = header(outcome.headers, 'etag');
    const info = revisionOf(ctx.spec, etag, parsed.value);
    const editable = toEditable(ctx.spec.editable, parsed.value);
    const text = stringifyJson(editable, PRETTY);
    const row = store.journal.record(ref.connectionId, ref.id, info.revision, outcome.text, source, hashBody(text));
    return snapshotOf(ctx, ref, row, parsed.value, etag, { editable, text });
  }

  async function fetchCurrent(ctx: ConnectionContext, ref: ResourceRef, source: JournalSource, ifNoneMatch?: string): Promise<Fetched | BackendError | 'not-modified'> {
    const url = itemUrl(ctx, ref.id);
    if (!url.ok) return fail('invalid-input', url.error);
    const headers: Record<string, string> = { accept: 'application/json', ...ctx.authHeaders };
    if (ifNoneMatch) headers['if-none-match'] = ifNoneMatch;
    return interpretRead(ctx, ref, await transport.read({ method: 'GET', url: url.value, headers }), source);
  }

  async function fetchOrFail(ctx: ConnectionContext, ref: ResourceRef, source: JournalSource): Promise<Fetched | BackendError> {
    const result = await fetchCurrent(ctx, ref, source);
    return result === 'not-modified' ? fail('http', 'The server answered 304 to a read without a precondition.') : result;
  }

  function parseMine(text: string): { ok: true; value: JsonValue } | { ok: false; error: BackendError } {
    const parsed = parseJson(text);
    if (parsed.ok) return parsed;
    return { ok: false, error: fail('invalid-input', `Your edit is not valid JSON — ${formatParseError(parsed.error)}. Nothing was sent.`) };
  }

  /** The three-way result of a rejected save: base, Server now (re-read and journalled), mine, merged. */
  function conflictResult(status: number, base: Fetched, theirs: Fetched, mineText: string, mine: JsonValue, ctx: ConnectionContext): SaveResult {
    const merged: MergeResult = merge3(base.editable, mine, theirs.editable, mergeOptions(ctx));
    // Both sides touched the same field when they clash, or made the same change (side "both").
    const overlaps = merged.conflicts.length > 0 || merged.changes.some((c) => c.side === 'both');
    const { raw: _baseRaw, ...baseSnapshot } = base.snapshot;
    const { raw: _theirsRaw, ...theirsSnapshot } = theirs.snapshot;
    return {
      kind: 'conflict',
      status,
      base: baseSnapshot,
      theirs: theirsSnapshot,
      mine: mineText,
      merged: stringifyJson(merged.merged, PRETTY),
      conflicts: merged.conflicts.map((c) => ({ id: c.id, path: c.path, kind: c.kind, base: c.base, mine: c.mine, theirs: c.theirs })),
      changes: merged.changes.map((c) => ({ path: c.path, side: c.side, op: c.op })),
      onlyOtherFieldsChanged: !overlaps,
    };
  }

  type WriteMode = 'conditional' | 'force' | 'unconditional';

  /** Sends one write against `base` and turns every outcome into a SaveResult. */
  async function write(ctx: ConnectionContext, ref: ResourceRef, base: Fetched, mineText: string, mine: JsonValue, mode: WriteMode): Promise<SaveResult> {
    const precondition: Precondition = mode === 'unconditional' ? { kind: 'none' } : base.info.precondition;
    if (precondition.kind === 'none' && mode !== 'unconditional') {
      return fail('unguarded', `${base.info.unguardedReason ?? 'This resource has no revision.'} Saving it would overwrite blindly; choose "Save without a precondition" to do so deliberately.`);
    }
    const parts = buildWrite(ctx.spec, { baseBody: base.body, baseEditable: base.editable, mine, precondition });
    if (!parts.ok) return fail('invalid-input', parts.error);
    if (parts.value.changedKeys.length === 0) return fail('invalid-input', 'Nothing to save: your edit is the same as the revision it is based on.');
    const url = itemUrl(ctx, ref.id);
    if (!url.ok) return fail('invalid-input', url.error);
    // The audit names each changed JSON Pointer (leaf level), and for an overwrite what stood there.
    const changedPaths = merge3(base.editable, mine, base.editable, mergeOptions(ctx)).changes.map((c) => c.path);
    const replaced = mode === 'force' ? Object.fromEntries(changedPaths.map((p) => [p, getAt(base.editable, p) ?? null])) : null;
    const audit = (outcome: string, toRevision: string | null) =>
      store.audit.record({ connectionId: ref.connectionId, resourceId: ref.id, mode, fromRevision: base.snapshot.revision, toRevision, outcome, paths: changedPaths, replaced });

    const outcome = await transport.write({ method: parts.value.method, url: url.value, headers: { ...parts.value.headers, ...ctx.authHeaders }, body: parts.value.body });

    if (outcome.kind === 'error') {
      if (outcome.sent === 'no') {
        audit(`not sent: ${outcome.message}`, null);
        return fail(outcome.reason, `${outcome.message} Nothing was sent; your edit is kept.`);
      }
      return settleLostResponse(ctx, ref, base, mineText, mine, parts.value.changedKeys, changedPaths, audit);
    }
    const { status } = outcome;
    if (status >= 200 && status < 300) {
      const saved = outcome.text.trim() ? interpretRead(ctx, ref, { ...outcome, status: 200 }, 'saved') : await fetchCurrent(ctx, ref, 'saved');
      if (saved === 'not-modified' || 'kind' in saved) {
        audit(`saved (${status}); re-read failed`, null);
        return fail('http', `The server accepted the save (${status}) but its new state could not be read back. Refresh before editing again.`);
      }
      audit(`saved (${status})`, saved.snapshot.revision);
      return { kind: 'saved', snapshot: saved.snapshot, recoveredAfterLostResponse: false, changedPaths };
    }
    if (ctx.spec.write.conflictStatuses.includes(status)) {
      audit(`conflict (${status})`, null);
      const theirs = await fetchOrFail(ctx, ref, 'conflict');
      if ('kind' in theirs) return fail(theirs.reason, `The server refused the save as stale (${status}), and reading its current state failed: ${theirs.message}`);
      return conflictResult(status, base, theirs, mineText, mine, ctx);
    }
    audit(`refused (${status})`, null);
    if (status === 428) {
      return fail('precondition-required', 'The server requires a precondition (428) and refused this write. Nothing was changed.', { status, bodyExcerpt: outcome.text.slice(0, 2000) });
    }
    if (status === 404) return fail('not-found', 'The resource no longer exists on the server (404). Your edit is kept.', { status });
    if (status >= 300 && status < 400) {
      return fail('rejected', `The server answered the save with a redirect (${status}${header(outcome.headers, 'location') ? ` to ${header(outcome.headers, 'location')}` : ''}). It was not followed, so nothing was sent twice; check the connection's base URL.`, { status });
    }
    return fail('rejected', `The server refused the save with ${status}.`, { status, bodyExcerpt: outcome.text.slice(0, 2000) });
  }

  async function settleLostResponse(
    ctx: ConnectionContext, ref: ResourceRef, base: Fetched, mineText: string, mine: JsonValue,
    keys: string[], changedPaths: string[], audit: (outcome: string, to: string | null) => void,
  ): Promise<SaveResult> {
    const now = await fetchOrFail(ctx, ref, 'verified');
    if ('kind' in now) {
      audit('unknown outcome: connection lost, re-read failed', null);
      return fail('unknown-outcome', `The connection dropped after the save was sent, and the server could not be re-read (${now.message}). The save may or may not have landed; nothing was resent. Refresh before saving again.`);
    }
    const landed = keys.every((key) => jsonEqual(valueAt(now.editable, key), valueAt(mine, key)));
    const unguarded = base.snapshot.revision === null;
    // Without a revision, only the content can tell: ours there means it landed.
    if (landed && (unguarded || now.snapshot.revision !== base.snapshot.revision)) {
      audit('saved (verified after a lost response)', now.snapshot.revision);
      return { kind: 'saved', snapshot: now.snapshot, recoveredAfterLostResponse: true, changedPaths };
    }
    if (unguarded) {
      audit('unknown outcome: connection lost, no revision to compare', null);
      return fail('unknown-outcome', 'The connection dropped after the save was sent. This resource has no revision, and the server does not hold your values now, so it cannot be told whether the write landed and was changed again, or never landed. Nothing was resent; compare and save again deliberately.');
    }
    if (now.snapshot.revision === base.snapshot.revision) {
      audit('not applied: connection lost before the server committed', null);
      return fail('network', 'The connection dropped before the server answered, and a re-read shows the save did not land. Nothing was written; your edit is kept — save again.');
    }
    audit('conflict (found after a lost response)', null);
    return conflictResult(ctx.spec.write.conflictStatuses[0] ?? 412, base, now, mineText, mine, ctx);
  }

  return {
    context,
    fromJournal,
    fetchCurrent,

    async open(ref: ResourceRef): Promise<Fetched | BackendError> {
      const ctx = context(ref.connectionId);
      if (!ctx.ok) return ctx.error;
      return fetchOrFail(ctx.value, ref, 'opened');
    },

    /** Re-reads with If-None-Match when the last revision is an ETag; 304 means unchanged. */
    async refresh(ref: ResourceRef, source: JournalSource = 'refreshed'): Promise<{ fetched: Fetched; changed: boolean; previous: Fetched | null } | BackendError> {
      const ctx = context(ref.connectionId);
      if (!ctx.ok) return ctx.error;
      const latestRow = store.journal.latest(ref.connectionId, ref.id);
      const previous = latestRow ? fromJournal(ctx.value, ref, latestRow) : null;
      const known = previous && !('kind' in previous) ? previous : null;
      const etag = ctx.value.spec.revision.in === 'etag' ? known?.snapshot.revision ?? undefined : undefined;
      const result = await fetchCurrent(ctx.value, ref, source, etag ?? undefined);
      if (result === 'not-modified') {
        if (!known) return fail('http', 'The server answered 304 for a revision this app has not seen.');
        const row = store.journal.record(ref.connectionId, ref.id, known.snapshot.revision, latestRow!.body, known.snapshot.source, hashBody(known.snapshot.text));
        return { fetched: { ...known, snapshot: { ...known.snapshot, seenAt: row.lastSeenAt } }, changed: false, previous: known };
      }
      if ('kind' in result) return result;
      const changed = !known || known.snapshot.revision !== result.snapshot.revision || known.snapshot.text !== result.snapshot.text;
      return { fetched: result, changed, previous: known };
    },

    async save(ref: ResourceRef, text: string, baseJournalId: number, unconditional: boolean): Promise<SaveResult> {
      const ctx = context(ref.connectionId);
      if (!ctx.ok) return ctx.error;
      const mine = parseMine(text);
      if (!mine.ok) return mine.error;
      const row = store.journal.get(ref.connectionId, ref.id, baseJournalId);
      if (!row) return fail('invalid-input', `The revision this edit is based on (journal entry ${baseJournalId}) is unknown; reopen the resource.`);
      const base = fromJournal(ctx.value, ref, row);
      if ('kind' in base) return base;
      return write(ctx.value, ref, base, text, mine.value, unconditional ? 'unconditional' : 'conditional');
    },

    /** Overwrite on purpose — still conditional on the revision the operator has seen. */
    async forceSave(ref: ResourceRef, text: string, overJournalId: number): Promise<SaveResult> {
      const ctx = context(ref.connectionId);
      if (!ctx.ok) return ctx.error;
      const mine = parseMine(text);
      if (!mine.ok) return mine.error;
      const row = store.journal.get(ref.connectionId, ref.id, overJournalId);
      if (!row) return fail('invalid-input', `Journal entry ${overJournalId} is unknown; reopen the resource.`);
      const over = fromJournal(ctx.value, ref, row);
      if ('kind' in over) return over;
      return write(ctx.value, ref, over, text, mine.value, 'force');
    },
  };
}

const mergeOptions = (ctx: ConnectionContext) => (ctx.spec.idKeys ? { idKeys: ctx.spec.idKeys } : {});

function valueAt(doc: JsonValue, key: string): JsonValue | undefined {
  if (key === '') return doc;
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return undefined;
  return Object.hasOwn(doc, key) ? (doc as Record<string, JsonValue>)[key] : undefined;
}

export type ResourceService = ReturnType<typeof createResourceService>;
