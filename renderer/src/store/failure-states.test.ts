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
    await useDesk.getState().restoreRevision(key, snap(0, '0', '{ "priority": 0 }'), null);
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
      'Your draft could not be kept: The draft is too large. The app keeps trying; keep this tab open until the draft is kept.',
    );
    expect(tab().text).toBe('{ "priority": 8 }');
  });
});

describe('draft writes of one tab', () => {
  it('go one at a time, each naming the draft the one before kept; a failed one keeps that name', async () => {
    vi.useFakeTimers();
    let inFlight = 0;
    let most = 0;
    let calls = 0;
    let lastKept: string | null = null;
    const mismatched: string[] = [];
    answers.set('listDrafts', async () => ({ kind: 'ok', drafts: [] }));
    answers.set('saveDraft', async (args) => {
      const expected = (args as { expected?: string | null }).expected;
      if (expected !== lastKept) mismatched.push(`${expected} sent, ${lastKept} kept`);
      most = Math.max(most, ++inFlight);
      const call = ++calls;
      // A large draft takes longer than the typing's pause before the next write.
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      inFlight--;
      if (call === 2) return Promise.reject(new TypeError('Failed to fetch'));
      lastKept = `2026-11-30T02:00:0${call}.000Z`;
      return { kind: 'ok', updatedAt: lastKept };
    });
    useDesk.getState().setText(key, '{ "priority": 8 }');
    await vi.advanceTimersByTimeAsync(500);
    useDesk.getState().setText(key, '{ "priority": 9 }');
    await vi.advanceTimersByTimeAsync(500);
    useDesk.getState().setText(key, '{ "priority": 10 }');
    await vi.advanceTimersByTimeAsync(30_000);
    expect(calls).toBeGreaterThanOrEqual(3);
    expect(most).toBe(1);
    // Each write named the draft the backend held from this tab, a failed one in between too.
    expect(mismatched).toEqual([]);
    expect(tab().draftVersion).toBe(lastKept);
    expect(tab().draftError).toBeNull();
  });
});

describe('discarding a draft while its write is under way', () => {
  it('waits for that write, so the draft it kept is the one dropped (none is left, none refused)', async () => {
    vi.useFakeTimers();
    // The backend's rule: a write or discard naming another draft than the one kept does nothing.
    let stored: { text: string; updatedAt: string } | null = null;
    let n = 0;
    const names = (expected: string | null | undefined) =>
      expected === undefined || stored === null || stored.updatedAt === expected;
    answers.set('listDrafts', async () => ({ kind: 'ok', drafts: [] }));
    answers.set('saveDraft', async (args) => {
      const { text, expected } = args as { text: string; expected?: string | null };
      const refused = !names(expected);
      if (!refused) stored = { text, updatedAt: `2026-11-30T03:00:0${++n}.000Z` };
      const updatedAt = stored?.updatedAt;
      // Written on arrival, answered late (a large draft).
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      return refused
        ? {
            kind: 'error',
            reason: 'draft-conflict',
            message: 'Another window keeps a newer draft.',
          }
        : { kind: 'ok', updatedAt };
    });
    answers.set('discardDraft', async (args) => {
      if (names((args as { expected?: string | null }).expected)) stored = null;
      return { kind: 'ok' };
    });
    answers.set('openResource', async () => ({
      kind: 'ok',
      snapshot: base,
      draft: stored,
      pending: [],
    }));
    useDesk.getState().setText(key, '{ "priority": 8 }');
    await vi.advanceTimersByTimeAsync(500);
    // The write is at the backend, its answer not back: the operator discards the draft.
    const discarded = useDesk.getState().discardDraft(key);
    await vi.advanceTimersByTimeAsync(5_000);
    await discarded;
    expect(stored).toBeNull();
    expect(tab().text).toBe(base.text);
    // The tab's next edit is kept, not refused as another window's.
    useDesk.getState().setText(key, '{ "priority": 9 }');
    await vi.advanceTimersByTimeAsync(5_000);
    expect(tab().draftError).toBeNull();
    expect(stored).toMatchObject({ text: '{ "priority": 9 }' });
  });
});

