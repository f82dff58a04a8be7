// A merge is open and the operator, back in the editor, saves what they typed there: the answer is
// another conflict, whose merge takes the place of the one in progress. Its decisions (and hand
// edits) are the operator's work: where they still apply they carry over, never silently dropped.
import { describe, expect, it } from 'vitest';

import { choose, editResult, resultText, unresolved } from '../merge/merge-session';
import { saveAnswered, saveStarted, typed } from './editing-session';
import {
  conflictedSave,
  conflictFixture,
  openedFixture,
  pretty,
  taskSnapshot,
} from './snapshot.fixture';

const snap = taskSnapshot;
const baseDoc = { priority: 1, status: 'open', owner: 'ann' };
const base = snap(1, '1', baseDoc);
const theirs = snap(2, '2', { ...baseDoc, priority: 9, status: 'closed' });

describe('an editor save while a merge is in progress, answered with a conflict', () => {
  it('keeps the decisions that still apply, and the hand edits set aside', () => {
    const tab = typed(openedFixture(base), pretty({ ...baseDoc, priority: 5, status: 'review' }));
    const merging = conflictedSave(tab, theirs);
    const [priority, status] = unresolved(merging.merge!);
    expect(priority!.path).toBe('/priority');
    let merge = merging.merge!;
    for (const c of [priority!, status!]) {
      const next = choose(merge, c.id, 'theirs');
      if (!next.ok) throw new Error(next.error);
      merge = next.session;
    }
    merge = editResult(merge, resultText(merge).replace('"ann"', '"ann b."'));
    // *Back to edit*, the owner typed there, and Save.
    const TYPED = pretty({ ...baseDoc, priority: 5, status: 'review', owner: 'bob' });
    const beside = typed({ ...merging, merge, view: 'edit' }, TYPED);
    const again = saveAnswered(saveStarted(beside), conflictFixture(theirs), {
      sentText: TYPED,
      sentBase: beside.base,
      fromMerge: false,
    });
    expect(again.merge!.mineText).toBe(TYPED);
    // Both conflicts are the same questions with the same answers: they stay decided.
    expect(unresolved(again.merge!)).toHaveLength(0);
    expect(again.merge!.setAside).not.toBeNull();
    expect(again.merge!.notice).toMatch(/decisions? kept/);
  });
});
