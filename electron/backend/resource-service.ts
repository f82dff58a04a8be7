// Opening, refreshing and saving one resource through its profile. Every save is conditional on
// the revision the operator started from (unless they explicitly chose otherwise); a rejected save
// comes back as a three-way merge; a lost response is settled by re-reading, never by resending.
import type {
  BackendError,
  FullConflictOutcome,
  JournalSource,
  MissingChange,
  PendingOutcome,
  ResourceRef,
  SaveProof,
  SaveResult,
  ServerHolds,
  Snapshot,
  UnknownOutcome,
} from '../../shared/api/types';
import { SNAPSHOT_INDENT } from '../../shared/api/types';
import {
  COMPACT,
  compactText,
  diffPaths,
  formatParseError,
  inexactNumber,
  inexactNumberEdits,
  getAt,
  jsonEqual,
  merge3,
  onlyOtherFieldsChanged,
  parseAlike,
  parseJson,
  piecesAlong,
  type Pieces,
  PRETTY,
  rawsAt,
  stringifyJson,
  withinAny,
  type JsonValue,
  type MergeResult,
  type PathChange,
} from '../../shared/json';
import { connectionContext, itemUrl, type ConnectionContext } from './connection-context';
import { header, type HttpOutcome, type HttpResponse } from './http-client';
import { retryAfterMs, type Transport } from './http-transport';
import { editableOf, editableText, serverManagedText, toEditable } from './profiles/editable';
import { withServerWords } from './profiles/server-words';
import { summarise } from './profiles/listing';
import {
  revisionOf,
  sameRevision,
  weaklySameRevision,
  type RevisionInfo,
} from './profiles/revision';
import { buildWrite, checkIfMatch, type Precondition } from './profiles/write-request';
import type { Store } from './store';
import type { Intent } from './store/audit';
import { hashBody, type JournalRow } from './store/journal';
import { keepRecent } from '../../shared/recent-map';

export type Fetched = {
  snapshot: Snapshot;
  body: JsonValue;
  editable: JsonValue;
  info: RevisionInfo;
};

export type ResourceDeps = {
  store: Store;
  transport: Transport;
  sandboxUrl: () => string | null;
  writeTimeoutMs?: () => number | undefined;
  /** How long to wait before reading again a server that seems not to have moved (tests shorten it). */
  staleReadPauseMs?: () => number | undefined;
};

/** See the conflict path of writeOnce: longer than lighttpd's one-second metadata cache. */
const STALE_READ_PAUSE_MS = 1200;

const fail = (
  reason: BackendError['reason'],
  message: string,
  extra: Partial<BackendError> = {},
): BackendError => ({ kind: 'error', reason, message, ...extra });

