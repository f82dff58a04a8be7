// A merge in progress leaves the editor open ("Back to edit"): what is typed there is not in the
// merge's result. Saving that result must not drop it.
import { describe, expect, it } from 'vitest';
import type { Snapshot, UnknownOutcome } from '../../../shared/api/types';
import { chooseAllRemaining, editResult, resultText } from '../merge/merge-session';
import {
  isDirty,
  mergeMatchedServer,
  mergeNeedsNoWrite,
  outcomeAccepted,
  saveAnswered,
  saveStarted,
  typed,
  unknownSummary,
} from './editing-session';
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

// The same scene, for the outcomes that prove less than "saved": the merge's result was sent
// (with a hand edit made in the merge), and the editor beside it holds later typing.
describe('a merge’s save whose outcome is not fully saved, while the editor holds a later edit', () => {
  const TYPED = pretty({ ...baseDoc, priority: 5, owner: 'bob' });
  const theirs = snap(2, '2', { ...baseDoc, priority: 9 });
  function scene() {
    const tab = typed(openedFixture(base), pretty({ ...baseDoc, priority: 5 }));
    const merging = conflictedSave(tab, theirs);
    const decided = chooseAllRemaining(merging.merge!, 'mine');
    if (!decided.ok) throw new Error(decided.error);
    // A hand edit in the merge's result: typed too, so it must survive as well.
    const handEdited = editResult(
      decided.session,
      pretty({ ...baseDoc, priority: 5, status: 'review' }),
    );
    const result = resultText(handEdited);
    const saving = saveStarted({ ...merging, merge: handEdited });
    // *Back to edit* while the save is under way, and a new value typed there.
    const during = typed({ ...saving, view: 'edit' }, TYPED);
    return { during, result, ctx: { sentText: result, sentBase: theirs, fromMerge: true } };
  }
  const unknown = (
    serverNow: Snapshot | null,
    serverHolds: UnknownOutcome['serverHolds'],
  ): UnknownOutcome => ({
    kind: 'unknown-outcome',
    cause: 'lost-answer',
    message: 'backend words',
    baseRevision: '2',
    serverNow,
    serverHolds,
    changedPaths: ['/priority', '/status'],
    auditId: 8,
  });

  it('unknown outcome (server still at Server now): keeps the typing over its own base, and the merge', () => {
    const { during, result, ctx } = scene();
    const next = saveAnswered(during, unknown(theirs, 'base'), ctx);
    expect(next.text).toBe(TYPED);
    // Its base is the revision it descends from: it lacks Server now's change.
    expect(next.base).toBe(base);
    expect(isDirty(next)).toBe(true);
    expect(next.view).toBe('edit');
    // The result sent (with its hand edit) is not proven written: the merge stays, decisions kept.
    expect(next.merge).not.toBeNull();
    expect(resultText(next.merge!)).toBe(result);
    expect(next.unknown).toMatchObject({ auditId: 8, serverHolds: 'base', serverNow: theirs });
    expect(next.message!.text).toMatch(/typed in the editor during the merge/);
    expect(next.message!.text).toMatch(/kept as an unsaved edit/);
    expect(next.message!.text).toContain('over revision 1');
    expect(next.message!.text).not.toMatch(/\bsaved as\b/i);
    // Accepting what the server holds (the merge's Server now) goes on with the merge.
    const accepted = outcomeAccepted(next, theirs);
    expect(accepted.text).toBe(TYPED);
    expect(accepted.base).toBe(base);
    expect(accepted.merge).not.toBeNull();
  });

  it('unknown outcome (server holds the values sent): the typing is still kept, never rebased', () => {
    const { during, result, ctx } = scene();
    const landed = snap(3, '3', JSON.parse(result));
    const next = saveAnswered(during, unknown(landed, 'your-edit'), ctx);
    expect(next.text).toBe(TYPED);
    expect(next.base).toBe(base);
    expect(unknownSummary(next.unknown!).holds).toContain('holds your values (revision 3)');
    // Accepting it does not put the typing over a revision with changes it lacks.
    const accepted = outcomeAccepted(next, landed);
    expect(accepted.text).toBe(TYPED);
    expect(accepted.base).toBe(base);
    expect(accepted.serverMoved).toMatchObject({ revision: '3', journalId: 3 });
    expect(isDirty(accepted)).toBe(true);
  });

  it('unknown outcome of *Overwrite with mine*: the typing is kept', () => {
    const { during } = scene();
    const next = saveAnswered(during, unknown(null, 'unreadable'), {
      sentText: during.merge!.mineText,
      sentBase: theirs,
      fromMerge: true,
    });
    expect(next.text).toBe(TYPED);
    expect(next.base).toBe(base);
    expect(next.merge).not.toBeNull();
  });

  it('partly applied: keeps the typing over its own base, the missing changes and the merge; the new revision is news', () => {
    const { during, result, ctx } = scene();
    // The server kept the priority, not the hand-edited status.
    const now = snap(3, '3', { ...baseDoc, priority: 5 });
    const next = saveAnswered(
      during,
      {
        kind: 'partly-applied',
        snapshot: now,
        savedRevision: '3',
        changedPaths: ['/priority', '/status'],
        missing: [{ path: '/status', wanted: '"review"', found: '"open"' }],
        message: 'm',
        auditId: 8,
      },
      ctx,
    );
    expect(next.text).toBe(TYPED);
    expect(next.base).toBe(base);
    expect(isDirty(next)).toBe(true);
    expect(next.view).toBe('edit');
    expect(next.missing).toEqual([{ path: '/status', wanted: '"review"', found: '"open"' }]);
    expect(next.merge).not.toBeNull();
    expect(resultText(next.merge!)).toBe(result);
    expect(next.serverMoved).toMatchObject({ revision: '3', journalId: 3 });
    expect(next.message!.tone).toBe('error');
    expect(next.message!.text).toContain('revision 3');
    expect(next.message!.text).toMatch(/typed in the editor during the merge/);
    // Not the words for an edit that is what was sent, over the new revision.
    expect(next.message!.text).not.toContain('kept as a draft over what it holds now');
  });

  it('partly applied with no new revision: the typing is kept, nothing is news', () => {
    const { during, ctx } = scene();
    const next = saveAnswered(
      during,
      {
        kind: 'partly-applied',
        snapshot: theirs,
        savedRevision: null,
        changedPaths: ['/priority'],
        missing: [{ path: '/priority', wanted: '5', found: '9' }],
        message: 'm',
        auditId: 8,
      },
      ctx,
    );
    expect(next.text).toBe(TYPED);
    expect(next.base).toBe(base);
    expect(next.merge).not.toBeNull();
    // The merge is against that revision already.
    expect(next.serverMoved).toBeNull();
    expect(next.message!.text).toContain('still holds the revision');
  });

  it('without typing beside the merge, an unknown outcome still makes the result sent the edit', () => {
    const { during, result, ctx } = scene();
    const next = saveAnswered(
      { ...during, text: during.merge!.mineText },
      unknown(theirs, 'base'),
      ctx,
    );
    expect(next.text).toBe(result);
    expect(next.base).toBe(theirs);
    expect(next.merge).toBeNull();
  });

  it('unknown outcome that had landed: accepting it closes the merge, and the typing is still kept', () => {
    const { during, result, ctx } = scene();
    const landed = snap(3, '3', JSON.parse(result));
    // *Accept what the server holds*: the merge's result is there, so the merge is done (it was
    // left open against the old Server now, its save bound to be refused).
    const closed = outcomeAccepted(saveAnswered(during, unknown(landed, 'your-edit'), ctx), landed);
    expect(closed.merge).toBeNull();
    expect(closed.text).toBe(TYPED);
    expect(closed.base).toBe(base);
    expect(isDirty(closed)).toBe(true);
    expect(closed.serverMoved).toMatchObject({ revision: '3', journalId: 3 });
    expect(closed.message!.text).toMatch(/typed in the editor during the merge/);
  });
});

describe('a merge whose result is what the server holds, while the editor holds a later edit', () => {
  it('needs no write, and keeps the typing as an unsaved edit over its own base', () => {
    const theirs = snap(2, '2', { ...baseDoc, priority: 9 });
    const tab = typed(openedFixture(base), pretty({ ...baseDoc, priority: 5 }));
    const merging = conflictedSave(tab, theirs);
    const decided = chooseAllRemaining(merging.merge!, 'theirs');
    if (!decided.ok) throw new Error(decided.error);
    const TYPED = pretty({ ...baseDoc, priority: 5, owner: 'bob' });
    const beside = typed({ ...merging, merge: decided.session, view: 'edit' }, TYPED);
    expect(mergeNeedsNoWrite(beside)).toBe(true);
    const next = mergeMatchedServer(beside);
    expect(next.merge).toBeNull();
    expect(next.text).toBe(TYPED);
    expect(next.base).toBe(base);
    expect(next.serverMoved).toMatchObject({
      revision: '2',
      journalId: 2,
      changedPaths: ['/priority'],
    });
  });
});
