// The journal dedupes rows by revision + body hash, so a resource that goes A → B → A (a
// content-hash ETag, or no revision at all) is announced with A's older journal id. A merge in
// progress against B used to drop that news (the tab's own base row was ignored, and any row up
// to Server now's counted as merged against): the operator kept merging against B with no banner.
// A watch announces only rows it has not told of, so an older row is the server's current state.
import { describe, expect, it } from 'vitest';
import type { SaveResult, Snapshot } from '../../../shared/api/types';
import { opened, saveAnswered, saveStarted, serverMoved, typed } from './editing-session';
import { conflictFixture, TASK_REF, pretty, taskSnapshot } from './snapshot.fixture';

const ref = TASK_REF;
const snap = taskSnapshot;
const conflict = conflictFixture;

/** A tab opened on `base`, with no draft, merge or pending outcome. */
const openedAt = (base: Snapshot) =>
  opened({
    ref,
    title: 'Task 1',
    connectionName: 'Sandbox',
    snapshot: base,
    draftBase: null,
    draft: null,
    merge: null,
    pending: [],
  });

const docA = { priority: 1, status: 'open' };
const docB = { priority: 1, status: 'closed' };

describe.each([
  ['content-hash revisions', 'hash-A', 'hash-B'],
  ['no revisions at all', null, null],
] as const)('a merge against B when the server goes back to A (%s)', (_what, revA, revB) => {
  it('shows that the server moved (A is announced under its first, older journal row)', () => {
    const base = snap(1, revA, docA);
    const tab = openedAt(base);
    const mine = typed(tab, pretty({ ...docA, priority: 5 }));
    const merging = saveAnswered(saveStarted(mine), conflict(snap(2, revB, docB)), {
      sentText: mine.text,
      sentBase: base,
      fromMerge: false,
    });
    expect(merging.merge).not.toBeNull();
    // The server is back at A: the journal answers with A's row, journal id 1.
    const moved = serverMoved(merging, { revision: revA, journalId: 1, changedPaths: ['/status'] });
    expect(moved.serverMoved).toMatchObject({ journalId: 1 });
  });
});

// The same A → B → A outside a merge: the watch tells B (banner: "the server changed, now
// revision B"), then A under the tab's own base row. The banner used to stay up, saying the server
// holds B while it holds exactly what the tab was opened from.
describe.each([
  ['content-hash revisions', 'hash-A', 'hash-B'],
  ['no revisions at all', null, null],
] as const)('an edit tab when the server goes A → B → A (%s)', (_what, revA, revB) => {
  it('takes the "server changed" banner down once the server is back at the tab\'s base', () => {
    const base = snap(1, revA, docA);
    const tab = typed(openedAt(base), pretty({ ...docA, priority: 5 }));
    const toB = serverMoved(tab, { revision: revB, journalId: 2, changedPaths: ['/status'] });
    expect(toB.serverMoved).toMatchObject({ journalId: 2 });
    const backToA = serverMoved(toB, { revision: revA, journalId: 1, changedPaths: ['/status'] });
    expect(backToA.serverMoved).toBeNull();
  });
});

// News the watch brings while a save is under way waits for the save's answer. A colleague's write
// journalled after the saved revision is still news then; what the save itself settled is not.
describe('a change the watch saw during a save', () => {
  const base = snap(1, 'r1', docA);
  const saved = (journalId: number): SaveResult => ({
    kind: 'saved',
    snapshot: snap(journalId, `r${journalId}`, { ...docA, priority: 5 }),
    savedRevision: `r${journalId}`,
    proof: 'answer-body',
    changedPaths: ['/priority'],
    movedSince: null,
    auditId: 8,
  });
  const saving = () => saveStarted(typed(openedAt(base), pretty({ ...docA, priority: 5 })));
  const ctx = (tab: ReturnType<typeof saving>) => ({
    sentText: tab.text,
    sentBase: base,
    fromMerge: false,
  });

  it('stays news when it was journalled after the saved revision', () => {
    const during = serverMoved(saving(), {
      revision: 'r3',
      journalId: 3,
      changedPaths: ['/status'],
    });
    const answered = saveAnswered(during, saved(2), ctx(during));
    expect(answered.serverMoved).toMatchObject({ journalId: 3 });
    expect(answered.deferredMoved).toBeNull();
  });

  it('is settled by the save when it was journalled before the saved revision', () => {
    const during = serverMoved(saving(), { revision: 'r2', journalId: 2, changedPaths: [] });
    const answered = saveAnswered(during, saved(3), ctx(during));
    expect(answered.serverMoved).toBeNull();
    expect(answered.deferredMoved).toBeNull();
  });
});