export function createResourceService(deps: ResourceDeps) {
  const { store, transport } = deps;

  const context = (connectionId: string) =>
    connectionContext(store.connections.get(connectionId), deps.sandboxUrl());

  /** Builds the snapshot of a journal row: the operator's document is derived, never stored twice. */
  function snapshotOf(
    ctx: ConnectionContext,
    ref: ResourceRef,
    row: JournalRow,
    body: JsonValue,
    etag: string | null,
    derived?: { editable: JsonValue; text: string },
  ): Fetched {
    const info = revisionOf(ctx.spec, etag, body, row.body);
    const editable = derived?.editable ?? toEditable(editableOf(ctx.spec), body);
    const managed = serverManagedText(ctx.spec, body);
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
        text: derived?.text ?? editableText(editableOf(ctx.spec), row.body, body, editable),
        raw: row.body,
        ...(managed !== null ? { serverManaged: managed } : {}),
        seenAt: row.lastSeenAt,
        source: row.source,
        summary: summarise(ctx.spec.list, body, { id: ref.id, revision: info.revision }),
      },
    };
  }

  // A journal row's body never changes, so what is derived from it (the parsed body, the operator's
  // document and its text) is kept for the last few rows: a save re-reads the row it is based on,
  // and every watch poll the latest one, which for a megabyte document meant parsing it again.
  // A read answered with a kept row's very text takes what was derived from it too (derivedFor).
  type Derived = {
    editableKey: string;
    /** The server's text the row holds. */
    raw: string;
    body: JsonValue;
    editable: JsonValue;
    text: string;
    /** hashBody(text), once a read has needed it. */
    hash?: string;
    /** The text's pieces along the editable document, once made (null: it cannot be cut). */
    pieces?: Pieces | null;
  };
  const derivedRows = new Map<number, Derived>();
  /** What a kept row's derived values depend on besides its text: the profile's editable part. */
  const editableKeyOf = (ctx: ConnectionContext) => JSON.stringify(editableOf(ctx.spec));
  function keepDerived(ctx: ConnectionContext, journalId: number, fetched: Fetched, hash?: string) {
    keepRecent(
      derivedRows,
      journalId,
      {
        editableKey: editableKeyOf(ctx),
        raw: fetched.snapshot.raw ?? '',
        body: fetched.body,
        editable: fetched.editable,
        text: fetched.snapshot.text,
        ...(hash !== undefined ? { hash } : {}),
      },
      DERIVED_ROWS,
    );
  }

  /**
   * What was derived from a kept row whose server text is exactly `text`: a read answered with it
   * (the re-read after a 412, when the watch has just read that revision; every poll of a server
   * that never answers 304) is neither parsed nor printed nor hashed again.
   */
  function derivedFor(ctx: ConnectionContext, text: string): Derived | undefined {
    const editableKey = editableKeyOf(ctx);
    for (const kept of derivedRows.values())
      if (kept.raw.length === text.length && kept.editableKey === editableKey && kept.raw === text)
        return kept;
    return undefined;
  }

  /** A journal row re-read as a snapshot (the ETag, when the profile uses one, is the row's revision). */
  function fromJournal(
    ctx: ConnectionContext,
    ref: ResourceRef,
    row: JournalRow,
  ): Fetched | BackendError {
    const etag = ctx.spec.revision.in === 'etag' ? row.revision : null;
    const kept = derivedRows.get(row.journalId);
    if (kept && kept.editableKey === editableKeyOf(ctx))
      return snapshotOf(ctx, ref, row, kept.body, etag, kept);
    const parsed = parseJson(row.body);
    if (!parsed.ok)
      return fail(
        'invalid-json',
        `The journal entry ${row.journalId} does not parse: ${formatParseError(parsed.error)}`,
      );
    const fetched = snapshotOf(ctx, ref, row, parsed.value, etag);
    keepDerived(ctx, row.journalId, fetched);
    return fetched;
  }

  function interpretRead(
    ctx: ConnectionContext,
    ref: ResourceRef,
    outcome: HttpOutcome,
    source: JournalSource,
    sentAt: string,
  ): Fetched | BackendError | 'not-modified' {
    if (outcome.kind === 'error') return fail(outcome.reason, outcome.message);
    if (outcome.status === 304) return 'not-modified';
    if (outcome.status < 200 || outcome.status >= 300) {
      // Only an error's words are shown, so only they are scrubbed (a document read whole is
      // refused when it holds the credential, below): not a pass over every megabyte read.
      const upstream = ctx.scrub(outcome.text);
      if (outcome.status === 404)
        return fail(
          'not-found',
          withServerWords(
            `There is no resource "${ref.id}" on the server (404).`,
            upstream,
            ctx.spec.errorPointers,
          ),
          { status: 404, bodyExcerpt: upstream.slice(0, 2000) },
        );
      return fail(
        'http',
        withServerWords(
          `The server answered ${outcome.status} when reading "${ref.id}".`,
          upstream,
          ctx.spec.errorPointers,
        ),
        { status: outcome.status, bodyExcerpt: upstream.slice(0, 2000) },
      );
    }
    // A part of the resource (we ask for no range; a proxy or a cache may still answer with one)
    // would be opened, journalled and saved as the whole: a save would cut the rest off.
    if (outcome.status === 206)
      return fail(
        'http',
        `The server answered 206 Partial Content${rangeWords(outcome)} to a read of the whole of "${ref.id}", so the part is not opened as the resource: a save of it would cut the rest off. Read it again; if this repeats, a proxy or cache between the app and the server is answering with ranges.`,
        { status: 206 },
      );
    const parsed = parseRead(ctx, outcome);
    return 'kind' in parsed ? parsed : recordRead(ctx, ref, parsed, source, sentAt);
  }

  type ParsedRead = {
    answer: HttpResponse;
    value: JsonValue;
    etag: string | null;
    info: RevisionInfo;
    editable: JsonValue;
    text: string;
    /** hashBody(text) when already known (a kept row's). */
    hash?: string;
  };

  /** " (bytes 0-99/500)", from a partial answer's Content-Range; "" without one. */
  function rangeWords(answer: HttpResponse): string {
    const range = header(answer.headers, 'content-range');
    return range === null ? '' : ` (${range.slice(0, 80)})`;
  }

  /** A 2xx answer's body as the resource, not journalled yet. */
  function parseRead(ctx: ConnectionContext, answer: HttpResponse): ParsedRead | BackendError {
    // A body that is not UTF-8 (a file saved as Latin-1) decodes with U+FFFD in place of its
    // bytes: edited and saved, every such letter would be written back as U+FFFD.
    if (answer.notUtf8)
      return fail(
        'invalid-json',
        `The server's answer is not UTF-8 text (JSON is UTF-8; this one may be Latin-1 or Windows-1252), so it is not opened: a save would write every character that did not decode back as "\uFFFD". Convert it to UTF-8 on the server first.`,
        { bodyExcerpt: answer.text.slice(0, 2000) },
      );
    const etag = header(answer.headers, 'etag');
    // An ETag that echoes the credential would be journalled and shown as the revision.
    if (etag !== null && ctx.holdsSecret(etag)) return credentialRefused();
    const kept = derivedFor(ctx, answer.text);
    if (kept) {
      // The same checks as below on what was derived before; the credential may have changed.
      if (holdsCredential(ctx, answer.text, kept.body)) return credentialRefused();
      const info = revisionOf(ctx.spec, etag, kept.body, answer.text);
      return {
        answer,
        value: kept.body,
        etag,
        info,
        editable: kept.editable,
        text: kept.text,
        hash: (kept.hash ??= hashBody(kept.text)),
      };
    }
    const parsed = parseJson(answer.text);
    if (!parsed.ok)
      return fail(
        'invalid-json',
        `The server's answer is not valid JSON: ${formatParseError(parsed.error)}`,
        { bodyExcerpt: answer.text.slice(0, 2000) },
      );
    const info = revisionOf(ctx.spec, etag, parsed.value, answer.text);
    const editable = toEditable(editableOf(ctx.spec), parsed.value);
    const text = editableText(editableOf(ctx.spec), answer.text, parsed.value, editable);
    // A resource that holds the connection's own credential (an account answering with its API
    // key) would carry it to the window and into the journal's file: it is not opened.
    if (holdsCredential(ctx, answer.text, parsed.value)) return credentialRefused();
    return { answer, value: parsed.value, etag, info, editable, text };
  }

  /** A text with escapes may spell the credential otherwise (\/, \u0041): its values are then read as written out plainly. */
  function holdsCredential(ctx: ConnectionContext, text: string, value: JsonValue): boolean {
    return (
      ctx.holdsSecret(text) ||
      (text.includes('\\') && ctx.holdsSecret(stringifyJson(value, COMPACT)))
    );
  }

  const credentialRefused = () =>
    fail(
      'http',
      "The server's answer holds this connection's own credential (its password, token or key), so it is neither shown nor kept in the journal: credentials never leave the app's host. Use a credential this resource does not contain.",
    );

  /**
   * A journal entry to be shown again (a 304's unchanged copy, an old revision): refused like a
   * read when it holds the connection's credential (journalled before the credential was rotated
   * to one it holds, or before this check existed). Its text as written; the document written out
   * plainly only when the text holds an escape (a watch reads every 304 through here).
   */
  function shownFromJournal(
    ctx: ConnectionContext,
    ref: ResourceRef,
    row: JournalRow,
  ): Fetched | BackendError {
    const fetched = fromJournal(ctx, ref, row);
    if ('kind' in fetched) return fetched;
    // Escaped spellings (\/, \u0041) count as on a read: the document is what holds it.
    return holdsCredential(ctx, row.body, fetched.body) ||
      (row.revision !== null && ctx.holdsSecret(row.revision))
      ? credentialRefused()
      : fetched;
  }

  /** `seenAt`: when the server was known to hold it (a read's, when it was sent; else now). */
  function recordRead(
    ctx: ConnectionContext,
    ref: ResourceRef,
    read: ParsedRead,
    source: JournalSource,
    seenAt?: string,
  ): Fetched {
    const { answer, editable, text } = read;
    const hash = read.hash ?? hashBody(text);
    const row = store.journal.record(
      ref.connectionId,
      ref.id,
      read.info.revision,
      answer.text,
      source,
      hash,
      seenAt,
    );
    const fetched = snapshotOf(ctx, ref, row, read.value, read.etag, { editable, text });
    // Kept only when the row holds this very text (a row recorded earlier with the same hash does).
    if (row.body === answer.text) {
      keepDerived(ctx, row.journalId, fetched, hash);
      // A large snapshot is cut into its pieces soon after it is shown, while the operator reads
      // or edits it, so that saving an edit of it does not wait for that (parseMine).
      if (text.length >= PIECES_EARLY_FROM) setTimeout(() => snapshotPieces(fetched), 100).unref();
    }
    return fetched;
  }

  /**
   * Reads the resource and journals what it holds. A read is journalled as seen when its answered
   * attempt was sent (`sentAt`): the server held that revision then or later, and an answer that
   * arrives after a write landed may say what was there before it, which would otherwise become
   * the revision seen last (a watch begun then announced the operator's own save as a change).
   */
  async function fetchCurrent(
    ctx: ConnectionContext,
    ref: ResourceRef,
    source: JournalSource,
    ifNoneMatch?: string,
  ): Promise<{
    result: Fetched | BackendError | 'not-modified' | 'superseded';
    sentAt: string;
  }> {
    let sentAt = new Date().toISOString();
    const url = itemUrl(ctx, ref.id);
    if (!url.ok) return { result: fail('invalid-input', url.error), sentAt };
    const headers: Record<string, string> = { accept: 'application/json', ...ctx.requestHeaders };
    if (ifNoneMatch) headers['if-none-match'] = ifNoneMatch;
    const read = async () => {
      const writes = writesBegun.get(writingKey(ref)) ?? 0;
      const outcome = await transport.read({
        method: 'GET',
        url: url.value,
        headers,
        ...credential(ctx),
      });
      // The attempt answered (the transport retries a failed one, up to a minute later).
      sentAt = new Date(Date.now() - outcome.durationMs).toISOString();
      // A watch's read answered after a write of the resource began is dropped unread: the write
      // reads the server itself, and parsing, journalling and comparing a 5 MB answer inside the
      // save only slowed it. Likewise once such a write has ended: the older answer would tell the
      // tab that the server went back to the revision before the write. The next poll after the
      // write reports what is there.
      if (
        source === 'watch' &&
        (writing.has(writingKey(ref)) || (writesBegun.get(writingKey(ref)) ?? 0) !== writes)
      )
        return 'superseded' as const;
      return interpretRead(ctx, ref, outcome, source, sentAt);
    };
    let result = await read();
    // A strict server compares If-Match strongly: a weak tag sent back would always fail. Re-read
    // (bounded) until it hands out a strong one; else the snapshot stays unguarded, saying why.
    for (
      let attempt = 1;
      ctx.spec.revision.in === 'etag' &&
      ctx.spec.revision.weak === 'reread-for-strong' &&
      attempt < STRONG_TAG_READS &&
      isWeakRead(result);
      attempt++
    ) {
      result = await read();
    }
    return { result, sentAt };
  }

  async function fetchOrFail(
    ctx: ConnectionContext,
    ref: ResourceRef,
    source: JournalSource,
  ): Promise<Fetched | BackendError> {
    const { result } = await fetchCurrent(ctx, ref, source);
    if (result === 'superseded') return superseded();
    return result === 'not-modified'
      ? fail('http', 'The server answered 304 to a read without a precondition.')
      : result;
  }

  /** What a read that is not a watch's says if it ever meets 'superseded' (only a watch's can). */
  const superseded = () =>
    fail('http', 'The read was dropped: a write of this resource began meanwhile.');

  type Refreshed = { fetched: Fetched; changed: boolean; previous: Fetched | null };

  /** Re-reads with If-None-Match when the last revision is an ETag; 304 means unchanged. */
  async function refreshFrom(
    ref: ResourceRef,
    source: JournalSource,
  ): Promise<Refreshed | BackendError | 'superseded'> {
    const ctx = context(ref.connectionId);
    if (!ctx.ok) return ctx.error;
    const latestRow = store.journal.latest(ref.connectionId, ref.id);
    const previous = latestRow ? shownFromJournal(ctx.value, ref, latestRow) : null;
    const known = previous && !('kind' in previous) ? previous : null;
    const etag =
      ctx.value.spec.revision.in === 'etag' ? (known?.snapshot.revision ?? undefined) : undefined;
    const { result, sentAt } = await fetchCurrent(ctx.value, ref, source, etag ?? undefined);
    if (result === 'not-modified') {
      if (!known)
        return fail('http', 'The server answered 304 for a revision this app has not seen.');
      const row = store.journal.record(
        ref.connectionId,
        ref.id,
        known.snapshot.revision,
        latestRow!.body,
        known.snapshot.source,
        hashBody(known.snapshot.text),
        sentAt,
      );
      return {
        fetched: { ...known, snapshot: { ...known.snapshot, seenAt: row.lastSeenAt } },
        changed: false,
        previous: known,
      };
    }
    if (result === 'superseded' || 'kind' in result) return result;
    const changed =
      !known ||
      !sameRevision(ctx.value.spec, known.snapshot.revision, result.snapshot.revision) ||
      known.snapshot.text !== result.snapshot.text;
    return { fetched: result, changed, previous: known };
  }

  /** The pieces of a snapshot's text along its document (piecesAlong), made once per kept row. */
  function snapshotPieces(base: Fetched): Pieces | undefined {
    const kept = derivedRows.get(base.snapshot.journalId);
    const same =
      kept !== undefined && kept.editable === base.editable && kept.text === base.snapshot.text;
    if (same && kept.pieces !== undefined) return kept.pieces ?? undefined;
    const pieces = piecesAlong(base.snapshot.text, SNAPSHOT_INDENT, base.editable);
    if (same) kept.pieces = pieces ?? null;
    return pieces;
  }

  /**
   * The journal row an edit is written on, and the edit parsed against it. An edit that is not JSON
   * is refused first, whatever the row; then a row that is unknown (`unknown` says so).
   */
  function editOn(
    ctx: ConnectionContext,
    ref: ResourceRef,
    text: string,
    journalId: number,
    unknown: string,
  ): { base: Fetched; mine: JsonValue } | BackendError {
    const row = store.journal.get(ref.connectionId, ref.id, journalId);
    const base = row && fromJournal(ctx, ref, row);
    const mine = parseMine(text, base);
    if (!mine.ok) return mine.error;
    if (!base) return fail('invalid-input', unknown);
    if ('kind' in base) return base;
    return { base, mine: mine.value };
  }

  /**
   * The operator's text, parsed strictly. An edit of a snapshot's text is parsed a piece at a time
   * against that snapshot's own pieces (parse-alike): a 5 MB document with a few fields edited
   * parses those pieces, and shares the base's objects everywhere else, which the diff of the
   * write then passes over without walking them.
   */
  function parseMine(
    text: string,
    base: Fetched | BackendError | null,
  ): { ok: true; value: JsonValue } | { ok: false; error: BackendError } {
    const pieces = base && !('kind' in base) ? snapshotPieces(base) : undefined;
    const alike = pieces && parseAlike(text, SNAPSHOT_INDENT, [pieces]);
    const parsed = alike ? { ok: true as const, value: alike.value } : parseJson(text);
    if (parsed.ok) return parsed;
    return {
      ok: false,
      error: fail(
        'invalid-input',
        `Your edit is not valid JSON — ${formatParseError(parsed.error)}. Nothing was sent.`,
      ),
    };
  }

  /** The three-way result of a rejected save: base, Server now (re-read and journalled), mine, merged. */
  function conflictResult(
    status: number,
    base: Fetched,
    theirs: Fetched,
    mineText: string,
    mine: JsonValue,
    ctx: ConnectionContext,
    extra: { afterLostAnswer: boolean; auditId: number | null },
  ): FullConflictOutcome {
    // Merged only when read: the lean answer (the app's) leaves the merge to the renderer, which
    // builds it from the same three documents; a 5 MB merge here cost about 100 ms per conflict.
    let merged: MergeResult | undefined;
    const merge = () =>
      (merged ??= merge3(base.editable, mine, theirs.editable, mergeOptions(ctx)));
    const { raw: _baseRaw, ...baseSnapshot } = base.snapshot;
    const { raw: _theirsRaw, ...theirsSnapshot } = theirs.snapshot;
    return {
      kind: 'conflict',
      status,
      base: baseSnapshot,
      theirs: theirsSnapshot,
      mine: mineText,
      get merged() {
        return stringifyJson(merge().merged, PRETTY);
      },
      get conflicts() {
        return merge().conflicts.map((c) => ({
          id: c.id,
          path: c.path,
          kind: c.kind,
          base: c.base,
          mine: c.mine,
          theirs: c.theirs,
        }));
      },
      get changes() {
        return merge().changes.map((c) => ({ path: c.path, side: c.side, op: c.op }));
      },
      get onlyOtherFieldsChanged() {
        return onlyOtherFieldsChanged(merge());
      },
      mergeOptions: mergeOptions(ctx),
      afterLostAnswer: extra.afterLostAnswer,
      auditId: extra.auditId,
    };
  }

  /** A 412/409 while the server still holds the base revision: a refusal, in the server's words. */
  function notStale(
    ctx: ConnectionContext,
    status: number,
    base: Fetched,
    answer: HttpResponse,
    mode: WriteMode,
  ): BackendError {
    const revision = base.snapshot.revision ?? 'unknown';
    const upstream = ctx.scrub(answer.text);
    if (mode === 'unconditional')
      // No revision was sent: the refusal cannot be about one, whatever its status says.
      return fail(
        'rejected',
        withServerWords(
          `The server refused the save (${status}), though it was sent without a precondition: the refusal is about the edit itself, not another change (it still holds revision ${revision}, the one your edit is based on). Nothing was written; your edit is kept.`,
          upstream,
          ctx.spec.errorPointers,
        ),
        { status, bodyExcerpt: upstream.slice(0, 2000) },
      );
    const inEtag = ctx.spec.revision.in === 'etag';
    const hint = !inEtag
      ? ''
      : /^\s*W\//i.test(revision)
        ? ` Its ETag ${revision} is weak, and a server that compares strongly never matches a weak tag: a profile that sends it as a strong one ("send-as-strong") would.`
        : ` It does not accept its own ETag back: a proxy or compression in front of the server can alter ETags (a "-gzip" suffix), or the connection's profile may need another way to send the revision.`;
    return fail(
      'rejected',
      withServerWords(
        `The server refused the save (${status}) as if it were stale, yet it still holds revision ${revision}, the one your edit is based on: nobody else changed it, so there is nothing to merge, and saving again would be refused the same way.${hint} Nothing was written; your edit is kept.`,
        upstream,
        ctx.spec.errorPointers,
      ),
      { status, bodyExcerpt: upstream.slice(0, 2000) },
    );
  }

  type WriteMode = 'conditional' | 'force' | 'unconditional';

  /** Sends one write against `base` and turns every outcome into a SaveResult that claims no more than it knows. */
  // Resources being written (by a save, an overwrite or a batch): their watch polls wait, since a
  // write reads the server itself (its conflict or its proof) and a concurrent read of a large
  // document only slows it down. The next poll after the write runs as usual.
  const writing = new Map<string, number>();
  const writingKey = (ref: ResourceRef) => `${ref.connectionId}\u0000${ref.id}`;
  /** Writes begun, per resource, ever: a poll that began before one has news older than it. */
  const writesBegun = new Map<string, number>();

  async function write(
    ctx: ConnectionContext,
    ref: ResourceRef,
    base: Fetched,
    mineText: string,
    mine: JsonValue,
    mode: WriteMode,
    batchId: string | null = null,
  ): Promise<SaveResult> {
    const key = writingKey(ref);
    writing.set(key, (writing.get(key) ?? 0) + 1);
    writesBegun.set(key, (writesBegun.get(key) ?? 0) + 1);
    try {
      return await writeOnce(ctx, ref, base, mineText, mine, mode, batchId);
    } finally {
      const left = writing.get(key)! - 1;
      if (left === 0) writing.delete(key);
      else writing.set(key, left);
    }
  }

  async function writeOnce(
    ctx: ConnectionContext,
    ref: ResourceRef,
    base: Fetched,
    mineText: string,
    mine: JsonValue,
    mode: WriteMode,
    batchId: string | null,
  ): Promise<SaveResult> {
    const precondition: Precondition =
      mode === 'unconditional' ? { kind: 'none' } : base.info.precondition;
    if (precondition.kind === 'none' && mode !== 'unconditional') {
      return fail(
        'unguarded',
        `${base.info.unguardedReason ?? 'This resource has no revision.'} Saving it would overwrite blindly; choose "Save without a precondition" to do so deliberately.`,
      );
    }
    // Digits typed past what a double keeps (0.10000000000000000001 → …02): the values read
    // alike, so a diff of them cannot see the edit; the write carries them as typed.
    const typedDigits = inexactNumber(mineText) !== undefined;
    const digitEdits = typedDigits ? inexactNumberEdits(base.snapshot.text, mineText) : [];
    const changes = withEdits(diffPaths(base.editable, mine), digitEdits);
    if (changes.length === 0)
      return fail(
        'invalid-input',
        'Nothing to save: your edit is the same as the revision it is based on.',
      );
    const parts = buildWrite(ctx.spec, {
      baseRaw: base.snapshot.raw ?? stringifyJson(base.body, COMPACT),
      baseBody: base.body,
      baseEditable: base.editable,
      mine,
      mineText,
      changes,
      precondition,
    });
    if (!parts.ok) return fail('invalid-input', parts.error);
    const url = itemUrl(ctx, ref.id);
    if (!url.ok) return fail('invalid-input', url.error);
    const changedPaths = changes.map((c) => c.path);
    const intent = intentOf(mine, changedPaths, typedDigits ? mineText : undefined);
    const replaced =
      mode === 'force'
        ? Object.fromEntries(changedPaths.map((p) => [p, getAt(base.editable, p) ?? null]))
        : null;
    // The audit row exists before the request leaves: a crash mid-write leaves it in flight.
    const auditId = store.audit.begin({
      connectionId: ref.connectionId,
      resourceId: ref.id,
      mode,
      fromRevision: base.snapshot.revision,
      paths: changedPaths,
      replaced,
      intent,
      batchId,
      baseJournalId: base.snapshot.journalId,
    });
    const settle = (outcome: string, toRevision: string | null) =>
      store.audit.settle(auditId, outcome, toRevision);

    const outcome = await transport.write({
      method: parts.value.method,
      url: url.value,
      headers: { ...parts.value.headers, ...ctx.requestHeaders },
      body: parts.value.body,
      timeoutMs: deps.writeTimeoutMs?.(),
      ...credential(ctx),
    });

    if (outcome.kind === 'error') {
      if (outcome.sent === 'no') {
        settle(`not sent: ${outcome.message}`, null);
        return fail(outcome.reason, `${outcome.message} Nothing was sent; your edit is kept.`);
      }
      return unknownOutcome(ctx, ref, base, mineText, mine, {
        auditId,
        intent,
        changedPaths,
        cause: outcome.reason === 'timeout' ? 'timeout' : 'lost-answer',
        detail: outcome.message,
      });
    }
    const { status } = outcome;
    if (status >= 200 && status < 300) {
      const verified = await verifyAfterWrite(ctx, ref, base, mine, outcome, {
        auditId,
        intent,
        changedPaths,
      });
      // A 202 is accepted for processing, not done (RFC 9110 §15.3.3): what the re-read lacks
      // may still arrive, so "not applied" would be a guess. Unknown, checked with every poll.
      if (status !== 202 || verified.kind !== 'partly-applied') return verified;
      return unknownOutcome(ctx, ref, base, mineText, mine, {
        auditId,
        intent,
        changedPaths,
        cause: 'accepted',
        detail:
          'The server accepted the save for processing (202) but has not applied all of it so far.',
        status,
      });
    }
    if (ctx.spec.write.conflictStatuses.includes(status)) {
      settle(`conflict (${status})`, null);
      // The server still holds the revision (and the document) this write was made from.
      const holdsBase = (read: Fetched) =>
        sameRevision(ctx.spec, read.snapshot.revision, base.snapshot.revision) &&
        jsonEqual(read.editable, base.editable);
      let theirs = await fetchOrFail(ctx, ref, 'conflict');
      // A read right after a refusal may be answered from a copy a moment old (lighttpd caches a
      // file's metadata for about a second; a caching proxy longer): before saying that nobody
      // changed it, it is read once more after a pause.
      if (!('kind' in theirs) && holdsBase(theirs)) {
        await new Promise((resolve) =>
          setTimeout(resolve, deps.staleReadPauseMs?.() ?? STALE_READ_PAUSE_MS),
        );
        theirs = await fetchOrFail(ctx, ref, 'conflict');
      }
      if ('kind' in theirs)
        return fail(
          theirs.reason,
          theirs.reason === 'not-found'
            ? `The server refused the save as stale (${status}): the resource was deleted on the server since you opened it (reading it now answers 404). Nothing was written; your edit is kept.`
            : `The server refused the save as stale (${status}); nothing was written. Reading its current state failed: ${theirs.message}`,
          // The write reached the server (it answered): a batch reports it as sent.
          { status },
        );
      if (holdsBase(theirs)) {
        // Nobody moved it: the refusal is not about staleness (a tag the server never matches, a
        // 409 for a duplicate email…). A merge would hold nothing, and saving it would loop.
        settle(`refused (${status}): the server still holds the base revision`, null);
        return notStale(ctx, status, base, outcome, mode);
      }
      if (
        jsonEqual(theirs.editable, mine) &&
        // Equal values may still be other digits (…03 where you typed …02).
        (digitEdits.length === 0 || inexactNumberEdits(theirs.snapshot.text, mineText).length === 0)
      ) {
        // Nothing to resolve: the server already holds exactly this edit (an identical save, or
        // a write whose tag a strict server would not match). Its revision is the new base.
        return fail(
          'already-on-server',
          `Your edit is already on the server (revision ${theirs.snapshot.revision ?? 'unknown'}, journal entry ${theirs.snapshot.journalId}): it refused this write as stale (${status}), yet holds exactly your document, so there is nothing to merge. Refresh to continue from that revision.`,
          { status },
        );
      }
      if (digitEdits.length > 0)
        // The merge compares and prints values: it would show, and save, these numbers rounded.
        return fail(
          'rejected',
          `The server refused the save as stale (${status}): the resource changed on the server since you opened it. ${noDigitMerge(digitEdits)}. Nothing was written; your edit is kept. Refresh to the server's version and make your edit again.`,
          { status },
        );
      return conflictResult(status, base, theirs, mineText, mine, ctx, {
        afterLostAnswer: false,
        auditId,
      });
    }
    if (status >= 500) {
      // A 5xx does not prove the write was not applied (a proxy's 502/504 may follow a commit).
      return unknownOutcome(ctx, ref, base, mineText, mine, {
        auditId,
        intent,
        changedPaths,
        cause: 'server-error',
        detail: `The server answered ${status}.`,
        status,
      });
    }
    if (status >= 300 && status < 400) {
      // Not followed (a write is never sent twice), and no proof either way: a 303 usually
      // answers a write the server applied, a 307 or 308 one it did not. The re-read decides.
      // The server's text: a Location may write the request back, credential and all.
      const location = header(outcome.headers, 'location');
      return unknownOutcome(ctx, ref, base, mineText, mine, {
        auditId,
        intent,
        changedPaths,
        cause: 'redirected',
        detail: `The server answered the save with a redirect (${status}${location ? ` to ${ctx.scrub(location)}` : ''}), which was not followed.`,
        status,
      });
    }
    settle(`refused (${status})`, null);
    if (status === 428) {
      // Asking for a precondition the write carried: something between (a proxy) may strip it,
      // or the server wants another one. Saying "it requires one" would send the operator looking
      // for a setting that is already on.
      const carried =
        precondition.kind === 'if-match'
          ? ` although this write carried one (If-Match: ${precondition.etag}): something between may strip it, or the server expects another precondition`
          : precondition.kind === 'body-version'
            ? ` although this write carried one (version ${precondition.version} in the body): the server may expect another precondition`
            : '';
      const upstream428 = ctx.scrub(outcome.text);
      return fail(
        'precondition-required',
        withServerWords(
          `The server requires a precondition (428)${carried}, and refused this write. Nothing was written; your edit is kept.`,
          upstream428,
          ctx.spec.errorPointers,
        ),
        { status, bodyExcerpt: upstream428.slice(0, 2000) },
      );
    }
    const upstream = ctx.scrub(outcome.text);
    if (status === 404)
      return fail(
        'not-found',
        withServerWords(
          'The resource no longer exists on the server (404). Your edit is kept.',
          upstream,
          ctx.spec.errorPointers,
        ),
        { status, bodyExcerpt: upstream.slice(0, 2000) },
      );
    if (status === 429) {
      // Seconds or an HTTP date (RFC 9110 §10.2.3): a batch waits this long before trying again.
      const waitMs = retryAfterMs(header(outcome.headers, 'retry-after'));
      return fail(
        'rejected',
        `The server is rate-limiting writes (429)${waitMs !== null ? `; it asks to wait ${Math.ceil(waitMs / 1000)} s` : ''}. Nothing was written; your edit is kept — save again in a moment.`,
        { status, ...(waitMs !== null ? { retryAfterMs: waitMs } : {}) },
      );
    }
    return fail(
      'rejected',
      withServerWords(
        `The server refused the save with ${status}. Nothing was written; your edit is kept.`,
        upstream,
        ctx.spec.errorPointers,
      ),
      { status, bodyExcerpt: upstream.slice(0, 2000) },
    );
  }

  type Written = { auditId: number; intent: Intent; changedPaths: string[] };

  /**
   * After a 2xx: the new revision comes from the write's own answer; what the server holds (the
   * answer's body, else a re-read) is compared with the intent on every changed path.
   */
  async function verifyAfterWrite(
    ctx: ConnectionContext,
    ref: ResourceRef,
    base: Fetched,
    mine: JsonValue,
    answer: HttpResponse,
    written: Written,
  ): Promise<SaveResult> {
    const { auditId, changedPaths } = written;
    // An answer about another resource (a 201's Location, a Content-Location other than the one
    // written: RFC 9110) says nothing of this one: neither its body nor its ETag; the re-read decides.
    const aboutThis = !namesOtherResource(answer, itemUrl(ctx, ref.id));
    // Only one entity-tag names a revision: "*", a list or a malformed tag names none (revisionOf
    // does not take them from a read either), and taken for one it made an unapplied write "saved".
    const etagHeader =
      ctx.spec.revision.in === 'etag' && aboutThis ? header(answer.headers, 'etag') : null;
    const answerEtag = etagHeader !== null && checkIfMatch(etagHeader) === null ? etagHeader : null;
    const named = ctx.spec.write.answerRevision;
    // The profile says where the answer names the revision: an acknowledgement ({ok, id, rev})
    // is never taken for the resource, and its revision is the saved one (no racy re-read decides it).
    const acknowledged =
      named?.in === 'body' && aboutThis ? acknowledgedRevision(answer.text, named.pointer) : null;
    // 1. The answer carries the resource with its revision: the server's state right after this write.
    // It is taken for the resource only when it is exactly the document written, under a new
    // revision: an answer may be no resource at all ({"ok":true}, an envelope) or an echo of the
    // request (the changed fields, the old version), so otherwise the re-read below decides, and
    // only what it read is journalled.
    const baseRevision = base.snapshot.revision;
    if (aboutThis && answer.text.trim() && named?.in !== 'body') {
      const read = parseRead(ctx, answer);
      if (
        !('kind' in read) &&
        read.info.revision !== null &&
        !weaklySameRevision(ctx.spec, read.info.revision, baseRevision) &&
        jsonEqual(read.editable, mine) &&
        sameIdentity(ctx, base.body, read.value)
      ) {
        const fromAnswer = recordRead(ctx, ref, read, 'verified');
        return judged(ref, fromAnswer, read.info.revision, 'answer-body', null, written);
      }
    }
    // 2. The answer names the revision (e.g. the ETag of a 204), or nothing: a re-read tells what is there.
    // The revision the write started from, named again, is no new revision (an echoed version).
    const offered =
      named?.in === 'body'
        ? acknowledged
        : (answerEtag ?? (aboutThis && answer.text.trim() ? bodyRevision(ctx, answer.text) : null));
    // One that holds the credential names none, as a read's is refused: it would be shown in the
    // save's words, the audit and a batch's report.
    const named2xx = offered !== null && ctx.holdsSecret(offered) ? null : offered;
    const savedRevision =
      named2xx !== null && weaklySameRevision(ctx.spec, named2xx, baseRevision) ? null : named2xx;
    const now = await fetchOrFail(ctx, ref, 'verified');
    if ('kind' in now) {
      // Accepted, not checked: no error (that would read "nothing was written"), and not "saved"
      // (every change unchecked). Pending, so the watch and *Check again* finish the check.
      const message = `The server accepted the save (${answer.status}${savedRevision ? `, revision ${savedRevision}` : ''}). ${causeWords('unverified')} ${describeHolds('unreadable', null, base.snapshot.revision, now.message)}`;
      store.audit.pending(
        auditId,
        `unknown outcome: unverified (${answer.status}${savedRevision ? `, revision ${savedRevision}` : ''})`,
        'unverified',
        'unreadable',
        null,
        message,
      );
      return {
        kind: 'unknown-outcome',
        cause: 'unverified',
        message,
        baseRevision: base.snapshot.revision,
        serverNow: null,
        serverHolds: 'unreadable',
        changedPaths,
        status: answer.status,
        auditId,
      };
    }
    // Read back at the very revision the write started from, without the edit: nothing shows the
    // write applied, whatever revision the answer named (an ETag that went backwards, an
    // acknowledgement for another document). Taken for "saved, another writer since", the edit
    // was dropped as saved. (A server that keeps its revision on a write it applied is judged by
    // the content below.)
    if (
      now.snapshot.revision !== null &&
      weaklySameRevision(ctx.spec, now.snapshot.revision, base.snapshot.revision) &&
      missingChanges(now, written.intent).length > 0
    ) {
      return judged(
        ref,
        now,
        null,
        'answer-and-re-read',
        `The server accepted the save${savedRevision !== null ? ` (naming revision ${savedRevision})` : ''} but still holds the revision it was based on.`,
        written,
      );
    }
    // A re-read that names no revision (a server that sends no ETag on reads but one on writes)
    // proves nothing about another writer: its content is checked like any other.
    if (
      savedRevision !== null &&
      now.snapshot.revision !== null &&
      !weaklySameRevision(ctx.spec, now.snapshot.revision, savedRevision)
    ) {
      const losing = losingRevision(ctx, now.body, savedRevision);
      if (losing !== null) {
        // CouchDB stored the write as a revision of its own branch, but another branch (brought
        // in by replication, longer or sorting higher) is the document everyone reads: the edit
        // is not the document, and no writer came "since". Partly applied: nothing of the edit
        // shows, and a save again goes on top of the document as it is.
        const message = `The server stored your write as revision ${losing}, but as a losing conflicting revision: the document is revision ${now.snapshot.revision}, from another branch (replication), which does not hold your changes.`;
        const missing = missingChanges(now, written.intent);
        const shown = missing.length
          ? missing
          : changedPaths.map((path) => ({
              path,
              wanted: written.intent[path] ?? null,
              found: written.intent[path] ?? null,
            }));
        store.audit.settle(
          auditId,
          `partly applied: stored as losing conflicting revision ${losing}; the document is ${now.snapshot.revision}`,
          losing,
        );
        return {
          kind: 'partly-applied',
          snapshot: now.snapshot,
          savedRevision: losing,
          changedPaths,
          missing: shown,
          message: `${message} Not applied: ${shown.map((m) => `${m.path} (wanted ${m.wanted ?? 'absent'}, the document has ${m.found ?? 'nothing'})`).join('; ')}. Your edit is kept as a draft.`,
          auditId,
        };
      }
      // Someone wrote between this write and the re-read: theirs is journalled as seen, not as ours.
      // What differs from the document this write sent, the fields it wrote included (a colleague
      // may have changed one of them again). Nothing differing proves no other writer: the server
      // may name one revision two ways (an ETag with and without "-gzip").
      const movedSince = {
        savedRevision,
        revision: now.snapshot.revision,
        changedPaths: diffPaths(mine, now.editable).map((c) => c.path),
      };
      const since = movedSince.changedPaths.length
        ? `another writer changed ${movedSince.changedPaths.join(', ')} since`
        : 'the server names it differently since, with the same content';
      store.audit.settle(
        auditId,
        `saved (${answer.status}); ${since} (now ${now.snapshot.revision ?? 'no revision'})`,
        savedRevision,
      );
      return {
        kind: 'saved',
        snapshot: now.snapshot,
        savedRevision,
        proof: 'answer-revision',
        changedPaths,
        movedSince,
        auditId,
      };
    }
    // What the operator left as it was must still be there: a write of the changed fields alone
    // (Azure's MERGE, a merge patch) sent without a precondition upserts, so on a resource deleted
    // meanwhile it makes a new one holding those fields only. Every change is there, yet the
    // document is not the operator's.
    const vanished = vanishedMembers(base.editable, mine, now.editable, changedPaths);
    return judged(
      ref,
      now,
      savedRevision ?? now.snapshot.revision,
      savedRevision !== null ? 'answer-revision-and-re-read' : 'answer-and-re-read',
      vanished.length
        ? 'The server accepted the save, but it no longer holds what you left unchanged (the resource was deleted or replaced before this write, which made it anew from your changes alone).'
        : null,
      written,
      vanished,
    );
  }

  /** Saved when the server holds every change; else partly applied, naming each change it lacks. */
  function judged(
    ref: ResourceRef,
    server: Fetched,
    savedRevision: string | null,
    proof: SaveProof,
    note: string | null,
    written: Written,
    /** Members the operator left unchanged that the server no longer holds (vanishedMembers). */
    vanished: readonly MissingChange[] = [],
  ): SaveResult {
    const { auditId, intent, changedPaths } = written;
    const missing = [...missingChanges(server, intent), ...vanished];
    if (missing.length === 0 && note === null) {
      if (server.snapshot.source !== 'saved')
        store.journal.record(
          ref.connectionId,
          ref.id,
          server.snapshot.revision,
          server.snapshot.raw ?? '',
          'saved',
          hashBody(server.snapshot.text),
        );
      store.audit.settle(auditId, 'saved', savedRevision);
      return {
        kind: 'saved',
        snapshot: { ...server.snapshot, source: 'saved' },
        savedRevision,
        proof,
        changedPaths,
        movedSince: null,
        auditId,
      };
    }
    const shown = missing.length
      ? missing
      : changedPaths.map((path) => ({
          path,
          wanted: intent[path] ?? null,
          found: intent[path] ?? null,
        }));
    const list = shown
      .map(
        (m) => `${m.path} (wanted ${m.wanted ?? 'absent'}, the server has ${m.found ?? 'nothing'})`,
      )
      .join('; ');
    const message = `${note ?? 'The server accepted the save, but it does not hold every change.'} Not applied: ${list}. Your edit is kept as a draft.`;
    store.audit.settle(
      auditId,
      `partly applied: missing ${shown.map((m) => m.path).join(', ')}`,
      server.snapshot.revision,
    );
    return {
      kind: 'partly-applied',
      snapshot: server.snapshot,
      savedRevision,
      changedPaths,
      missing: shown,
      message,
      auditId,
    };
  }

  /**
   * `saved` when the re-read lists it among the revisions that lost to the document's own (the
   * profile's `write.losingRevisionsPointer`, CouchDB's `_conflicts`), else null.
   */
  function losingRevision(ctx: ConnectionContext, body: JsonValue, saved: string): string | null {
    const pointer = ctx.spec.write.losingRevisionsPointer;
    const listed = pointer === undefined ? undefined : getAt(body, pointer);
    return Array.isArray(listed) && listed.includes(saved) ? saved : null;
  }

  /** The revision an acknowledgement body names at `pointer` (a string or a number), else null. */
  function acknowledgedRevision(text: string, pointer: string): string | null {
    const parsed = parseJson(text);
    const value = parsed.ok ? getAt(parsed.value, pointer) : undefined;
    return typeof value === 'string' && value !== ''
      ? value
      : typeof value === 'number' || typeof value === 'bigint'
        ? String(value)
        : null;
  }

  function bodyRevision(ctx: ConnectionContext, text: string): string | null {
    const parsed = parseJson(text);
    return parsed.ok ? revisionOf(ctx.spec, null, parsed.value, text).revision : null;
  }

  /**
   * The answer was lost, timed out or was a 5xx: the write may have landed, may still land, or not.
   * A re-read says what the server holds now; the outcome stays pending until the operator settles it.
   */
  async function unknownOutcome(
    ctx: ConnectionContext,
    ref: ResourceRef,
    base: Fetched,
    mineText: string,
    mine: JsonValue,
    lost: Written & { cause: UnknownOutcome['cause']; detail: string; status?: number },
  ): Promise<SaveResult> {
    const { auditId, intent, changedPaths, cause, detail } = lost;
    const now = await fetchOrFail(ctx, ref, 'verified');
    const serverNow = 'kind' in now ? null : now;
    const holds = serverHoldsOf(ctx, serverNow, base.snapshot.revision, intent, base.editable);
    const what = describeHolds(
      holds,
      serverNow?.snapshot.revision ?? null,
      base.snapshot.revision,
      'kind' in now ? now.message : null,
    );
    const noMerge = holds === 'other' && serverNow !== null && wantsExactDigits(intent);
    const message = `${detail} ${causeWords(cause)} ${what}${noMerge ? ` ${noDigitMerge([])}: refresh to the server’s version and make your edit again.` : ''}`;
    store.audit.pending(
      auditId,
      `unknown outcome: ${cause}`,
      cause,
      holds,
      serverNow?.snapshot.revision ?? null,
      message,
    );
    if (holds === 'other' && serverNow && !noMerge) {
      // The server moved to other content: this write landed before the other change, or never will.
      // (Not for digits a double does not keep: the merge compares and prints values, and would
      // round them away; the outcome stays pending, as the 412 path refuses such a merge.)
      return conflictResult(
        ctx.spec.write.conflictStatuses[0] ?? 412,
        base,
        serverNow,
        mineText,
        mine,
        ctx,
        { afterLostAnswer: true, auditId },
      );
    }
    return {
      kind: 'unknown-outcome',
      cause,
      message,
      baseRevision: base.snapshot.revision,
      serverNow: serverNow?.snapshot ?? null,
      serverHolds: holds,
      changedPaths,
      auditId,
      ...(lost.status !== undefined ? { status: lost.status } : {}),
    };
  }

  /** Re-reads a pending outcome's resource and says what the server holds now; nothing is written. */
  async function checkPending(
    auditId: number,
    attempt = 1,
  ): Promise<{ pending: PendingOutcome; serverNow: Snapshot | null } | BackendError> {
    const entry = store.audit.pendingOutcome(auditId);
    const intent = store.audit.intentOf(auditId);
    if (!entry || !intent) return fail('not-found', `No pending outcome ${auditId}.`);
    const ctx = context(entry.ref.connectionId);
    if (!ctx.ok) return ctx.error;
    const readAt = new Date().toISOString();
    const order = ++checksBegun;
    const now = await fetchOrFail(ctx.value, entry.ref, 'verified');
    const serverNow = 'kind' in now ? null : now;
    // With no base revision to compare, the base's content tells "still the base" from "other".
    const baseJournalId = store.audit.baseJournalIdOf(auditId);
    const baseRow =
      entry.baseRevision === null && baseJournalId !== null
        ? store.journal.get(entry.ref.connectionId, entry.ref.id, baseJournalId)
        : null;
    const base = baseRow ? fromJournal(ctx.value, entry.ref, baseRow) : null;
    const holds = serverHoldsOf(
      ctx.value,
      serverNow,
      entry.baseRevision,
      intent,
      base && !('kind' in base) ? base.editable : undefined,
    );
    const message = `${causeWords(entry.cause)} ${describeHolds(holds, serverNow?.snapshot.revision ?? null, entry.baseRevision, 'kind' in now ? now.message : null)}`;
    // Overtaken by a check that began reading the server later and has recorded already (a slow
    // read answering last): what that one found stands, and this one reads again. Ordered by when
    // the reads began, counted here (one process per data directory), not by the clock, which may
    // be set back.
    const overtaken = (lastCheckRecorded.get(auditId) ?? 0) > order;
    if (overtaken && attempt < 3) return checkPending(auditId, attempt + 1);
    // checked() writes only a pending row: one settled meanwhile keeps what it says.
    const recorded =
      !overtaken &&
      store.audit.checked(auditId, holds, serverNow?.snapshot.revision ?? null, message, readAt);
    if (recorded) lastCheckRecorded.set(auditId, order);
    const pending = store.audit.pendingOutcome(auditId);
    // Settled while the server was being read (another window, the operator's Accept).
    if (!pending) return settledMeanwhile(auditId);
    return { pending, serverNow: recorded ? (serverNow?.snapshot ?? null) : null };
  }
  /** Checks of pending outcomes begun, and the latest recorded per outcome (see checkPending). */
  let checksBegun = 0;
  const lastCheckRecorded = new Map<number, number>();
  const settledMeanwhile = (auditId: number) =>
    fail('not-found', `Pending outcome ${auditId} was settled while it was being checked.`);

  return {
    context,
    fromJournal,
    shownFromJournal,
    fetchCurrent,
    checkPending,

    /** Whether a write of this resource is under way (see `writing`). */
    isWriting(ref: ResourceRef): boolean {
      return writing.has(writingKey(ref));
    },

    /** How many writes of this resource have begun: changed, a read made before is not news. */
    writesBegun(ref: ResourceRef): number {
      return writesBegun.get(writingKey(ref)) ?? 0;
    },

    async open(ref: ResourceRef): Promise<Fetched | BackendError> {
      const ctx = context(ref.connectionId);
      if (!ctx.ok) return ctx.error;
      return fetchOrFail(ctx.value, ref, 'opened');
    },

    /** The operator's refresh (refreshFrom); only a watch's read can be superseded. */
    async refresh(
      ref: ResourceRef,
      source: Exclude<JournalSource, 'watch'> = 'refreshed',
    ): Promise<Refreshed | BackendError> {
      const result = await refreshFrom(ref, source);
      return result === 'superseded' ? superseded() : result;
    },

    /** A watch's poll: a refresh, or 'superseded' when a write of the resource overtook it. */
    poll(ref: ResourceRef): Promise<Refreshed | BackendError | 'superseded'> {
      return refreshFrom(ref, 'watch');
    },

    async save(
      ref: ResourceRef,
      text: string,
      baseJournalId: number,
      unconditional: boolean,
      batchId: string | null = null,
    ): Promise<SaveResult> {
      const ctx = context(ref.connectionId);
      if (!ctx.ok) return ctx.error;
      const edit = editOn(
        ctx.value,
        ref,
        text,
        baseJournalId,
        `The revision this edit is based on (journal entry ${baseJournalId}) is unknown; reopen the resource.`,
      );
      if ('kind' in edit) return edit;
      return write(
        ctx.value,
        ref,
        edit.base,
        text,
        edit.mine,
        unconditional ? 'unconditional' : 'conditional',
        batchId,
      );
    },

    /** Overwrite on purpose — still conditional on the revision the operator has seen. */
    async forceSave(ref: ResourceRef, text: string, overJournalId: number): Promise<SaveResult> {
      const ctx = context(ref.connectionId);
      if (!ctx.ok) return ctx.error;
      const edit = editOn(
        ctx.value,
        ref,
        text,
        overJournalId,
        `Journal entry ${overJournalId} is unknown; reopen the resource.`,
      );
      if ('kind' in edit) return edit;
      return write(ctx.value, ref, edit.base, text, edit.mine, 'force');
    },
  };
}

