// The host marks a write in flight (its unknown outcome after a crash) as soon as a save reaches it,
// while a merge's decisions live only in the tab's draft: a save sent beside the draft write can be
// recorded with the draft still unwritten, and a host killed then brings the merge back without
// the decisions. The save goes once the draft write holding them has answered.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RendererApi } from '../../../shared/api/contract';
import { snapshotFixture } from '../session/snapshot.fixture';

const calls: string[] = [];
const draftAnswers: Array<(value: unknown) => void> = [];
const bridge = new Proxy({} as RendererApi, {
  get: (_target, name: string) =>
    name === 'onEvent'
      ? () => () => undefined
      : name === 'saveDraft'
        ? () => {
            calls.push('saveDraft');
            return new Promise((resolve) => draftAnswers.push(resolve));
          }
        : name === 'saveResource'
          ? () => {
              calls.push('saveResource');
              // Held at the server (the host is killed meanwhile).
              return new Promise(() => undefined);
            }
          : () => Promise.reject(new Error(`not scripted: ${name}`)),
});
(globalThis as { window?: unknown }).window = { api: bridge };

const { useDesk } = await import('./index');
const session = await import('../session/editing-session');
const { createMergeSession, choose } = await import('../merge/merge-session');

const ref = { connectionId: 'c', id: 'r' };
const snap = (journalId: number, doc: unknown) =>
  snapshotFixture(ref, journalId, String(journalId), JSON.stringify(doc, null, 2));
const MINE = JSON.stringify({ a: 3 }, null, 2);
const key = session.tabKey(ref);

beforeEach(() => {
  vi.useFakeTimers();
  const opened = session.typed(
    session.opened({
      ref,
      title: 'R',
      connectionName: 'Sandbox',
      snapshot: snap(1, { a: 1 }),
      draftBase: null,
      draft: null,
      merge: null,
      pending: [],
    }),
    MINE,
  );
  const merge = createMergeSession({
    status: 412,
    base: snap(1, { a: 1 }),
    theirs: snap(2, { a: 2 }),
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

describe('saving a merge right after a decision', () => {
  it('sends the save only once the draft holding the decision is kept', async () => {
    useDesk.getState().updateMerge(key, (s) => {
      const next = choose(s, '/a', 'mine');
      if (!next.ok) throw new Error(next.error);
      return next.session;
    });
    // Saved before the draft's timer fires (the save itself is never answered).
    useDesk
      .getState()
      .saveMerge(key)
      .catch(() => undefined);
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toEqual(['saveDraft']);
    draftAnswers[0]!({ kind: 'ok', updatedAt: '2026-11-30T02:00:01.000Z' });
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toEqual(['saveDraft', 'saveResource']);
  });
});
