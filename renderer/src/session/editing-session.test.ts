import { describe, expect, it } from 'vitest';
import type { PendingOutcome, Snapshot, UnknownOutcome } from '../../../shared/api/types';
import { merge3 } from '../../../shared/json';
import { allConflicts, chooseAllRemaining, resultText, unresolved } from '../merge/merge-session';
import {
  isDirty,
  mergeMatchedServer,
  mergeNeedsNoWrite,
  mergeRedone,
  needsDraft,
  opened,
  outcomeAccepted,
  outcomeChecked,
  outcomeChecking,
  outcomeDismissed,
  refreshed,
  saveAnswered,
  saveCutOff,
  saveFailed,
  saveStarted,
  serverMoved,
  draftBaseOf,
  typed,
  unknownSummary,
  unreadBase,
  type Tab,
} from './editing-session';
import { missingWords, pathWords } from './outcome-words';
import { conflictFixture, openedFixture, TASK_REF, pretty, taskSnapshot } from './snapshot.fixture';

const ref = TASK_REF;
const snap = taskSnapshot;

const baseDoc = { priority: 1, status: 'open', tags: ['a'] };
const base = snap(1, '1', baseDoc);
const open = (extra: Partial<Parameters<typeof opened>[0]> = {}): Tab => openedFixture(base, extra);
const edited = (doc: unknown) => typed(open(), pretty(doc));
const sent = (tab: Tab) => ({ sentText: tab.text, sentBase: tab.base, fromMerge: false });

const conflict = conflictFixture;
const unknown = (
  serverNow: Snapshot | null,
  serverHolds: UnknownOutcome['serverHolds'],
  cause: UnknownOutcome['cause'] = 'lost-answer',
): UnknownOutcome => ({
  kind: 'unknown-outcome',
  cause,
  message: 'backend words',
  baseRevision: '1',
  serverNow,
  serverHolds,
  changedPaths: ['/priority'],
  auditId: 9,
});
const unknownFromSave = (serverNow: Snapshot) => ({
  auditId: 9,
  cause: 'host-stopped' as const,
  serverHolds: 'base' as const,
  serverNow,
  serverRevision: serverNow.revision,
  changedPaths: ['/priority'],
  checkedAt: null,
  checking: false,
});
const pendingOf = (u: UnknownOutcome, patch: Partial<PendingOutcome> = {}): PendingOutcome => ({
  auditId: u.auditId,
  ref,
  at: '2026-01-01T00:00:01Z',
  cause: u.cause,
  baseRevision: u.baseRevision,
  changedPaths: u.changedPaths,
  serverHolds: u.serverHolds,
  checkedAt: '2026-01-01T00:00:02Z',
  serverRevision: u.serverNow?.revision ?? null,
  message: u.message,
  ...patch,
});