/** From this size a snapshot's pieces are made as soon as it is read, not when an edit is saved. */
const PIECES_EARLY_FROM = 256 * 1024;

/** How many journal rows keep their parsed body and document (a save's base, the latest read, …). */
const DERIVED_ROWS = 4;

/** How many reads a strict server gets to hand out a strong ETag before the snapshot is left unguarded. */
const STRONG_TAG_READS = 3;

/** What a request needs of the connection's credential: its query, and how to mask it in the activity log. */
const credential = (ctx: ConnectionContext) => ({
  scrub: ctx.scrub,
  ...(ctx.credentialQuery ? { credentialQuery: ctx.credentialQuery } : {}),
});

/** A read whose ETag is weak (W/"…"): a strict server would never match it in If-Match. */
function isWeakRead(result: Fetched | BackendError | 'not-modified' | 'superseded'): boolean {
  return (
    result !== 'not-modified' &&
    result !== 'superseded' &&
    !('kind' in result) &&
    !result.snapshot.guarded &&
    /^\s*W\//i.test(result.snapshot.revision ?? '')
  );
}

const mergeOptions = (ctx: ConnectionContext) =>
  ctx.spec.idKeys ? { idKeys: ctx.spec.idKeys } : {};

/**
 * Whether an answer names the resource the base is (the same values at the profile's id pointers):
 * a document holding exactly the edit under another id ("b" for "a") is another resource's, so a
 * write misrouted, or an answer for another document, is never taken for this one's.
 */
