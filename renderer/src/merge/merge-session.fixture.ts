// Merge sessions from plain documents, for the merge model's tests: base and theirs as snapshots
// (journal ids 1 and 2), mine as the typed text, a 412 the merge answers.
import { snapshotFixture } from '../session/snapshot.fixture';
import { createMergeSession, type MergeSession } from './merge-session';

/** A snapshot of `doc`, pretty-printed, at `journalId` (its revision is the same number). */
export const docSnapshot = (journalId: number, doc: unknown) =>
  snapshotFixture(
    { connectionId: 'c', id: 'r' },
    journalId,
    String(journalId),
    JSON.stringify(doc, null, 2),
  );

export const sessionOf = (base: unknown, mine: unknown, theirs: unknown): MergeSession =>
  createMergeSession({
    base: docSnapshot(1, base),
    theirs: docSnapshot(2, theirs),
    mine: JSON.stringify(mine, null, 2),
    status: 412,
    mergeOptions: {},
    afterLostAnswer: false,
  });