describe('editing session: open and type', () => {
  it('opens clean, and is dirty once typed', () => {
    const t = open();
    expect(t.text).toBe(base.text);
    expect(isDirty(t)).toBe(false);
    expect(isDirty(typed(t, '{}'))).toBe(true);
    expect(needsDraft(typed(t, '{}'))).toBe(true);
  });

  it('restores a draft typed against an older revision on that revision, and says the server moved', () => {
    const latest = snap(3, '3', { ...baseDoc, status: 'closed' });
    const t = open({
      snapshot: latest,
      draftBase: base,
      draft: { text: pretty({ ...baseDoc, priority: 5 }), updatedAt: '2026-01-01T00:01:00Z' },
    });
    expect(t.base).toBe(base);
    expect(JSON.parse(t.text)).toMatchObject({ priority: 5 });
    expect(t.serverMoved).toMatchObject({ journalId: 3, revision: '3' });
    expect(t.restoredDraftAt).toBe('2026-01-01T00:01:00Z');
  });

  it('restores a draft whose own base cannot be read against the latest revision, flagged until that no longer holds', () => {
    const latest = snap(3, '3', { ...baseDoc, status: 'closed' });
    // Typed against revision 1 (status open), now shown against 3: its "open" would undo theirs.
    const t = open({
      snapshot: latest,
      draftBase: null,
      draftBaseLost: { journalId: 1, reason: 'not in the journal' },
      draft: { text: pretty({ ...baseDoc, priority: 5 }), updatedAt: '2026-01-01T00:01:00Z' },
    });
    expect(t.base).toBe(latest);
    expect(JSON.parse(t.text)).toMatchObject({ priority: 5, status: 'open' });
    expect(t.message?.tone).toBe('error');
    expect(t.message?.text).toContain('journal entry #1');
    expect(t.message?.text).toContain('not in the journal');
    expect(unreadBase(t)).toMatchObject({ journalId: 1 });
    // Kept as a draft against the revision it was made from, so the next open flags it again.
    expect(draftBaseOf(t)).toEqual({ journalId: 1, revision: null });
    // Typed back to the revision it is shown against: nothing it could undo.
    expect(unreadBase(typed(t, latest.text))).toBeNull();
    // Saved: the text now has a base it was written over.
    const started = saveStarted(t);
    const saved = snap(4, '4', JSON.parse(t.text));
    const after = saveAnswered(
      started,
      {
        kind: 'saved',
        snapshot: saved,
        savedRevision: '4',
        proof: 'answer-body',
        changedPaths: ['/priority', '/status'],
        movedSince: null,
        auditId: 1,
      },
      sent(started),
    );
    expect(unreadBase(typed(after, pretty({ ...baseDoc, priority: 6 })))).toBeNull();
    // A draft whose base was read is not flagged.
    expect(unreadBase(typed(open(), pretty({ ...baseDoc, priority: 7 })))).toBeNull();
  });

  it('shows a pending outcome of the resource when opened, with what the server holds', () => {
    const u = unknown(base, 'base');
    const t = open({ pending: [pendingOf(u)] });
    expect(t.unknown).toMatchObject({ auditId: 9, serverHolds: 'base', serverRevision: '1' });
    expect(t.unknown!.serverNow).toBe(base);
  });
});

