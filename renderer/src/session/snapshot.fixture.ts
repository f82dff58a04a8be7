// A journalled snapshot as the backend answers one, and a tab opened on it, for the renderer's tests.
import type { ConflictOutcome, ResourceRef, SaveResult, Snapshot } from '../../../shared/api/types';
import { opened, saveAnswered, saveStarted, type Tab } from './editing-session';

/** The snapshot of `ref` at a journal row, holding `text`, as an open answers it. */
export function snapshotFixture(
  ref: ResourceRef,
  journalId: number,
  revision: string | null,
  text: string,
): Snapshot {
  return {
    ref,
    journalId,
    revision,
    guarded: true,
    unguardedReason: null,
    text,
    seenAt: '2026-01-01T00:00:00Z',
    source: 'opened',
    summary: null,
  };
}

/** The resource most renderer tests open: a task on connection "c". */
export const TASK_REF: ResourceRef = { connectionId: 'c', id: 'task-1' };

/** A document laid out as the app lays it out (two-space JSON). */
export const pretty = (doc: unknown): string => JSON.stringify(doc, null, 2);

/** The snapshot of TASK_REF at a journal row, holding `doc` laid out by `pretty`. */
export const taskSnapshot = (journalId: number, revision: string | null, doc: unknown): Snapshot =>
  snapshotFixture(TASK_REF, journalId, revision, pretty(doc));

/** A tab opened on `snapshot` with no draft, merge or pending outcome (`extra` overrides). */
export function openedFixture(
  snapshot: Snapshot,
  extra: Partial<Parameters<typeof opened>[0]> = {},
): ReturnType<typeof opened> {
  return opened({
    ref: snapshot.ref,
    title: 'Task 1',
    connectionName: 'Sandbox',
    snapshot,
    draftBase: null,
    draft: null,
    merge: null,
    pending: [],
    ...extra,
  });
}

/** A save refused as stale (412) with `theirs` as Server now, as the backend answers it. */
export const conflictFixture = (
  theirs: Snapshot,
  extra: Partial<ConflictOutcome> = {},
): SaveResult => ({
  kind: 'conflict',
  status: 412,
  theirs,
  onlyOtherFieldsChanged: false,
  mergeOptions: {},
  afterLostAnswer: false,
  auditId: 7,
  ...extra,
});

/** `tab` saved and answered with a conflict against `theirs`: the merge view opens. */
export const conflictedSave = (tab: Tab, theirs: Snapshot): Tab =>
  saveAnswered(saveStarted(tab), conflictFixture(theirs), {
    sentText: tab.text,
    sentBase: tab.base,
    fromMerge: false,
  });
