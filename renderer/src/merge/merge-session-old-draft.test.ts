// Review of 6ea40dd: SavedMerge lost its `onlyOtherFieldsChanged` member (the flag is now derived
// from the merge itself). A draft saved before that commit still carries it, and the batch view
// used to write `false` into every draft it made. Such drafts must restore as before, with the
// flag worked out from the restored merge, never taken from the stale member.
import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../../../shared/api/types';
import { decodeWire, encodeWire } from '../../../shared/api/wire';
import { restoreMergeSession, resultText, type SavedMerge } from './merge-session';
import { snapshotFixture } from '../session/snapshot.fixture';

const snap = (journalId: number, doc: unknown): Snapshot =>
  snapshotFixture(
    { connectionId: 'c', id: 'r' },
    journalId,
    String(journalId),
    JSON.stringify(doc, null, 2),
  );

const base = { title: 'Base', status: 'open', priority: 1 };
const mine = { ...base, priority: 5 };
const otherFields = { ...base, status: 'closed' };
const clash = { ...base, priority: 3 };

/** A draft's merge exactly as the build before 6ea40dd wrote it (with the flag). */
const oldDraft = (flag: boolean, choices: Record<string, unknown> = {}): string =>
  encodeWire({
    v: 1,
    status: 412,
    baseJournalId: 1,
    theirsJournalId: 2,
    mineText: JSON.stringify(mine, null, 2),
    choices,
    reverted: [],
    manualText: null,
    setAside: null,
    onlyOtherFieldsChanged: flag,
    afterLostAnswer: false,
  });

describe('a merge draft saved before 6ea40dd', () => {
  it('restores, and its stale flag gives way to the one the restored merge shows', () => {
    // Saved "only other fields" (true), but the server it restores against clashes on priority.
    const clashing = restoreMergeSession(
      decodeWire(oldDraft(true)) as SavedMerge,
      snap(1, base),
      snap(2, clash),
    );
    expect(clashing.onlyOtherFieldsChanged).toBe(false);
    expect(clashing.resolution.result.conflicts.map((c) => c.path)).toEqual(['/priority']);
    // Saved false (as the batch view wrote it), over a server that changed another field only.
    const clean = restoreMergeSession(
      decodeWire(oldDraft(false)) as SavedMerge,
      snap(1, base),
      snap(2, otherFields),
    );
    expect(clean.onlyOtherFieldsChanged).toBe(true);
    expect(JSON.parse(resultText(clean))).toEqual({ ...base, status: 'closed', priority: 5 });
  });

  it('keeps the decisions it was saved with', () => {
    const first = restoreMergeSession(
      decodeWire(oldDraft(false)) as SavedMerge,
      snap(1, base),
      snap(2, clash),
    );
    const id = first.resolution.result.conflicts[0]!.id;
    const decided = restoreMergeSession(
      decodeWire(oldDraft(false, { [id]: 'theirs' })) as SavedMerge,
      snap(1, base),
      snap(2, clash),
    );
    expect(decided.resolution.choices).toEqual({ [id]: 'theirs' });
    expect(JSON.parse(resultText(decided))).toEqual(clash);
  });
});