function sameIdentity(ctx: ConnectionContext, base: JsonValue, answer: JsonValue): boolean {
  const pointers = [
    ctx.spec.list.idPointer,
    ...(ctx.spec.list.idParts ?? []).map((p) => p.pointer),
  ];
  return pointers.every((pointer) => jsonEqual(getAt(base, pointer), getAt(answer, pointer)));
}

/** Whether a write's answer says it is about another resource than the one written (`target`). */
function namesOtherResource(
  answer: HttpResponse,
  target: { ok: true; value: string } | { ok: false; error: string },
): boolean {
  if (!target.ok) return false;
  const named = [
    header(answer.headers, 'content-location'),
    answer.status === 201 ? header(answer.headers, 'location') : null,
  ];
  const place = (url: URL) => `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
  const written = place(new URL(target.value));
  return named.some(
    (value) =>
      value !== null &&
      (!URL.canParse(value, target.value) || place(new URL(value, target.value)) !== written),
  );
}

/**
 * What the operator meant: each changed path and the JSON text wanted there (null = absent). A
 * number a double does not keep is wanted as typed: printed from its value (0.1), it would stand
 * for the server's old digits too, and a write that never landed would read as one that did.
 * `typedText` is the operator's text when it holds such a number.
 */
function intentOf(mine: JsonValue, paths: string[], typedText: string | undefined): Intent {
  const typed = typedText === undefined ? undefined : rawsAt(typedText, paths);
  const out: Intent = {};
  for (const path of paths) {
    const value = getAt(mine, path, false);
    const raw = typed?.get(path);
    out[path] =
      value === undefined
        ? null
        : raw !== undefined && wantedAsTyped(raw)
          ? compactText(raw)
          : stringifyJson(value, COMPACT);
  }
  return out;
}

/** Whether JSON text wanted at a path holds digits a double does not keep. */
function wantedAsTyped(wanted: string | null): wanted is string {
  return wanted !== null && inexactNumber(wanted) !== undefined;
}

/** Why no merge is offered for an edit of digits a double does not keep (at `paths`, when known). */
function noDigitMerge(paths: readonly string[]): string {
  const where = paths.length > 0 ? ` (${paths.join(', ')})` : '';
  return `Your edit changes digits a double does not keep${where}, which a merge of the two versions would lose, so none is offered`;
}

/** Whether an intent holds digits a double does not keep (a merge of values would lose them). */
function wantsExactDigits(intent: Intent): boolean {
  return Object.values(intent).some(wantedAsTyped);
}

/**
 * Members of the operator's document that it left as the base had them (no changed path at or
 * above them) and that the server's document no longer has at all.
 */
function vanishedMembers(
  base: JsonValue,
  mine: JsonValue,
  server: JsonValue,
  changedPaths: readonly string[],
): MissingChange[] {
  // A path is touched when it or one of its ancestors was changed.
  const changed = new Set(changedPaths);
  const touched = (path: string) => withinAny(path, changed, true);
  return diffPaths(mine, server)
    .filter((d) => d.op === 'remove' && !touched(d.path))
    .flatMap((d) => {
      const left = getAt(mine, d.path, false);
      const before = getAt(base, d.path, false);
      return left !== undefined && before !== undefined && jsonEqual(left, before)
        ? [{ path: d.path, wanted: stringifyJson(left, COMPACT), found: null }]
        : [];
    });
}

/**
 * The changed paths where the server's document does not hold what the operator wanted. Read as
 * the document is (diffPaths never goes into a string): a server that stored an edited object as
 * a string of JSON does not hold the object.
 */
function missingChanges(now: Fetched, intent: Intent): MissingChange[] {
  const server = now.editable;
  // Digits wanted as typed are compared with the server's text: its value reads alike.
  const typed = Object.keys(intent).filter((path) => wantedAsTyped(intent[path] ?? null));
  const raws = typed.length === 0 ? undefined : rawsAt(now.snapshot.text, typed);
  const out: MissingChange[] = [];
  for (const [path, wanted] of Object.entries(intent)) {
    const value = getAt(server, path, false);
    const raw = raws?.get(path);
    const found =
      value === undefined
        ? null
        : raw !== undefined
          ? compactText(raw)
          : stringifyJson(value, COMPACT);
    const same =
      wanted === null
        ? value === undefined
        : value !== undefined &&
          jsonEqual(value, parseOrUndefined(wanted)) &&
          (raw === undefined || inexactNumberEdits(raw, wanted).length === 0);
    if (!same) out.push({ path, wanted, found });
  }
  return out;
}

const parseOrUndefined = (text: string): JsonValue | undefined => {
  const parsed = parseJson(text);
  return parsed.ok ? parsed.value : undefined;
};

/** `base` (the document the write started from) tells "unchanged" where there is no revision to compare. */
function serverHoldsOf(
  ctx: ConnectionContext,
  now: Fetched | null,
  baseRevision: string | null,
  intent: Intent,
  base?: JsonValue,
): ServerHolds {
  if (!now) return 'unreadable';
  if (missingChanges(now, intent).length === 0) return 'your-edit';
  if (
    baseRevision !== null
      ? sameRevision(ctx.spec, now.snapshot.revision, baseRevision)
      : base !== undefined && jsonEqual(now.editable, base)
  )
    return 'base';
  return 'other';
}

function causeWords(cause: UnknownOutcome['cause']): string {
  switch (cause) {
    case 'lost-answer':
      return 'The connection dropped after the save was sent, so the server’s answer was lost: the write may or may not have been applied. Nothing was resent; your edit is kept.';
    case 'timeout':
      return 'The server did not answer in time: the write may still be in flight, may have been applied, or may not. Nothing was resent; your edit is kept.';
    case 'server-error':
      return 'A server error does not prove the write was not applied. Nothing was resent; your edit is kept.';
    case 'host-stopped':
      return 'Conflict Desk stopped while this write was in flight, so its answer was never read. Nothing was resent.';
    case 'unverified':
      return 'Reading it back to check that it holds every change failed, so the save is not proven. Nothing was resent; your edit is kept.';
    case 'accepted':
      return 'A 202 says the write is queued, not done: it may still be applied, or not. Nothing was resent; your edit is kept.';
    case 'redirected':
      return 'A redirect does not say whether the write was applied (a 303 usually follows one that was; check the connection’s base URL if it keeps happening). Nothing was resent; your edit is kept.';
  }
}

function describeHolds(
  holds: ServerHolds,
  revision: string | null,
  baseRevision: string | null,
  readError: string | null,
): string {
  switch (holds) {
    case 'your-edit':
      return `The server now holds exactly your edit (revision ${revision ?? 'unknown'}), but this could be someone else’s identical save: it is not proven. Accept what the server holds, or check again.`;
    case 'base':
      return `The server still holds revision ${baseRevision ?? 'unknown'}, the one your edit is based on: the write has not landed so far, but it may still arrive. Conflict Desk keeps checking.`;
    case 'other':
      return `The server now holds revision ${revision ?? 'unknown'}, which does not hold your edit: another write changed it, before or after yours.`;
    case 'unreadable':
      return `The server could not be read back (${readError ?? 'no answer'}). Check again when it answers.`;
  }
}

export type ResourceService = ReturnType<typeof createResourceService>;

/** `changes` (a diff of the values) with `paths` replaced too, unless a change covers them. */
function withEdits(changes: PathChange[], paths: readonly string[]): PathChange[] {
  const covered = new Set(changes.map((c) => c.path));
  const added = paths.filter((path) => !withinAny(path, covered, true));
  return added.length === 0
    ? changes
    : [...changes, ...added.map((path) => ({ path, op: 'replace' as const }))];
}
