// A merge's result is being saved: a decision or hand edit made meanwhile is not in what was sent,
// and the answer ("saved") closes the merge. It must not be taken and then dropped.
import { describe, expect, it } from 'vitest';

import {
  choose,
  chooseAllRemaining,
  editResult,
  resultText,
  unresolved,
} from '../merge/merge-session';
import { mergeUpdated, saveAnswered, saveStarted, typed } from './editing-session';
import { conflictedSave, openedFixture, pretty, taskSnapshot } from './snapshot.fixture';

const snap = taskSnapshot;
const baseDoc = { priority: 1, status: 'open' };
const base = snap(1, '1', baseDoc);
const theirs = snap(2, '2', { ...baseDoc, priority: 9 });

function savingMerge() {
  const tab = typed(openedFixture(base), pretty({ ...baseDoc, priority: 5 }));
  const merging = conflictedSave(tab, theirs);
  const decided = chooseAllRemaining(merging.merge!, 'mine');
  if (!decided.ok) throw new Error(decided.error);
  const sent = resultText(decided.session);
  return { saving: saveStarted({ ...merging, merge: decided.session }), sent };
}

describe('changing a merge while its result is being saved', () => {
  it('a decision changed meanwhile is refused, not taken and then dropped by the answer', () => {
    const { saving, sent } = savingMerge();
    const id = saving.merge!.resolution.result.conflicts[0]!.id;
    const during = mergeUpdated(saving, (s) => {
      const next = choose(s, id, 'theirs');
      return next.ok ? next.session : s;
    });
    // Taken, it was lost when "saved" closed the merge on the result sent (priority 5).
    expect(during.merge!.resolution.choices[id]).toBe('mine');
    expect(during.message!.tone).toBe('error');
    expect(during.message!.text).toMatch(/being saved/);
    const saved = saveAnswered(
      during,
      {
        kind: 'saved',
        snapshot: snap(3, '3', JSON.parse(sent)),
        savedRevision: '3',
        proof: 'answer-body',
        changedPaths: ['/priority'],
        movedSince: null,
        auditId: 8,
      },
      { sentText: sent, sentBase: theirs, fromMerge: true },
    );
    expect(saved.merge).toBeNull();
  });

  it('a hand edit of the Result is refused too; moving the focus is not', () => {
    const { saving } = savingMerge();
    expect(mergeUpdated(saving, (s) => editResult(s, '{"x":1}')).merge).toBe(saving.merge);
    const focused = mergeUpdated(saving, (s) => ({ ...s, focus: 0 }));
    expect(focused.message).toBeNull();
    expect(unresolved(focused.merge!)).toHaveLength(0);
  });
});
