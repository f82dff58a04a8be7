// *Restore revision N* from the history: the edit it makes is based on the revision the operator
// confirmed it against (the latest the history listed), so saving it is conditional on that
// revision; a server that moved on since is news to merge, never silently written over.
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../../shared/api/types';
import { snapshotFixture } from '../session/snapshot.fixture';
import { answers, calls } from './scripted-bridge.fixture';

const { useDesk } = await import('./index');
const session = await import('../session/editing-session');

const ref = { connectionId: 'c', id: 'task-1' };
const snap = (journalId: number, revision: string, text: string): Snapshot =>
  snapshotFixture(ref, journalId, revision, text);
const key = session.tabKey(ref);
const tab = () => useDesk.getState().tabs.find((t) => t.key === key)!;

// Revision 1: priority 1. Revision 2 (the latest the history listed): priority 2.
// Revision 3 (someone else's, after the history was listed): priority 2, owner "bob".
const r1 = snap(1, '1', '{ "priority": 1 }');
const r2 = snap(2, '2', '{ "priority": 2 }');
const r3 = snap(3, '3', '{ "priority": 2, "owner": "bob" }');

beforeAll(() => {
  useDesk.setState({ activeConnectionId: 'c' });
});
beforeEach(() => {
  answers.clear();
  calls.length = 0;
  const opened = session.opened({
    ref,
    title: 'Task 1',
    connectionName: 'Sandbox',
    snapshot: r2,
    draftBase: null,
    draft: null,
    merge: null,
    pending: [],
  });
  useDesk.setState({ tabs: [opened], activeTabKey: key, toasts: [] });
});

describe('restoring a revision from the history', () => {
  it('is based on the latest revision the operator saw, not on one the server moved to since', async () => {
    answers.set('refreshResource', async () => ({ kind: 'ok', snapshot: r3, changed: true }));
    await useDesk.getState().restoreRevision(key, r1, r2);
    // The operator confirmed "undoes priority 2 → 1" against revision 2: the save is conditional
    // on revision 2, so bob's owner (revision 3) comes back as a conflict to merge, not erased.
    expect(tab().text).toBe(r1.text);
    expect(tab().base.journalId).toBe(2);
    expect(tab().serverMoved).toMatchObject({ journalId: 3, revision: '3' });
    expect(tab().message?.text).toContain('revision 3');

    answers.set('saveResource', async () => ({ kind: 'error', reason: 'http', message: 'x' }));
    await useDesk.getState().save(key);
    expect(calls.find((c) => c.name === 'saveResource')?.args).toMatchObject({
      baseJournalId: 2,
    });
  });

  it('still holding the latest the operator saw: no news, based on it', async () => {
    answers.set('refreshResource', async () => ({ kind: 'ok', snapshot: r2, changed: false }));
    await useDesk.getState().restoreRevision(key, r1, r2);
    expect(tab().base.journalId).toBe(2);
    expect(tab().serverMoved).toBeNull();
    expect(tab().message?.text).toBe(
      'Revision 1 restored as an unsaved edit on top of revision 2. Review and save.',
    );
  });

  it('the server unreadable: based on the latest the operator saw, and says the check failed', async () => {
    // The tab is still on revision 1, the history's latest is 2.
    useDesk.setState({ tabs: [{ ...tab(), base: r1, text: r1.text }] });
    answers.set('refreshResource', async () => ({
      kind: 'error',
      reason: 'http',
      message: 'The server answered 503.',
    }));
    await useDesk.getState().restoreRevision(key, r1, r2);
    expect(tab().base.journalId).toBe(2);
    expect(tab().message?.text).toContain('The server answered 503.');
  });
});
