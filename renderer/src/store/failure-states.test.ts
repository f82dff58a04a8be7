// The store's failure states, with the host answering through the same bridge Electron's preload
// gives (window.api): a call that rejects (the host stopped, the network gone) or answers an error.
// Each test says what the operator is shown, that loading states end, and that no edit is lost.
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Snapshot } from '../../../shared/api/types';
import type { RendererApi } from '../../../shared/api/contract';
import { snapshotFixture } from '../session/snapshot.fixture';

type Answer = (args: unknown) => Promise<unknown>;
const answers = new Map<string, Answer>();
const hostStopped: Answer = () => Promise.reject(new TypeError('Failed to fetch'));
/** Every method the test did not script rejects, as when the host has stopped. */
const bridge = new Proxy({} as RendererApi, {
  get: (_target, name: string) =>
    name === 'onEvent'
      ? () => () => undefined
      : (args: unknown) => (answers.get(name) ?? hostStopped)(args),
});
(globalThis as { window?: unknown }).window = { api: bridge };

const { useDesk } = await import('./index');
const { inBackground } = await import('./background');
const session = await import('../session/editing-session');
const team = await import('../team/team-state');

const ref = { connectionId: 'c', id: 'task-1' };
const snap = (journalId: number, revision: string, text: string): Snapshot =>
  snapshotFixture(ref, journalId, revision, text);
const base = snap(1, '1', '{ "priority": 1 }');
const MINE = '{ "priority": 7 }';
const key = session.tabKey(ref);
const tab = () => useDesk.getState().tabs.find((t) => t.key === key)!;
const failures = () =>
  useDesk
    .getState()
    .toasts.filter((t) => t.sticky)
    .map((t) => t.text);

