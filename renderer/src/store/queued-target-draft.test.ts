// Opening a batch's queued target in the three-way view writes its merge as the resource's draft.
// A resource has one draft, which another window (or this window's own tab) may hold: the batch's
// merge must not write over it, nor leave a tab that takes the batch's draft for another window's.
// The host is the preload's bridge (window.api), scripted with the backend's draft rule (a write
// naming `expected` is refused when the draft kept is another).
import { beforeEach, describe, expect, it } from 'vitest';
import type { RendererApi } from '../../../shared/api/contract';
import type { BatchSummary, BatchTarget, Draft } from '../../../shared/api/types';
import { snapshotFixture } from '../session/snapshot.fixture';

const ref = { connectionId: 'c', id: 'task-1' };
const snaps = new Map([
  [1, snapshotFixture(ref, 1, '1', '{\n  "priority": 1\n}')],
  [2, snapshotFixture(ref, 2, '2', '{\n  "priority": 2\n}')],
]);
let stored: Draft | null = null;
let clock = 0;
const handlers: Record<string, (args: never) => unknown> = {
  revision: ({ journalId }: { journalId: number }) => ({
    kind: 'ok',
    snapshot: snaps.get(journalId),
  }),
  openResource: () => ({ kind: 'ok', snapshot: snaps.get(2), draft: stored, pending: [] }),
  watch: () => ({ kind: 'ok', watchId: 'w1' }),
  unwatch: () => ({ kind: 'ok' }),
  listDrafts: () => ({
    kind: 'ok',
    drafts: stored ? [{ id: ref.id, updatedAt: stored.updatedAt, hasMerge: !!stored.merge }] : [],
  }),
  saveDraft: (args: Omit<Draft, 'updatedAt'> & { expected?: string | null }) => {
    if (args.expected !== undefined && stored && stored.updatedAt !== args.expected)
      return {
        kind: 'error',
        reason: 'draft-conflict',
        message: 'Another window keeps a newer draft.',
      };
    stored = {
      text: args.text,
      baseRevision: args.baseRevision,
      baseJournalId: args.baseJournalId,
      merge: args.merge ?? null,
      updatedAt: `2026-11-30T05:00:0${++clock}.000Z`,
    };
    return { kind: 'ok', updatedAt: stored.updatedAt };
  },
  discardDraft: ({ expected }: { expected?: string | null }) => {
    if (expected === undefined || !stored || stored.updatedAt === expected) stored = null;
    return { kind: 'ok' };
  },
};
const bridge = new Proxy({} as RendererApi, {
  get: (_target, name: string) =>
    name === 'onEvent'
      ? () => () => undefined
      : (args: never) =>
          handlers[name]
            ? Promise.resolve(handlers[name](args))
            : Promise.reject(new Error(`not scripted: ${name}`)),
});
(globalThis as { window?: unknown }).window = { api: bridge };

const { useDesk } = await import('./index');
const session = await import('../session/editing-session');

const key = session.tabKey(ref);
const target: BatchTarget = {
  resourceId: ref.id,
  status: 'queued',
  attempts: 1,
  sent: true,
  reason: null,
  signature: '/priority',
  fromRevision: '1',
  toRevision: null,
  baseJournalId: 1,
  theirsJournalId: 2,
  auditId: null,
};
const batch = {
  batchId: 'b1',
  connectionId: 'c',
  intents: [{ kind: 'set', path: '/priority', value: 9 }],
  mergeOptions: {},
} as unknown as BatchSummary;
const tab = () => useDesk.getState().tabs.find((t) => t.key === key);

beforeEach(() => {
  stored = null;
  useDesk.setState({
    activeConnectionId: 'c',
    connections: [],
    tabs: [],
    activeTabKey: null,
    drafts: {},
    toasts: [],
    batch,
  });
});

describe('opening a queued target in the three-way view', () => {
  it('does not write over a draft another window kept since this window listed the drafts', async () => {
    stored = {
      text: '{\n  "priority": 5\n}',
      baseRevision: '2',
      baseJournalId: 2,
      merge: null,
      updatedAt: '2026-11-30T04:59:00.000Z',
    };
    await useDesk.getState().openQueuedTarget(target);
    expect(stored.text).toBe('{\n  "priority": 5\n}');
    // The tab shows that draft, and says the batch's change was not put over it.
    expect(tab()?.text).toBe('{\n  "priority": 5\n}');
    expect(
      useDesk
        .getState()
        .toasts.map((t) => t.text)
        .join(' '),
    ).toMatch(/already has unsaved work/);
  });

  it('with the resource open (no edit) in this window, shows the merge there and keeps it as the tab’s own draft', async () => {
    await useDesk.getState().openTab(ref, ref.id);
    expect(tab()?.merge).toBeNull();
    await useDesk.getState().openQueuedTarget(target);
    expect(tab()?.merge).not.toBeNull();
    expect(tab()?.merge?.mineText).toContain('"priority": 9');
    // The tab's next draft write goes over the batch's draft: no "another window" refusal.
    useDesk.getState().setText(key, '{\n  "priority": 10\n}');
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(tab()?.draftError).toBeNull();
    expect(stored?.text).toBe('{\n  "priority": 10\n}');
  });
});

describe('the list of drafts, for a resource whose id every object has as a name', () => {
  it('lists no draft for "constructor" when it has none, so its queued target opens on the merge', async () => {
    await useDesk.getState().loadDrafts();
    const odd = { connectionId: 'c', id: 'constructor' };
    await useDesk.getState().openQueuedTarget({ ...target, resourceId: odd.id });
    expect(
      useDesk
        .getState()
        .toasts.map((t) => t.text)
        .join(' '),
    ).not.toMatch(/already has unsaved work/);
    const opened = useDesk.getState().tabs.find((t) => t.key === session.tabKey(odd));
    expect(opened?.merge?.mineText).toContain('"priority": 9');
  });
});