describe('editing session: a save answered with each outcome', () => {
  it('saved: the saved revision becomes the base and the text', () => {
    const t = saveStarted(edited({ ...baseDoc, priority: 5 }));
    const saved = snap(2, '2', { ...baseDoc, priority: 5 });
    const next = saveAnswered(
      t,
      {
        kind: 'saved',
        snapshot: saved,
        savedRevision: '2',
        proof: 'answer-body',
        changedPaths: ['/priority'],
        movedSince: null,
        auditId: 1,
      },
      sent(t),
    );
    expect(next).toMatchObject({
      saving: false,
      base: saved,
      text: saved.text,
      merge: null,
      unknown: null,
    });
    expect(next.message).toEqual({ tone: 'ok', text: 'Saved as revision 2.' });
  });

  it('saved with movedSince: says another write changed it since (maybe the operator’s own, from another tab or a batch), and shows that revision', () => {
    const t = saveStarted(edited({ ...baseDoc, priority: 5 }));
    const theirs = snap(3, '3', { ...baseDoc, priority: 5, status: 'closed' });
    const next = saveAnswered(
      t,
      {
        kind: 'saved',
        snapshot: theirs,
        savedRevision: '2',
        proof: 'answer-revision',
        changedPaths: ['/priority'],
        movedSince: { savedRevision: '2', revision: '3', changedPaths: ['/status'] },
        auditId: 1,
      },
      sent(t),
    );
    expect(next.base).toBe(theirs);
    expect(next.message!.text).toContain(
      'Saved as revision 2. Another write has changed it since: the server now has revision 3 (status)',
    );
    expect(next.message!.text).not.toMatch(/someone else/i);
  });

  it('saved with movedSince but nothing changed since: claims no other writer', () => {
    const t = saveStarted(edited({ ...baseDoc, priority: 5 }));
    const same = snap(3, '"2-gzip"', { ...baseDoc, priority: 5 });
    const next = saveAnswered(
      t,
      {
        kind: 'saved',
        snapshot: same,
        savedRevision: '"2"',
        proof: 'answer-revision',
        changedPaths: ['/priority'],
        movedSince: { savedRevision: '"2"', revision: '"2-gzip"', changedPaths: [] },
        auditId: 1,
      },
      sent(t),
    );
    expect(next.message!.text).toBe(
      'Saved as revision "2". The server now names it revision "2-gzip", holding exactly what you saved.',
    );
    expect(next.message!.text).not.toMatch(/someone else|another write/i);
  });

  it('saved while the operator kept typing: what they typed stays as a new edit', () => {
    const t = saveStarted(edited({ ...baseDoc, priority: 5 }));
    const ctx = sent(t);
    const later = typed(t, pretty({ ...baseDoc, priority: 6 }));
    const next = saveAnswered(
      later,
      {
        kind: 'saved',
        snapshot: snap(2, '2', { ...baseDoc, priority: 5 }),
        savedRevision: '2',
        proof: 'answer-body',
        changedPaths: [],
        movedSince: null,
        auditId: 1,
      },
      ctx,
    );
    expect(JSON.parse(next.text)).toMatchObject({ priority: 6 });
    expect(isDirty(next)).toBe(true);
    expect(next.message!.text).toContain('What you typed meanwhile is kept');
  });

  it('saved, typed meanwhile, and a colleague changed it since: what was typed is not rebased over their change', () => {
    const t = saveStarted(edited({ ...baseDoc, priority: 5 }));
    const ctx = sent(t);
    const later = typed(t, pretty({ ...baseDoc, priority: 6 }));
    const theirs = snap(3, '3', { ...baseDoc, priority: 5, status: 'closed' });
    const next = saveAnswered(
      later,
      {
        kind: 'saved',
        snapshot: theirs,
        savedRevision: '2',
        proof: 'answer-revision',
        changedPaths: ['/priority'],
        movedSince: { savedRevision: '2', revision: '3', changedPaths: ['/status'] },
        auditId: 1,
      },
      ctx,
    );
    // Saving the typed text over revision 3 would write "open" back: it stays over the revision it
    // was typed on, and revision 3 is news, so the next save merges.
    expect(next.base).toBe(ctx.sentBase);
    expect(next.serverMoved).toMatchObject({ journalId: 3, revision: '3' });
    expect(JSON.parse(next.text)).toMatchObject({ priority: 6, status: 'open' });
    expect(next.message!.text).toContain('What you typed meanwhile is kept');
  });

  it('conflict: builds the one merge from base, mine, Server now and the backend’s options', () => {
    const rows = (pairs: Array<[number, string, number]>) => ({
      rows: pairs.map(([id, uuid, n]) => ({ id, uuid, n })),
    });
    const b = snap(
      1,
      '1',
      rows([
        [1, 'a', 1],
        [2, 'b', 1],
      ]),
    );
    const mineDoc = rows([
      [1, 'b', 1],
      [2, 'a', 2],
    ]);
    const theirsDoc = rows([
      [1, 'a', 3],
      [2, 'b', 1],
    ]);
    const t = saveStarted(typed(open({ snapshot: b }), pretty(mineDoc)));
    const next = saveAnswered(
      t,
      conflict(snap(2, '2', theirsDoc), { mergeOptions: { idKeys: ['uuid'] } }),
      sent(t),
    );
    expect(next.view).toBe('merge');
    const backend = merge3(JSON.parse(b.text), mineDoc, theirsDoc, { idKeys: ['uuid'] });
    expect(allConflicts(next.merge!).map((c) => c.path)).toEqual(
      backend.conflicts.map((c) => c.path),
    );
    expect(allConflicts(next.merge!)).toHaveLength(1);
    expect(next.merge!.base).toBe(b);
    expect(next.text).toBe(pretty(mineDoc));
  });

  it('conflict after a lost answer: the merge knows, so the view can say so', () => {
    const t = saveStarted(edited({ ...baseDoc, priority: 5 }));
    const next = saveAnswered(
      t,
      conflict(snap(2, '2', { ...baseDoc, priority: 9 }), { afterLostAnswer: true }),
      sent(t),
    );
    expect(next.merge!.afterLostAnswer).toBe(true);
  });

  it('conflict while merging: rebases the merge in progress, keeping decisions', () => {
    const t = saveStarted(edited({ ...baseDoc, priority: 5 }));
    const first = saveAnswered(t, conflict(snap(2, '2', { ...baseDoc, priority: 9 })), sent(t));
    const decided = chooseAllRemaining(first.merge!, 'mine');
    if (!decided.ok) throw new Error(decided.error);
    const merging = saveStarted({ ...first, merge: decided.session });
    const again = saveAnswered(
      merging,
      conflict(snap(3, '3', { ...baseDoc, priority: 9, status: 'closed' })),
      { sentText: resultText(decided.session), sentBase: first.merge!.theirs, fromMerge: true },
    );
    expect(again.merge!.theirs.revision).toBe('3');
    expect(unresolved(again.merge!)).toEqual([]);
    expect(JSON.parse(resultText(again.merge!))).toMatchObject({ priority: 5, status: 'closed' });
  });

  it('partly applied: the edit stays as a draft over the new revision, and each missing change is named', () => {
    const t = saveStarted(edited({ ...baseDoc, priority: 5, status: 'closed' }));
    const now = snap(2, '2', { ...baseDoc, priority: 5 });
    const next = saveAnswered(
      t,
      {
        kind: 'partly-applied',
        snapshot: now,
        savedRevision: '2',
        changedPaths: ['/priority', '/status'],
        missing: [{ path: '/status', wanted: '"closed"', found: '"open"' }],
        message: 'm',
        auditId: 3,
      },
      sent(t),
    );
    expect(next.base).toBe(now);
    expect(JSON.parse(next.text)).toMatchObject({ status: 'closed' });
    expect(isDirty(next)).toBe(true);
    expect(next.missing).toHaveLength(1);
    expect(missingWords(next.missing![0]!)).toBe(
      'status: you wrote "closed", the server holds "open"',
    );
    expect(next.message!.text).toContain('did not apply one of your changes');
  });

  it('partly applied with no new revision: says the server still holds the revision the edit was based on', () => {
    // A 2xx whose answer named the base revision (another spelling), the re-read still at it.
    const t = saveStarted(edited({ ...baseDoc, priority: 5 }));
    const next = saveAnswered(
      t,
      {
        kind: 'partly-applied',
        snapshot: base,
        savedRevision: null,
        changedPaths: ['/priority'],
        missing: [{ path: '/priority', wanted: '5', found: '1' }],
        message: 'm',
        auditId: 4,
      },
      sent(t),
    );
    expect(next.message!.text).toContain('still holds the revision your edit was based on (1)');
    expect(next.message!.text).not.toContain('unnamed');
  });

  it('unknown outcome after a redirect: says what to check when every save is redirected', () => {
    const t = saveStarted(edited({ ...baseDoc, priority: 5 }));
    const next = saveAnswered(t, unknown(base, 'base', 'redirected'), sent(t));
    const words = unknownSummary(next.unknown!);
    expect(words.headline).toMatch(/redirect/);
    // A base URL the server moves (http to https, a renamed path) redirects every write.
    expect(words.headline).toMatch(/check the connection’s base URL/);
  });

  it('unknown outcome: keeps the edit, shows what the server holds now, claims nothing', () => {
    const t = saveStarted(edited({ ...baseDoc, priority: 5 }));
    const next = saveAnswered(t, unknown(base, 'base'), sent(t));
    expect(next.text).toBe(t.text);
    expect(next.base).toBe(base);
    expect(next.unknown).toMatchObject({ auditId: 9, serverHolds: 'base', serverNow: base });
    const words = unknownSummary(next.unknown!);
    expect(words.headline).toContain('not known whether your save was applied. Nothing was resent');
    expect(words.holds).toContain('still holds the revision you started from (1)');
  });

  it('unknown outcome of a merge’s save: the result sent becomes the edit, nothing decided is lost', () => {
    const t = saveStarted(edited({ ...baseDoc, priority: 5 }));
    const merging = saveAnswered(
      t,
      conflict(snap(2, '2', { ...baseDoc, status: 'closed' })),
      sent(t),
    );
    const result = resultText(merging.merge!);
    const next = saveAnswered(saveStarted(merging), unknown(null, 'unreadable', 'timeout'), {
      sentText: result,
      sentBase: merging.merge!.theirs,
      fromMerge: true,
    });
    expect(next.view).toBe('edit');
    expect(next.merge).toBeNull();
    expect(next.text).toBe(result);
    expect(next.base.revision).toBe('2');
    expect(unknownSummary(next.unknown!).holds).toBe('The server could not be read to check.');
  });

  it('a merge in progress ignores the watch re-reporting the revision it already merges against', () => {
    const theirs = snap(5, '2', { ...baseDoc, status: 'closed' });
    const inMerge = saveAnswered(
      saveStarted(edited({ ...baseDoc, priority: 5 })),
      conflict(theirs),
      sent(edited({ ...baseDoc, priority: 5 })),
    );
    expect(inMerge.merge).not.toBeNull();
    // The same revision seen again under a later journal entry (a re-read) is not news.
    expect(
      serverMoved(inMerge, { revision: '2', journalId: 9, changedPaths: [] }).serverMoved,
    ).toBeNull();
    expect(
      serverMoved(inMerge, { revision: '3', journalId: 10, changedPaths: ['/status'] }).serverMoved,
    ).toMatchObject({ revision: '3' });
  });

  it('a merge restored on open is against the revision just read: no "server changed" banner', () => {
    const theirs = snap(5, '2', { ...baseDoc, status: 'closed' });
    const inMerge = saveAnswered(
      saveStarted(edited({ ...baseDoc, priority: 5 })),
      conflict(theirs),
      sent(edited({ ...baseDoc, priority: 5 })),
    );
    const reopened = opened({
      ref,
      title: 't',
      connectionName: 'c',
      snapshot: theirs,
      draftBase: base,
      draft: { text: inMerge.text, updatedAt: 'now' },
      merge: inMerge.merge,
      pending: [],
    });
    expect(reopened.view).toBe('merge');
    expect(reopened.serverMoved).toBeNull();
  });

  it('error: nothing written; a move seen during the save applies now', () => {
    const t = saveStarted(edited({ ...baseDoc, priority: 5 }));
    const moved = serverMoved(t, { revision: '2', journalId: 2, changedPaths: ['/status'] });
    expect(moved.serverMoved).toBeNull();
    const next = saveAnswered(
      moved,
      {
        kind: 'error',
        reason: 'rejected',
        message: 'The server refused it (400).',
        bodyExcerpt: 'bad',
      },
      sent(t),
    );
    expect(next.serverMoved).toMatchObject({ journalId: 2 });
    expect(next.message).toEqual({
      tone: 'error',
      text: 'The server refused it (400).',
      detail: 'bad',
    });
    expect(next.text).toBe(t.text);
  });

  it('a refusal says what the operator can do (413 with the server’s limit)', () => {
    const t = saveStarted(edited({ ...baseDoc, priority: 5 }));
    const next = saveAnswered(
      t,
      {
        kind: 'error',
        reason: 'rejected',
        status: 413,
        message: 'The server refused the save with 413.',
        bodyExcerpt: 'Data exceeds the 16 KiB limit',
      },
      sent(t),
    );
    expect(next.message!.text).toContain(
      'The server refuses documents this large (413): its limit is 16 KiB',
    );
  });

  it('a save whose call to the backend failed does not claim nothing was written (the backend may have sent it)', () => {
    const t = saveCutOff(saveStarted(edited({ ...baseDoc, priority: 5 })), 'Failed to fetch');
    expect(t.saving).toBe(false);
    expect(t.message!.text).toContain('Failed to fetch');
    expect(t.message!.text).toContain('not known whether it reached the server');
    expect(t.message!.text).not.toContain('could not reach its backend');
    expect(JSON.parse(t.text)).toMatchObject({ priority: 5 });
  });

  it('a thrown call ends the saving state and keeps the edit', () => {
    const t = saveFailed(saveStarted(edited({ ...baseDoc, priority: 5 })), 'socket hang up');
    expect(t.saving).toBe(false);
    expect(t.message!.text).toContain('socket hang up');
    expect(JSON.parse(t.text)).toMatchObject({ priority: 5 });
  });
});