describe('discarding a draft when another window keeps a newer one', () => {
  it('says the other window’s draft is left as it is', async () => {
    answers.set('discardDraft', async () => ({ kind: 'ok', keptNewer: true }));
    answers.set('listDrafts', async () => ({ kind: 'ok', drafts: [] }));
    answers.set('openResource', async () => ({
      kind: 'ok',
      snapshot: base,
      draft: null,
      pending: [],
    }));
    await useDesk.getState().discardDraft(key);
    expect(tab().text).toBe(base.text);
    expect(tab().message).toEqual({
      tone: 'info',
      text: 'Your draft is discarded. Another window keeps a newer draft of this resource; it is left as it is.',
    });
  });
});

describe('the draft written as the page goes', () => {
  it('leaves at once, beside a draft write under way, as the same writer', async () => {
    vi.useFakeTimers();
    const sent: Array<{ text: string; writer?: string }> = [];
    answers.set('listDrafts', async () => ({ kind: 'ok', drafts: [] }));
    answers.set('saveDraft', async (args) => {
      sent.push(args as { text: string; writer?: string });
      // A large draft: the page may be gone long before it is answered.
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      return { kind: 'ok', updatedAt: `2026-11-30T02:00:0${sent.length}.000Z` };
    });
    useDesk.getState().setText(key, '{ "priority": 8 }');
    await vi.advanceTimersByTimeAsync(500);
    expect(sent.map((s) => s.text)).toEqual(['{ "priority": 8 }']);
    useDesk.getState().setText(key, '{ "priority": 9 }');
    useDesk.getState().keepEverything();
    await vi.advanceTimersByTimeAsync(0);
    // Not after the first is answered: the page would be gone.
    expect(sent.map((s) => s.text)).toEqual(['{ "priority": 8 }', '{ "priority": 9 }']);
    expect(sent[0]!.writer).toBeTruthy();
    expect(sent[1]!.writer).toBe(sent[0]!.writer);
    await vi.advanceTimersByTimeAsync(5_000);
  });
});

describe('reopening a tab', () => {
  it('waits for the draft write under way before the tab opens again', async () => {
    vi.useFakeTimers();
    const order: string[] = [];
    answers.set('listDrafts', async () => ({ kind: 'ok', drafts: [] }));
    answers.set('saveDraft', async () => {
      order.push('draft sent');
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      order.push('draft kept');
      return { kind: 'ok', updatedAt: '2026-11-30T02:00:01.000Z' };
    });
    answers.set('openResource', async () => {
      order.push('opened again');
      return { kind: 'error', reason: 'network', message: 'not needed here' };
    });
    // An earlier draft was kept; the newest text's write is under way when the tab is reopened.
    useDesk.setState({
      tabs: [
        {
          ...tab(),
          draftSavedAt: '2026-11-30T01:00:00.000Z',
          draftVersion: '2026-11-30T01:00:00.000Z',
        },
      ],
    });
    useDesk.getState().setText(key, '{ "priority": 8 }');
    await vi.advanceTimersByTimeAsync(500);
    const reopening = useDesk.getState().reopenTab(key);
    for (let i = 0; i < 20 && !order.includes('opened again'); i++)
      await vi.advanceTimersByTimeAsync(1_000);
    expect(order).toEqual(['draft sent', 'draft kept', 'opened again']);
    await vi.advanceTimersByTimeAsync(1_000);
    await reopening;
  });
});

