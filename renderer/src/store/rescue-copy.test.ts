// The copy made on pagehide (local storage) is the newest text's only safe place until the backend
// holds that text: an older draft write answering after it must not remove it.
import { describe, expect, it, vi } from 'vitest';
import type { RendererApi } from '../../../shared/api/contract';
import { snapshotFixture } from '../session/snapshot.fixture';

const saveDraftAnswers: Array<(value: unknown) => void> = [];
const sent: string[] = [];
const bridge = new Proxy({} as RendererApi, {
  get: (_target, name: string) =>
    name === 'onEvent'
      ? () => () => undefined
      : name === 'saveDraft'
        ? (args: { text: string }) => {
            sent.push(args.text);
            // Answered when the test says so (a large draft's write takes its time).
            return new Promise((resolve) => saveDraftAnswers.push(resolve));
          }
        : name === 'listDrafts'
          ? () => Promise.resolve({ kind: 'ok', drafts: [] })
          : () => Promise.reject(new Error(`not scripted: ${name}`)),
});
const local = new Map<string, string>();
const localStorage = {
  getItem: (k: string) => local.get(k) ?? null,
  setItem: (k: string, v: string) => void local.set(k, v),
  removeItem: (k: string) => void local.delete(k),
};
(globalThis as { window?: unknown }).window = { api: bridge, localStorage };

const { useDesk } = await import('./index');
const session = await import('../session/editing-session');
const { rescuedDraft } = await import('../session/keep-on-leave');

const ref = { connectionId: 'c', id: 'task-1' };
const key = session.tabKey(ref);

describe('the copy made as the page goes', () => {
  it('stays while only an older text’s draft write has answered', async () => {
    vi.useFakeTimers();
    const opened = session.opened({
      ref,
      title: 'Task 1',
      connectionName: 'Sandbox',
      snapshot: snapshotFixture(ref, 1, '1', '{ "priority": 1 }'),
      draftBase: null,
      draft: null,
      merge: null,
      pending: [],
    });
    useDesk.setState({ activeConnectionId: 'c', tabs: [opened], activeTabKey: key });
    useDesk.getState().setText(key, '{ "priority": 8 }');
    await vi.advanceTimersByTimeAsync(500);
    expect(sent).toEqual(['{ "priority": 8 }']);
    // Newer text, then the page goes: the copy is made and the newest text's write sent.
    useDesk.getState().setText(key, '{ "priority": 9 }');
    useDesk.getState().keepEverything();
    await vi.advanceTimersByTimeAsync(0);
    expect(sent).toEqual(['{ "priority": 8 }', '{ "priority": 9 }']);
    expect(rescuedDraft(localStorage, ref)?.text).toBe('{ "priority": 9 }');
    // The older write answers; the newest one has not (it may never, the page being gone).
    saveDraftAnswers[0]!({ kind: 'ok', updatedAt: '2026-11-30T02:00:01.000Z' });
    await vi.advanceTimersByTimeAsync(0);
    expect(rescuedDraft(localStorage, ref)?.text).toBe('{ "priority": 9 }');
    // Once the newest text is kept, the copy is no longer needed.
    saveDraftAnswers[1]!({ kind: 'ok', updatedAt: '2026-11-30T02:00:02.000Z' });
    await vi.advanceTimersByTimeAsync(0);
    expect(rescuedDraft(localStorage, ref)).toBeNull();
    vi.useRealTimers();
  });

  it('is made for text whose draft write is still under way when the page goes', async () => {
    vi.useFakeTimers();
    const ref2 = { connectionId: 'c', id: 'task-2' };
    const key2 = session.tabKey(ref2);
    const opened = session.opened({
      ref: ref2,
      title: 'Task 2',
      connectionName: 'Sandbox',
      snapshot: snapshotFixture(ref2, 1, '1', '{ "priority": 1 }'),
      draftBase: null,
      draft: null,
      merge: null,
      pending: [],
    });
    useDesk.setState({ tabs: [opened], activeTabKey: key2 });
    const before = sent.length;
    useDesk.getState().setText(key2, '{ "priority": 7 }');
    await vi.advanceTimersByTimeAsync(500);
    // Its write is under way, unanswered, and nothing was typed since: then the page goes. The
    // request may never arrive (a page going away cuts it off): the copy is the text's only keep.
    expect(sent.slice(before)).toEqual(['{ "priority": 7 }']);
    useDesk.getState().keepEverything();
    expect(rescuedDraft(localStorage, ref2)?.text).toBe('{ "priority": 7 }');
    // The write sent before the copy answers: the copy stays (it may be the newer of the two).
    saveDraftAnswers.at(-1)!({ kind: 'ok', updatedAt: '2026-11-30T02:00:03.000Z' });
    await vi.advanceTimersByTimeAsync(0);
    expect(rescuedDraft(localStorage, ref2)?.text).toBe('{ "priority": 7 }');
    vi.useRealTimers();
  });
});
