// *Accept what the server holds* after a merge's save whose outcome was unknown: the merge is
// closed when its result landed, else redone on what the server holds; never left against the old
// Server now.
import { describe, expect, it } from 'vitest';
import type { UnknownOutcome } from '../../../shared/api/types';
import { chooseAllRemaining, resultText } from '../merge/merge-session';
import { isDirty, outcomeAccepted, saveAnswered, saveStarted, typed } from './editing-session';
import { conflictedSave, openedFixture, pretty, taskSnapshot } from './snapshot.fixture';

const snap = taskSnapshot;
const baseDoc = { priority: 1, status: 'open', owner: 'ann' };
const base = snap(1, '1', baseDoc);
const theirs = snap(2, '2', { ...baseDoc, priority: 9 });
const TYPED = pretty({ ...baseDoc, priority: 5, owner: 'bob' });

/** A merge settled with mine, its result sent; `beside`: typing in the editor meanwhile. */
function mergeSaveUnknown(beside: boolean) {
  const tab = typed(openedFixture(base), pretty({ ...baseDoc, priority: 5 }));
  const merging = conflictedSave(tab, theirs);
  const decided = chooseAllRemaining(merging.merge!, 'mine');
  if (!decided.ok) throw new Error(decided.error);
  const result = resultText(decided.session);
  const saving = saveStarted({ ...merging, merge: decided.session });
  const during = beside ? typed({ ...saving, view: 'edit' }, TYPED) : saving;
  const outcome: UnknownOutcome = {
    kind: 'unknown-outcome',
    cause: 'lost-answer',
    message: 'backend words',
    baseRevision: '2',
    serverNow: null,
    serverHolds: 'unreadable',
    changedPaths: ['/priority'],
    auditId: 8,
  };
  const next = saveAnswered(during, outcome, {
    sentText: result,
    sentBase: theirs,
    fromMerge: true,
  });
  return { next, result };
}

describe('accepting what the server holds after a merge’s save of unknown outcome', () => {
  it('the result had landed: the merge is closed (not left against the old Server now), the typing kept', () => {
    const { next, result } = mergeSaveUnknown(true);
    expect(next.merge).not.toBeNull();
    const landed = snap(3, '3', JSON.parse(result));
    const accepted = outcomeAccepted(next, landed);
    expect(accepted.merge).toBeNull();
    expect(accepted.view).toBe('edit');
    expect(accepted.text).toBe(TYPED);
    expect(accepted.base).toBe(base);
    expect(isDirty(accepted)).toBe(true);
    expect(accepted.serverMoved).toMatchObject({ revision: '3', journalId: 3 });
    expect(accepted.message!.text).toContain('Revision 3 holds your merge’s result');
    expect(accepted.message!.text).toMatch(/typed in the editor during the merge/);
  });

  it('the result had not landed and the server moved on: the merge is redone on it, decisions kept', () => {
    const { next } = mergeSaveUnknown(true);
    const other = snap(3, '3', { ...baseDoc, priority: 9, status: 'closed' });
    const accepted = outcomeAccepted(next, other);
    expect(accepted.merge).not.toBeNull();
    expect(accepted.merge!.theirs).toBe(other);
    // The decision (priority: mine) is kept and the colleague's status is merged in.
    expect(JSON.parse(resultText(accepted.merge!))).toEqual({
      ...baseDoc,
      priority: 5,
      status: 'closed',
    });
    // The merge is against that revision now: it is not news any more.
    expect(accepted.serverMoved).toBeNull();
    expect(accepted.text).toBe(TYPED);
    expect(accepted.base).toBe(base);
    expect(accepted.message!.text).toContain('redone');
  });
});

describe('accepting an unknown outcome of an editor save made beside a merge', () => {
  it('the editor’s write had landed: the tab takes it as for any edit, not as the merge’s', () => {
    const tab = typed(openedFixture(base), pretty({ ...baseDoc, priority: 5 }));
    const merging = conflictedSave(tab, theirs);
    const decided = chooseAllRemaining(merging.merge!, 'mine');
    if (!decided.ok) throw new Error(decided.error);
    // *Back to edit*, typing there, and Save from the editor: its answer is lost.
    const beside = typed({ ...merging, merge: decided.session, view: 'edit' }, TYPED);
    const unknown = saveAnswered(
      saveStarted(beside),
      {
        kind: 'unknown-outcome',
        cause: 'lost-answer',
        message: 'm',
        baseRevision: '1',
        serverNow: null,
        serverHolds: 'unreadable',
        changedPaths: ['/priority', '/owner'],
        auditId: 9,
      },
      { sentText: TYPED, sentBase: beside.base, fromMerge: false },
    );
    expect(unknown.merge).not.toBeNull();
    // The server holds the editor's text (which has the merge's priority too).
    const landed = snap(3, '3', { ...baseDoc, priority: 5, owner: 'bob' });
    const accepted = outcomeAccepted(unknown, landed);
    expect(accepted.base).toBe(landed);
    expect(accepted.text).toBe(landed.text);
    expect(accepted.serverMoved).toBeNull();
    expect(accepted.message!.text).toContain('holds your edit');
  });
});