describe('a draft write that fails', () => {
  const kept: string[] = [];
  const keepsDrafts: Answer = async (args) => {
    kept.push((args as { text: string }).text);
    return { kind: 'ok', updatedAt: '2026-11-30T02:00:00.000Z' };
  };
  const listsDrafts: Answer = async () => ({ kind: 'ok', drafts: [] });
  beforeEach(() => {
    kept.length = 0;
    vi.useFakeTimers();
    // A draft kept earlier: its time must not stand for a later text that was not kept.
    useDesk.setState({ tabs: [{ ...tab(), draftSavedAt: '2026-11-30T01:00:00.000Z' }] });
  });

  it('is tried again without another key press, and its message ends when the draft is kept', async () => {
    useDesk.getState().setText(key, '{ "priority": 9 }');
    await vi.advanceTimersByTimeAsync(500);
    expect(tab().draftError).toBe('Failed to fetch');
    expect(tab().draftSavedAt).toBeNull();
    expect(tab().message?.text).toContain('Your draft could not be kept: Failed to fetch.');
    // The host is back; nobody types.
    answers.set('saveDraft', keepsDrafts);
    answers.set('listDrafts', listsDrafts);
    await vi.advanceTimersByTimeAsync(2_500);
    expect(kept).toEqual(['{ "priority": 9 }']);
    expect(tab().draftError).toBeNull();
    expect(tab().draftSavedAt).toBe('2026-11-30T02:00:00.000Z');
    expect(tab().message).toBeNull();
  });

  it('waits longer after each failure, and a save sends the waiting retry at once', async () => {
    let tries = 0;
    answers.set('saveDraft', () => {
      tries++;
      return Promise.reject(new TypeError('Failed to fetch'));
    });
    useDesk.getState().setText(key, '{ "priority": 9 }');
    await vi.advanceTimersByTimeAsync(500);
    expect(tries).toBe(1);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(tries).toBe(2);
    await vi.advanceTimersByTimeAsync(4_000);
    expect(tries).toBe(2);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(tries).toBe(3);
    answers.set('saveDraft', keepsDrafts);
    answers.set('listDrafts', listsDrafts);
    answers.set('saveResource', async () => ({
      kind: 'error',
      reason: 'network',
      message: 'The server could not be reached.',
    }));
    await useDesk.getState().save(key);
    expect(kept).toEqual(['{ "priority": 9 }']);
  });

  it('keeps a message the operator has not seen yet that is not the draft’s', async () => {
    useDesk.getState().setText(key, '{ "priority": 9 }');
    await vi.advanceTimersByTimeAsync(500);
    useDesk.setState({
      tabs: [{ ...tab(), message: { tone: 'error', text: 'The server refused the write.' } }],
    });
    answers.set('saveDraft', keepsDrafts);
    answers.set('listDrafts', listsDrafts);
    await vi.advanceTimersByTimeAsync(2_500);
    expect(tab().draftError).toBeNull();
    expect(tab().message?.text).toBe('The server refused the write.');
  });

  it('closed by "Close and lose the edit", the tab does not say the edit is kept', async () => {
    useDesk.getState().setText(key, '{ "priority": 9 }');
    await vi.advanceTimersByTimeAsync(500);
    const losing = useDesk.getState().closeTab(key);
    await vi.waitFor(() => expect(useDesk.getState().question).not.toBeNull());
    useDesk.getState().answer(true);
    await expect(losing).resolves.toBe(true);
    expect(useDesk.getState().tabs).toHaveLength(0);
    expect(
      useDesk
        .getState()
        .toasts.map((t) => t.text)
        .join(' '),
    ).not.toContain('kept as a draft');
  });

  it('makes closing the tab ask before the edit is lost', async () => {
    useDesk.getState().setText(key, '{ "priority": 9 }');
    await vi.advanceTimersByTimeAsync(500);
    const closing = useDesk.getState().closeTab(key);
    await vi.waitFor(() => expect(useDesk.getState().question).not.toBeNull());
    expect(useDesk.getState().question?.title).toBe('Close “Task 1” and lose your edit?');
    expect(useDesk.getState().question?.body).toContain(
      'Your edit could not be kept as a draft: Failed to fetch. Closing the tab loses it;',
    );
    useDesk.getState().answer(false);
    await expect(closing).resolves.toBe(false);
    expect(tab().text).toBe('{ "priority": 9 }');
    // Once the draft is kept, the tab closes without that question.
    answers.set('saveDraft', keepsDrafts);
    answers.set('listDrafts', listsDrafts);
    await expect(useDesk.getState().closeTab(key)).resolves.toBe(true);
    expect(kept).toEqual(['{ "priority": 9 }']);
    expect(useDesk.getState().question).toBeNull();
  });
});