beforeAll(() => {
  useDesk.setState({ activeConnectionId: 'c' });
});
beforeEach(() => {
  answers.clear();
  const opened = session.opened({
    ref,
    title: 'Task 1',
    connectionName: 'Sandbox',
    snapshot: base,
    draftBase: null,
    draft: null,
    merge: null,
    pending: [],
  });
  useDesk.setState({
    tabs: [session.typed(opened, MINE)],
    activeTabKey: key,
    toasts: [],
    batch: null,
    batchError: null,
  });
  team.useTeam.setState({
    status: null,
    statusError: null,
    presence: {},
    presenceError: null,
    connectionId: null,
  });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('a call nobody awaits', () => {
  it('reports its failure as a message that stays until dismissed', async () => {
    inBackground(Promise.reject(new TypeError('Failed to fetch')), 'load the list');
    await vi.waitFor(() =>
      expect(failures()).toEqual(['Could not load the list: Failed to fetch']),
    );
    const id = useDesk.getState().toasts[0]!.id;
    useDesk.getState().dismissToast(id);
    expect(useDesk.getState().toasts).toEqual([]);
  });
});

describe('lists that cannot be refreshed say so', () => {
  it('the unknown outcomes: a message that stays, and the list as it was', async () => {
    const known = [{ auditId: 3 }] as never;
    useDesk.setState({ pending: known });
    inBackground(useDesk.getState().loadPending(), 'list the unknown outcomes');
    await vi.waitFor(() =>
      expect(failures()).toContain('Could not list the unknown outcomes: Failed to fetch'),
    );
    expect(useDesk.getState().pending).toBe(known);
  });

  it('the draft markers of a list that loaded', async () => {
    answers.set('listResources', async () => ({
      kind: 'ok',
      items: [],
      nextPageToken: null,
      total: 0,
    }));
    await useDesk.getState().loadFirstPage();
    expect(useDesk.getState().listError).toBe(null);
    expect(failures()).toContain('Could not mark the resources with drafts: Failed to fetch');
  });

  it('one message when the host is gone: the list says it, not the markers as well', async () => {
    await useDesk.getState().loadFirstPage();
    expect(useDesk.getState().listError).toBe('Failed to fetch');
    expect(failures()).toEqual([]);
  });
});

describe('a tab whose call fails says so on its own message bar, and keeps the edit', () => {
  it('taking the server’s version when its revision cannot be read', async () => {
    useDesk.setState({
      tabs: [
        { ...tab(), serverMoved: { revision: '2', journalId: 2, changedPaths: ['/priority'] } },
      ],
    });
    await useDesk.getState().takeServerVersion(key);
    expect(tab().message).toMatchObject({
      tone: 'error',
      text: expect.stringContaining('not loaded: Failed to fetch'),
    });
    expect(tab().text).toBe(MINE);
    answers.set('revision', async () => ({
      kind: 'error',
      reason: 'not-found',
      message: 'No such revision.',
    }));
    await useDesk.getState().takeServerVersion(key);
    expect(tab().message?.text).toContain('No such revision.');
    expect(tab().text).toBe(MINE);
  });

  it('discarding a draft when the host cannot be reached', async () => {
    await useDesk.getState().discardDraft(key);
    expect(tab().message).toMatchObject({
      tone: 'error',
      text: expect.stringContaining('Your draft was not discarded'),
    });
    expect(tab().text).toBe(MINE);
  });

  it('restoring a revision when the host cannot be reached', async () => {
    await useDesk.getState().restoreRevision(key, snap(0, '0', '{ "priority": 0 }'));
    expect(tab().message?.text).toContain('The revision was not restored');
    expect(tab().text).toBe(MINE);
  });

  it('dismissing an unknown outcome when the host cannot be reached', async () => {
    useDesk.setState({ tabs: [{ ...tab(), unknown: { auditId: 5 } as never }] });
    await useDesk.getState().dismissOutcome(key);
    expect(tab().message?.text).toContain('Nothing was dismissed: Failed to fetch');
    expect(tab().unknown).not.toBeNull();
  });

  it('keeping a draft the backend refuses', async () => {
    vi.useFakeTimers();
    answers.set('saveDraft', async () => ({
      kind: 'error',
      reason: 'invalid-input',
      message: 'The draft is too large.',
    }));
    useDesk.getState().setText(key, '{ "priority": 8 }');
    await vi.advanceTimersByTimeAsync(1000);
    expect(tab().message?.text).toBe(
      'Your draft could not be kept: The draft is too large. Keep this tab open.',
    );
    expect(tab().text).toBe('{ "priority": 8 }');
  });
});

describe('closing a tab with unsaved work', () => {
  it('stays open, saying so, when its draft cannot be written; the edit is kept', async () => {
    await expect(useDesk.getState().closeTab(key)).resolves.toBe(false);
    expect(tab().message?.text).toContain('Your draft could not be kept');
    expect(tab().text).toBe(MINE);
  });

  it('closes once the draft is written, and says where the edit went', async () => {
    answers.set('saveDraft', async () => ({ kind: 'ok', updatedAt: '2026-01-01T00:00:00Z' }));
    answers.set('listDrafts', async () => ({ kind: 'ok', drafts: [] }));
    await expect(useDesk.getState().closeTab(key)).resolves.toBe(true);
    expect(useDesk.getState().tabs).toHaveLength(0);
    expect(useDesk.getState().toasts.map((t) => t.text)).toContain(
      '“Task 1” closed. Your unsaved edit is kept as a draft: open it again from the list to go on.',
    );
  });

  it('of a removed connection closes without waiting for a draft write', async () => {
    answers.set('removeConnection', async () => ({ kind: 'ok' }));
    answers.set('listProfiles', async () => []);
    answers.set('listConnections', async () => []);
    await expect(useDesk.getState().removeConnection('c')).resolves.toBeNull();
    expect(useDesk.getState().tabs).toHaveLength(0);
  });
});

describe('other slices', () => {
  it('a removed connection the host never heard of is an answer, not an exception', async () => {
    await expect(useDesk.getState().removeConnection('c')).resolves.toBe(
      'The connection was not removed: Failed to fetch',
    );
  });

  it('a batch report that cannot be made says so on the batch screen', async () => {
    useDesk.setState({ batch: { batchId: 'b1' } as never });
    await expect(useDesk.getState().batchReportText('csv')).resolves.toBeNull();
    expect(useDesk.getState().batchError).toBe('The batch could not be reached: Failed to fetch');
  });
});

describe('the team store’s state', () => {
  it('keeps a failed status read as statusError (never thrown), cleared by the next good read', async () => {
    await expect(team.loadTeamStatus()).resolves.toBeUndefined();
    expect(team.useTeam.getState().statusError).toBe(
      "The team store's state could not be read: Failed to fetch",
    );
    answers.set('teamStatus', async () => ({ configured: false }));
    await team.loadTeamStatus();
    expect(team.useTeam.getState().statusError).toBeNull();
  });

  it('empties presence it cannot read (never shows it stale) and says why', async () => {
    team.useTeam.setState({
      status: { configured: true } as never,
      presence: { 'task-1': [{ operator: 'alice' } as never] },
    });
    await team.loadPresence('c');
    expect(team.useTeam.getState().presence).toEqual({});
    expect(team.useTeam.getState().presenceError).toBe(
      'Who has what open could not be read: Failed to fetch',
    );
  });
});

describe('opening a tab', () => {
  it('says when the merge kept with its draft cannot be restored, and keeps the edit', async () => {
    useDesk.setState({ tabs: [], activeTabKey: null, connections: [] });
    const merge = JSON.stringify({
      v: 1,
      status: 412,
      baseJournalId: 1,
      theirsJournalId: 2,
      mineText: MINE,
      choices: {},
      reverted: [],
      manualText: null,
      setAside: null,
      onlyOtherFieldsChanged: false,
    });
    answers.set('openResource', async () => ({
      kind: 'ok',
      snapshot: base,
      draft: {
        text: MINE,
        baseRevision: '1',
        baseJournalId: 1,
        merge,
        updatedAt: '2026-01-01T00:00:01Z',
      },
      pending: [],
    }));
    answers.set('watch', async () => ({ kind: 'ok', watchId: 'w1' }));
    // Both revisions of the merge are unreadable: the host went away mid-open.
    await useDesk.getState().openTab(ref, 'Task 1');
    expect(tab().text).toBe(MINE);
    expect(tab().merge).toBeNull();
    expect(tab().message).toMatchObject({
      tone: 'error',
      text: expect.stringContaining(
        'Your merge in progress could not be restored (Failed to fetch)',
      ),
    });
  });
});

describe('watching a tab', () => {
  it('a base the backend no longer knows is watched from now on, not left unwatched', async () => {
    useDesk.setState({ tabs: [], activeTabKey: null, connections: [] });
    answers.set('openResource', async () => ({
      kind: 'ok',
      snapshot: base,
      draft: null,
      pending: [],
    }));
    const asked: unknown[] = [];
    answers.set('watch', async (args) => {
      asked.push(args);
      return (args as { sinceJournalId?: number }).sinceJournalId === undefined
        ? { kind: 'ok', watchId: 'w1' }
        : { kind: 'error', reason: 'invalid-input', message: 'Journal entry 1 is not a revision' };
    });
    await useDesk.getState().openTab(ref, 'Task 1');
    expect(asked).toEqual([
      { ref, intervalMs: 3000, sinceJournalId: 1 },
      { ref, intervalMs: 3000 },
    ]);
    expect(tab().watchId).toBe('w1');
    expect(tab().message).toBeNull();
  });
});
