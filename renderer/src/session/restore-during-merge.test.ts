// *Restore revision N* from the history while a merge is open, or while a save is under way.
import { describe, expect, it } from 'vitest';

import { restoreQuestion, restoreReverts } from './reverts';
import { revisionRestored, saveStarted, typed } from './editing-session';
import { conflictedSave, openedFixture, pretty, taskSnapshot } from './snapshot.fixture';

const snap = taskSnapshot;
const baseDoc = { priority: 1, status: 'open', owner: 'ann' };
const base = snap(1, '1', baseDoc);
const theirs = snap(2, '2', { ...baseDoc, priority: 9 });

describe('restoring a revision while a merge is open', () => {
  it('closes the merge: the restored edit is not left beside a merge of another edit', () => {
    const tab = typed(openedFixture(base), pretty({ ...baseDoc, priority: 5 }));
    const merging = conflictedSave(tab, theirs);
    const restored = revisionRestored({ ...merging, view: 'history' }, base, theirs, theirs);
    expect(restored.merge).toBeNull();
    expect(restored.view).toBe('edit');
    expect(restored.text).toBe(base.text);
    expect(restored.base).toBe(theirs);
  });

  it('the question says the merge in progress is closed, even with the editor text not dirty', () => {
    const q = restoreQuestion(base, theirs, false, true);
    expect(q.note).toMatch(/merge in progress/);
    expect(q.danger).toBe(true);
    // Without a merge nothing is said of one.
    expect(restoreQuestion(base, theirs, false, false).note).not.toMatch(/merge/);
  });
});

describe('restoring a revision while a save is under way', () => {
  it('is refused: the save’s answer would otherwise put the restored text over another base', () => {
    const mine = typed(openedFixture(theirs), pretty({ ...baseDoc, priority: 5 }));
    const saving = saveStarted(mine);
    const restored = revisionRestored(saving, base, theirs, theirs);
    expect(restored.text).toBe(mine.text);
    expect(restored.base).toBe(theirs);
    expect(restored.message!.tone).toBe('error');
    expect(restored.message!.text).toMatch(/not restored/);
    // Had it gone through, the save's answer would have moved its base: what the question listed
    // (latest → restored) would no longer be what saving it undoes.
    const listed = restoreReverts(theirs.text, base.text);
    expect(listed).toHaveLength(1);
  });
});