describe('closing a tab with unsaved work', () => {
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

describe('an unknown outcome settled in another window', () => {
  const settledElsewhere = async () => ({
    kind: 'error',
    reason: 'not-found',
    message: 'No pending outcome 9; it may be settled already.',
  });
  const withUnknown = () =>
    useDesk.setState({
      tabs: [
        {
          ...tab(),
          unknown: {
            auditId: 9,
            cause: 'lost-answer',
            serverHolds: 'your-edit',
            serverNow: null,
            serverRevision: '2',
            changedPaths: ['/priority'],
            checkedAt: null,
            checking: false,
          },
        },
      ],
    });

  it('Dismiss closes the banner rather than leaving it up with "no pending outcome"', async () => {
    withUnknown();
    answers.set('settleOutcome', settledElsewhere);
    answers.set('pendingOutcomes', async () => ({ kind: 'ok', pending: [] }));
    await useDesk.getState().dismissOutcome(key);
    expect(tab().unknown).toBeNull();
    expect(tab().text).toBe(MINE);
  });

  it('Check again says it was settled, rather than leaving the banner up', async () => {
    withUnknown();
    answers.set('checkOutcome', settledElsewhere);
    await useDesk.getState().checkOutcome(key);
    expect(tab().unknown).toBeNull();
    expect(tab().message?.text).toContain('settled already');
    expect(tab().text).toBe(MINE);
  });

  it('Accept reads what the server holds and takes it, rather than leaving the banner up', async () => {
    withUnknown();
    const now = snap(2, '2', MINE);
    answers.set('checkOutcome', settledElsewhere);
    answers.set('settleOutcome', settledElsewhere);
    answers.set('refreshResource', async () => ({ kind: 'ok', snapshot: now, changed: true }));
    answers.set('pendingOutcomes', async () => ({ kind: 'ok', pending: [] }));
    await useDesk.getState().acceptServerOutcome(key);
    expect(tab().unknown).toBeNull();
    expect(tab().base).toEqual(now);
    expect(tab().text).toBe(MINE);
  });
});

describe('closing a tab while its draft write is under way', () => {
  it('waits for that write; when it fails, asks before the edit is lost rather than saying it is kept', async () => {
    vi.useFakeTimers();
    const NEWEST = '{ "priority": 9 }';
    answers.set('listDrafts', async () => ({ kind: 'ok', drafts: [] }));
    answers.set('saveDraft', async () => {
      // A large draft: answered late, and then refused (the disk is full).
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      return { kind: 'error', reason: 'internal', message: 'The disk is full.' };
    });
    // An earlier text was kept as a draft; the newest text's write is under way when the tab closes.
    useDesk.setState({
      tabs: [
        {
          ...tab(),
          draftSavedAt: '2026-11-30T01:00:00.000Z',
          draftVersion: '2026-11-30T01:00:00.000Z',
        },
      ],
    });
    useDesk.getState().setText(key, NEWEST);
    await vi.advanceTimersByTimeAsync(500);
    const closing = useDesk.getState().closeTab(key);
    for (let i = 0; i < 10 && useDesk.getState().question === null; i++)
      await vi.advanceTimersByTimeAsync(1_000);
    expect(useDesk.getState().question?.title).toBe('Close “Task 1” and lose your edit?');
    useDesk.getState().answer(false);
    await expect(closing).resolves.toBe(false);
    expect(tab().text).toBe(NEWEST);
    expect(
      useDesk
        .getState()
        .toasts.map((t) => t.text)
        .join(' '),
    ).not.toContain('kept as a draft');
  });
});
