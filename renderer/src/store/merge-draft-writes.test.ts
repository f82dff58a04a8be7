// A merge in progress is kept with the tab's draft, which carries the whole document: moving the
// focus between conflicts keeps nothing new, so it must not send the draft again (a 5 MB text went
// out on every F7), while a decision must. The host is the preload's bridge (window.api), scripted.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RendererApi } from '../../../shared/api/contract';
import { snapshotFixture } from '../session/snapshot.fixture';

const drafts: Array<{ text: string; merge: unknown }> = [];
const bridge = new Proxy({} as RendererApi, {
  get: (_target, name: string) =>
    name === 'onEvent'
      ? () => () => undefined
      : name === 'saveDraft'
        ? (args: { text: string; merge: unknown }) => {
            drafts.push(args);
            return Promise.resolve({ kind: 'ok', updatedAt: '2026-01-01T00:00:01Z' });
          }
        : () => Promise.reject(new Error(`not scripted: ${name}`)),
});
(globalThis as { window?: unknown }).window = { api: bridge };

const { useDesk } = await import('./index');
const session = await import('../session/editing-session');
const { createMergeSession, moveFocus, choose } = await import('../merge/merge-session');

const ref = { connectionId: 'c', id: 'r' };
const snap = (journalId: number, doc: unknown) =>
  snapshotFixture(ref, journalId, String(journalId), JSON.stringify(doc, null, 2));
const MINE = JSON.stringify({ a: 3, b: 3 }, null, 2);
const key = session.tabKey(ref);

beforeEach(() => {
  vi.useFakeTimers();
  drafts.length = 0;
  const opened = session.typed(
    session.opened({
      ref,
      title: 'R',
      connectionName: 'Sandbox',
      snapshot: snap(1, { a: 1, b: 1 }),
      draftBase: null,
      draft: null,
      merge: null,
      pending: [],
    }),
    MINE,
  );
  const merge = createMergeSession({
    status: 412,
    base: snap(1, { a: 1, b: 1 }),
    theirs: snap(2, { a: 2, b: 2 }),
    mine: MINE,
    mergeOptions: {},
    afterLostAnswer: false,
  });
  useDesk.setState({
    activeConnectionId: 'c',
    tabs: [{ ...opened, view: 'merge', merge }],
    activeTabKey: key,
  });
});
afterEach(() => {
  vi.useRealTimers();
});

const settle = () => vi.advanceTimersByTimeAsync(5_000);

describe('the draft of a merge in progress', () => {
  it('is not written again when only the focus moves', async () => {
    const { updateMerge } = useDesk.getState();
    updateMerge(key, (s) => moveFocus(s, 1));
    updateMerge(key, (s) => moveFocus(s, 1));
    updateMerge(key, (s) => moveFocus(s, -1));
    await settle();
    expect(drafts).toEqual([]);
    const tab = useDesk.getState().tabs.find((t) => t.key === key)!;
    expect(tab.merge!.focus).toBe(1);
  });

  it('is written once a decision is made, with that decision', async () => {
    const { updateMerge } = useDesk.getState();
    updateMerge(key, (s) => moveFocus(s, 1));
    updateMerge(key, (s) => {
      const next = choose(s, '/a', 'theirs');
      if (!next.ok) throw new Error(next.error);
      return next.session;
    });
    await settle();
    expect(drafts).toHaveLength(1);
    expect(drafts[0]!.text).toBe(MINE);
    expect(JSON.parse(drafts[0]!.merge as string)).toMatchObject({ choices: { '/a': 'theirs' } });
  });
});