describe('editing session: the server moving and unknown outcomes settling', () => {
  it('a refresh loads a new revision when clean, and only warns when there is an edit', () => {
    const latest = snap(2, '2', { ...baseDoc, status: 'closed' });
    expect(refreshed(open(), latest)).toMatchObject({ base: latest, text: latest.text });
    const dirty = refreshed(edited({ ...baseDoc, priority: 5 }), latest);
    expect(dirty.base).toBe(base);
    expect(dirty.serverMoved).toMatchObject({ journalId: 2 });
    expect(refreshed(open(), base).message!.text).toContain('Up to date');
  });

  it('a check again updates what the server holds (from the check, or an event)', () => {
    const t = saveAnswered(
      saveStarted(edited({ ...baseDoc, priority: 5 })),
      unknown(base, 'base'),
      sent(edited({ ...baseDoc, priority: 5 })),
    );
    const landed = snap(2, '2', { ...baseDoc, priority: 5 });
    const checked = outcomeChecked(t, pendingOf(unknown(landed, 'your-edit')), landed);
    expect(checked.unknown).toMatchObject({
      serverHolds: 'your-edit',
      serverRevision: '2',
      serverNow: landed,
    });
    // An event carries no snapshot: a new revision is then not shown as known.
    const fromEvent = outcomeChecked(t, pendingOf(unknown(landed, 'your-edit')), undefined);
    expect(fromEvent.unknown).toMatchObject({ serverHolds: 'your-edit', serverNow: null });
    // Another write's check leaves this tab alone.
    expect(outcomeChecked(t, { ...pendingOf(unknown(landed, 'other')), auditId: 99 }, landed)).toBe(
      t,
    );
  });

  it('a watch’s check landing while the operator’s Check again is under way leaves it under way', () => {
    const t = outcomeChecking(
      saveAnswered(
        saveStarted(edited({ ...baseDoc, priority: 5 })),
        unknown(base, 'base'),
        sent(edited({ ...baseDoc, priority: 5 })),
      ),
    );
    expect(t.unknown?.checking).toBe(true);
    const landed = snap(2, '2', { ...baseDoc, priority: 5 });
    // The event (no snapshot): what the server holds is news, but Accept stays off until the
    // operator's own check answers.
    const fromEvent = outcomeChecked(t, pendingOf(unknown(landed, 'your-edit')), undefined);
    expect(fromEvent.unknown).toMatchObject({ serverHolds: 'your-edit', checking: true });
    const answered = outcomeChecked(fromEvent, pendingOf(unknown(landed, 'your-edit')), landed);
    expect(answered.unknown).toMatchObject({ serverNow: landed, checking: false });
  });

  it('accepting what the server holds never rebases the edit over someone else\u2019s change (a save would write it back)', () => {
    const mine = edited({ ...baseDoc, priority: 5 });
    const t = saveAnswered(saveStarted(mine), unknown(base, 'other'), sent(mine));
    // A colleague closed it; the operator's write never landed.
    const other = snap(2, '2', { ...baseDoc, status: 'closed' });
    const accepted = outcomeAccepted(t, other);
    // The edit stays over the revision it was made on, and the server's revision is news: saving
    // is conditional on revision 1, so it merges rather than writing "open" back.
    expect(accepted).toMatchObject({ base, unknown: null, text: mine.text });
    expect(accepted.serverMoved).toMatchObject({ revision: '2', journalId: 2 });
    expect(accepted.message!.text).toContain('nothing of theirs is overwritten');
    // Our write landed, then a colleague changed another field: the server holds the edit whole,
    // and the tab takes the server's document (with the colleague's field), nothing left to save.
    const both = snap(3, '3', { ...baseDoc, priority: 5, status: 'closed' });
    const landed = outcomeAccepted(t, both);
    expect(landed).toMatchObject({ base: both, text: both.text, serverMoved: null });
    expect(isDirty(landed)).toBe(false);
    expect(landed.message!.text).toContain('holds your edit');
    // The server still holds what the edit started from: it becomes the base, the edit a draft.
    const unchanged = snap(4, '1', baseDoc);
    const notLanded = outcomeAccepted(t, unchanged);
    expect(notLanded).toMatchObject({ base: unchanged, text: mine.text, serverMoved: null });
    expect(isDirty(notLanded)).toBe(true);
    expect(notLanded.message!.text).toContain('kept as an unsaved edit');
    expect(outcomeDismissed(t).unknown).toBeNull();
  });
});

