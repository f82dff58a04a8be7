// A merge in progress leaves the editor open ("Back to edit"): what is typed there is not in the
// merge's result. Saving that result must not drop it.
import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../../../shared/api/types';
import { chooseAllRemaining, resultText } from '../merge/merge-session';
import { isDirty, saveAnswered, saveStarted, typed } from './editing-session';
import { conflictFixture, openedFixture, snapshotFixture } from './snapshot.fixture';

const ref = { connectionId: 'c', id: 'task-1' };
const pretty = (doc: unknown) => JSON.stringify(doc, null, 2);
const snap = (journalId: number, revision: string, doc: unknown): Snapshot =>
  snapshotFixture(ref, journalId, revision, pretty(doc));
const baseDoc = { priority: 1, status: 'open', owner: 'ann' };
const base = snap(1, '1', baseDoc);

describe('saving a merge’s result while the editor holds a later edit', () => {
  it('keeps the edit typed in the editor (during the save) as an unsaved edit', () => {
    const tab = typed(openedFixture(base), pretty({ ...baseDoc, priority: 5 }));
    const first = saveStarted(tab);
    const theirs = snap(2, '2', { ...baseDoc, priority: 9 });
    const merging = saveAnswered(first, conflictFixture(theirs), {
      sentText: tab.text,
      sentBase: tab.base,
      fromMerge: false,
    });
    const decided = chooseAllRemaining(merging.merge!, 'mine');
    if (!decided.ok) throw new Error(decided.error);
    const result = resultText(decided.session);
    // *Save result*, then *Back to edit* while it is under way, and a new value typed there.
    const saving = saveStarted({ ...merging, merge: decided.session });
    const TYPED = pretty({ ...baseDoc, priority: 5, owner: 'bob' });
    const typedDuring = typed({ ...saving, view: 'edit' }, TYPED);
    const saved = snap(3, '3', JSON.parse(result));
    const next = saveAnswered(
      typedDuring,
      {
        kind: 'saved',
        snapshot: saved,
        savedRevision: '3',
        proof: 'answer-body',
        changedPaths: ['/priority'],
        movedSince: null,
        auditId: 8,
      },
      { sentText: result, sentBase: theirs, fromMerge: true },
    );
    expect(next.merge).toBeNull();
    expect(next.text).toBe(TYPED);
    expect(isDirty(next)).toBe(true);
  });
});
