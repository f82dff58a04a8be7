// The round trip every real server must pass with its built-in profile, driven through the
// backend's contract (the same calls the renderer makes): list with paging, open, save, someone
// else edits directly on the server, the stale save conflicts, resolve, resubmit, and the server
// ends with exactly the expected document.
import { expectFullConflict } from './desk-harness';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import type { Api } from '../../shared/api/contract';
import type {
  ConnectionInput,
  ConflictOutcome,
  SaveResult,
  Snapshot,
} from '../../shared/api/types';
import { createDesk, type Desk } from '../backend/desk-service';
import { keyFileSecretBox } from '../backend/secrets';

export type Doc = Record<string, unknown>;

/** How a test reaches one real server directly, as "someone else" (never through the app). */
export type ServerSide = {
  /** The document's revision as the server states it now (ETag, `_rev`). */
  revision(id: string): Promise<string>;
  /** The whole stored document as the server sends it (server-managed fields included). */
  read(id: string): Promise<Doc>;
  /** Someone else's write: replaces the document's own fields with `doc`. */
  replace(id: string, doc: Doc): Promise<void>;
};

export type RealDesk = { api: Api; desk: Desk; dataDir: string; close(): Promise<void> };

export function startRealDesk(): RealDesk {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cd-real-desk-'));
  const desk = createDesk({
    host: 'web',
    version: 'test',
    dataDir,
    secretBox: keyFileSecretBox(dataDir),
    sandbox: null,
    retry: { attempts: 2, baseDelayMs: 10, maxDelayMs: 200 },
  });
  return {
    api: desk.api,
    desk,
    dataDir,
    close: async () => {
      await desk.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function saveConnection(api: Api, input: ConnectionInput): Promise<string> {
  const saved = await api.saveConnection({ connection: input });
  if (saved.kind !== 'ok') throw new Error(saved.message);
  return saved.connection.id;
}

/** Every page of the listing, `pageSize` at a time: the ids in the order listed. */
export async function listAll(
  api: Api,
  connectionId: string,
  pageSize: number,
): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let pageToken: string | undefined;
  let pages = 0;
  do {
    const page = await api.listResources({
      connectionId,
      pageSize,
      ...(pageToken ? { pageToken } : {}),
    });
    if (page.kind !== 'ok') throw new Error(page.message);
    pages++;
    expect(page.items.length).toBeLessThanOrEqual(pageSize);
    ids.push(...page.items.map((item) => item.id));
    pageToken = page.nextPageToken ?? undefined;
    if (pages > 100) throw new Error('the listing never ends');
  } while (pageToken);
  return { ids, pages };
}

/** Opens with the server's own text too (`raw: true`), which the tests compare with the server. */
export async function open(api: Api, connectionId: string, id: string): Promise<Snapshot> {
  const opened = await api.openResource({ ref: { connectionId, id }, raw: true });
  if (opened.kind !== 'ok') throw new Error(opened.message);
  return opened.snapshot;
}

export const docOf = (snapshot: Snapshot): Doc => JSON.parse(snapshot.text) as Doc;
export const textOf = (doc: Doc): string => JSON.stringify(doc, null, 2);

export function expectSaved(
  result: SaveResult,
): asserts result is Extract<SaveResult, { kind: 'saved' }> {
  if (result.kind !== 'saved')
    throw new Error(`expected saved, got ${JSON.stringify(result, null, 2).slice(0, 1500)}`);
}

export function expectConflict(result: SaveResult): asserts result is ConflictOutcome {
  if (result.kind !== 'conflict')
    throw new Error(`expected a conflict, got ${JSON.stringify(result, null, 2).slice(0, 1500)}`);
}

export type RoundTripReport = Record<string, 'pass'>;

/**
 * The full round trip on document `id`, whose editable fields start as `start` (flat: name,
 * status, priority, notes). `managedOf` picks the server-managed part of a stored document, which
 * must stay the server's own (never written back by the app).
 */
export async function roundTrip(
  api: Api,
  connectionId: string,
  id: string,
  server: ServerSide,
  options: { conflictStatus: number; managedOf?: (doc: Doc) => Doc },
): Promise<RoundTripReport> {
  const report: RoundTripReport = {};
  // Open: the revision is the server's.
  const opened = await open(api, connectionId, id);
  expect(opened.revision).toBe(await server.revision(id));
  expect(opened.guarded).toBe(true);
  const start = docOf(opened);
  report['open (revision = server’s)'] = 'pass';

  // Save: conditional on the opened revision; the new revision is the server's.
  const first = await api.saveResource({
    ref: { connectionId, id },
    text: textOf({ ...start, status: 'in-progress' }),
    baseJournalId: opened.journalId,
  });
  expectSaved(first);
  expect(first.savedRevision).not.toBe(opened.revision);
  expect(first.savedRevision).toBe(await server.revision(id));
  expect(first.snapshot.revision).toBe(first.savedRevision);
  expect((await server.read(id))['status']).toBe('in-progress');
  report['save (precondition carried, new revision = server’s)'] = 'pass';

  // Someone else changes `priority`, adds `escalated`, deletes `notes`, directly on the server.
  const { notes: _dropped, ...withoutNotes } = docOf(first.snapshot);
  await server.replace(id, { ...withoutNotes, priority: 5, escalated: 'yes' });
  const othersRevision = await server.revision(id);
  expect(othersRevision).not.toBe(first.savedRevision);
  report['someone else changes, adds and deletes fields on the server'] = 'pass';

  // The operator, still on the revision of their save, changes priority (a clash) and region.
  const mine = { ...docOf(first.snapshot), priority: 3, region: 'emea-2' };
  // A script asks for the whole conflict (base, mine, merge) with full: true.
  const staleAnswer = await api.saveResource({
    ref: { connectionId, id },
    text: textOf(mine),
    baseJournalId: first.snapshot.journalId,
    full: true,
  });
  const stale = expectFullConflict(staleAnswer);
  expect(stale.status).toBe(options.conflictStatus);
  expect(stale.theirs.revision).toBe(othersRevision);
  expect(stale.conflicts.map((c) => c.path)).toEqual(['/priority']);
  expect(stale.changes.map((c) => `${c.side} ${c.op} ${c.path}`).sort()).toEqual([
    'mine add /region',
    'theirs add /escalated',
    'theirs remove /notes',
  ]);
  report['stale save → conflict with the right paths'] = 'pass';

  // Resolve: keep mine for /priority (the merged text holds mine at a conflict), resubmit over theirs.
  const resolved = JSON.parse(stale.merged) as Doc;
  expect(resolved['priority']).toBe(3);
  const second = await api.saveResource({
    ref: { connectionId, id },
    text: stale.merged,
    baseJournalId: stale.theirs.journalId,
  });
  expectSaved(second);
  expect(second.savedRevision).toBe(await server.revision(id));
  report['resolve and resubmit → saved'] = 'pass';

  // The server holds exactly the expected document: others' addition and deletion kept.
  const expected: Doc = {
    ...withoutNotes,
    status: 'in-progress',
    priority: 3,
    escalated: 'yes',
    region: 'emea-2',
  };
  const stored = await server.read(id);
  const managed = options.managedOf?.(stored) ?? {};
  const own = Object.fromEntries(Object.entries(stored).filter(([key]) => !(key in managed)));
  expect(own).toEqual(expected);
  expect('notes' in stored).toBe(false);
  expect(docOf(second.snapshot)).toEqual(expected);
  // The list row the browser updates from the saved snapshot names this resource and its revision.
  expect(second.snapshot.summary).toMatchObject({ id, revision: second.savedRevision });
  report['server ends with exactly the expected document'] = 'pass';
  return report;
}