describe('editing session: accepting an unknown outcome while merging', () => {
  it('a merge already against Server now stays, with no "server changed" news about that revision', () => {
    const t = saveStarted(edited({ ...baseDoc, priority: 5 }));
    const theirs = snap(2, '2', { ...baseDoc, priority: 9 });
    const merging = saveAnswered(t, conflict(theirs), sent(t));
    // The merge's save was cut off (the host stopped); reopened, its outcome is pending.
    const pending = { ...merging, unknown: unknownFromSave(theirs) };
    const accepted = outcomeAccepted(pending, theirs);
    expect(accepted.unknown).toBeNull();
    expect(accepted.merge).not.toBeNull();
    expect(accepted.serverMoved).toBeNull();
  });
});

describe('editing session: the server moves during a merge', () => {
  it('ignores the revision the merge is against, and redoes the merge on a later one keeping decisions', () => {
    const t = saveStarted(edited({ ...baseDoc, priority: 5 }));
    const merging = saveAnswered(t, conflict(snap(2, '2', { ...baseDoc, priority: 9 })), sent(t));
    expect(
      serverMoved(merging, { revision: '2', journalId: 2, changedPaths: [] }).serverMoved,
    ).toBeNull();
    const decided = chooseAllRemaining(merging.merge!, 'mine');
    if (!decided.ok) throw new Error(decided.error);
    const moved = serverMoved(
      { ...merging, merge: decided.session },
      { revision: '3', journalId: 3, changedPaths: ['/status'] },
    );
    expect(moved.serverMoved).toMatchObject({ journalId: 3 });
    const redone = mergeRedone(moved, snap(3, '3', { ...baseDoc, priority: 9, status: 'closed' }));
    expect(redone.serverMoved).toBeNull();
    expect(redone.merge!.theirs.revision).toBe('3');
    expect(unresolved(redone.merge!)).toEqual([]);
    expect(JSON.parse(resultText(redone.merge!))).toMatchObject({ priority: 5, status: 'closed' });
  });
});

describe('editing session: a merge that settles on what the server holds', () => {
  it('needs no write: the tab takes Server now (nothing is sent), and says so', () => {
    const t = saveStarted(edited({ ...baseDoc, priority: 5 }));
    const theirs = snap(2, '2', { ...baseDoc, priority: 9 });
    const merging = saveAnswered(t, conflict(theirs), sent(t));
    expect(mergeNeedsNoWrite(merging)).toBe(false);
    const decided = chooseAllRemaining(merging.merge!, 'theirs');
    if (!decided.ok) throw new Error(decided.error);
    const onServer = { ...merging, merge: decided.session };
    expect(mergeNeedsNoWrite(onServer)).toBe(true);
    const settled = mergeMatchedServer(onServer);
    expect(settled).toMatchObject({ base: theirs, text: theirs.text, merge: null, view: 'edit' });
    expect(isDirty(settled)).toBe(false);
    expect(settled.message!.text).toContain('Nothing to write');
    expect(settled.message!.text).toContain('revision 2');
  });
});

describe('outcome words', () => {
  it('names paths plainly', () => {
    expect(pathWords('/customer/tier')).toBe('customer › tier');
    expect(pathWords('/tags/0')).toBe('tags › item 1');
    expect(pathWords('/a~1b')).toBe('a/b');
    expect(pathWords('')).toBe('the whole document');
    expect(missingWords({ path: '/note', wanted: null, found: '"x"' })).toBe(
      'note: you wrote nothing (the field is absent), the server holds "x"',
    );
  });
});
