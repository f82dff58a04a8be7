// When the page's event stream dropped and opened again, events sent meanwhile may be lost (the host
// closes the stream of a page that stopped reading it). What those events keep current is read
// again: the activity after the last entry shown, the unknown outcomes, the batch on show, and
// each tab's watch, begun again from the newest revision the tab was told of, so that a server
// that moved meanwhile is told at the next poll.
import { beforeEach, expect, it } from 'vitest';
import type { ActivityEntry, BatchSummary, PendingOutcome } from '../../../shared/api/types';
import { snapshotFixture } from '../session/snapshot.fixture';
import { answers, calls } from './scripted-bridge.fixture';

const { applyEvent, useDesk } = await import('./index');
const session = await import('../session/editing-session');

const quiet = { ref: { connectionId: 'c', id: 'quiet' }, title: 'Quiet' };
const moved = { ref: { connectionId: 'c', id: 'moved' }, title: 'Moved' };
const unwatched = { ref: { connectionId: 'c', id: 'unwatched' }, title: 'Unwatched' };

const entry = (id: number): ActivityEntry => ({
  id,
  at: '2026-12-01T00:00:00Z',
  method: 'GET',
  url: `https://api.example.test/${id}`,
  status: 200,
  etag: null,
  ifMatch: null,
  durationMs: 1,
  outcome: 'ok',
});

const pending = { auditId: 7, ref: quiet.ref, message: 'unknown' } as unknown as PendingOutcome;
const summary = (batchId: string, state: string, createdAt: string) =>
  ({
    batchId,
    state,
    counts: { queued: 0 },
    createdAt,
    observedAt: createdAt,
  }) as unknown as BatchSummary;
const batch = summary('b1', 'running', '2026-12-01T00:00:01Z');

const tabOf = (t: typeof quiet, journalId: number, watchId: string | null) => ({
  ...session.opened({
    ref: t.ref,
    title: t.title,
    connectionName: 'Sandbox',
    snapshot: snapshotFixture(t.ref, journalId, String(journalId), '{ "a": 1 }'),
    draftBase: null,
    draft: null,
    merge: null,
    pending: [],
  }),
  watchId,
});

/** Waits until nothing the catch-up started is still answering. */
const settled = async () => {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setTimeout(resolve, 0));
};

beforeEach(() => {
  answers.clear();
  calls.length = 0;
  const movedTab = session.serverMoved(tabOf(moved, 4, 'w-moved'), {
    revision: '6',
    journalId: 6,
    changedPaths: ['/a'],
  });
  useDesk.setState({
    tabs: [tabOf(quiet, 3, 'w-quiet'), movedTab, tabOf(unwatched, 5, null)],
    activeTabKey: session.tabKey(quiet.ref),
    activity: [entry(40), entry(41)],
    pending: [],
    batch,
    // Listed as waiting before the stream dropped; it finished elsewhere meanwhile.
    batchesWaiting: [summary('b0', 'running', '2026-12-01T00:00:00Z')],
    toasts: [],
  });
});

it('reads again what events keep current, and watches each watched tab again from what it knows', async () => {
  let nextWatch = 0;
  answers.set('activity', async () => ({ kind: 'ok', entries: [entry(42), entry(43)] }));
  answers.set('pendingOutcomes', async () => ({ kind: 'ok', pending: [pending] }));
  answers.set('batchStatus', async () => ({
    kind: 'ok',
    batch: { ...batch, observedAt: '2026-12-01T00:00:02Z', total: 9 },
  }));
  answers.set('watch', async () => ({ kind: 'ok', watchId: `w-new-${++nextWatch}` }));
  answers.set('unwatch', async () => ({ kind: 'ok' }));
  answers.set('listBatches', async () => ({
    kind: 'ok',
    batches: [
      summary('b0', 'done', '2026-12-01T00:00:00Z'),
      summary('b2', 'paused', '2026-12-01T00:00:03Z'),
    ],
  }));

  applyEvent({ type: 'events-missed' });
  await settled();

  const state = useDesk.getState();
  expect(calls.find((c) => c.name === 'activity')?.args).toEqual({ afterId: 41 });
  expect(state.activity.map((e) => e.id)).toEqual([40, 41, 42, 43]);
  expect(state.pending).toEqual([pending]);
  expect(calls.find((c) => c.name === 'batchStatus')?.args).toEqual({ batchId: 'b1' });
  expect(state.batch).toMatchObject({ batchId: 'b1', total: 9 });
  // The waiting batches are listed again: one finished elsewhere goes, one started elsewhere comes.
  // (b1, the batch on show, is running: it is listed too.)
  expect(state.batchesWaiting.map((b) => b.batchId).sort()).toEqual(['b1', 'b2']);
  // Each watched tab from the newest revision it was told of: its base, or where the server moved.
  const watched = calls.filter((c) => c.name === 'watch').map((c) => c.args);
  expect(watched).toEqual(
    expect.arrayContaining([
      { ref: quiet.ref, intervalMs: 3000, sinceJournalId: 3 },
      { ref: moved.ref, intervalMs: 3000, sinceJournalId: 6 },
    ]),
  );
  expect(watched).toHaveLength(2);
  // The new watches replace the old ones, which are stopped.
  const ids = state.tabs.map((t) => t.watchId);
  expect(ids[0]).toMatch(/^w-new-/);
  expect(ids[1]).toMatch(/^w-new-/);
  expect(ids[2]).toBeNull();
  expect(
    calls
      .filter((c) => c.name === 'unwatch')
      .map((c) => (c.args as { watchId: string }).watchId)
      .sort(),
  ).toEqual(['w-moved', 'w-quiet']);
  expect(state.toasts).toEqual([]);
});

it('says what it could not read again, and keeps a tab whose watch could not start from claiming one', async () => {
  answers.set('pendingOutcomes', async () => ({ kind: 'ok', pending: [] }));
  answers.set('batchStatus', async () => ({ kind: 'ok', batch }));
  answers.set('unwatch', async () => ({ kind: 'ok' }));
  answers.set('listBatches', async () => ({ kind: 'ok', batches: [] }));
  // activity and watch: no answer (the host cannot be reached)

  applyEvent({ type: 'events-missed' });
  await settled();

  const state = useDesk.getState();
  for (const t of state.tabs.slice(0, 2))
    expect(t.message?.text).toContain('Changes on the server are not being watched');
  // The old watches were not stopped: nothing replaced them.
  expect(calls.filter((c) => c.name === 'unwatch')).toEqual([]);
  expect(state.toasts.map((t) => t.text)).toEqual([
    expect.stringContaining('read the activity again'),
  ]);
  expect(state.activity.map((e) => e.id)).toEqual([40, 41]);
});

it('keeps the activity in id order, the newest kept, when the new stream is quicker than the read', async () => {
  answers.set('pendingOutcomes', async () => ({ kind: 'ok', pending: [] }));
  answers.set('batchStatus', async () => ({ kind: 'ok', batch }));
  answers.set('listBatches', async () => ({ kind: 'ok', batches: [] }));
  answers.set('watch', async () => ({ kind: 'ok', watchId: 'w-new' }));
  answers.set('unwatch', async () => ({ kind: 'ok' }));
  // A full list (500 entries, the limit), and a busy host: 199 entries missed, then one more.
  useDesk.setState({ activity: Array.from({ length: 500 }, (_, i) => entry(i + 1)) });
  let answer: (value: unknown) => void = () => undefined;
  answers.set('activity', () => new Promise((resolve) => (answer = resolve)));

  applyEvent({ type: 'events-missed' });
  applyEvent({ type: 'activity', entry: entry(700) });
  answer({ kind: 'ok', entries: Array.from({ length: 199 }, (_, i) => entry(501 + i)) });
  await settled();

  const ids = useDesk.getState().activity.map((e) => e.id);
  expect(ids).toHaveLength(500);
  expect(ids.at(-1)).toBe(700);
  expect(ids).toEqual([...ids].sort((a, b) => a - b));
  expect(ids[0]).toBe(201);
});

it('watches again a tab whose watch was being set up while events were missed', async () => {
  answers.set('activity', async () => ({ kind: 'ok', entries: [] }));
  answers.set('pendingOutcomes', async () => ({ kind: 'ok', pending: [] }));
  answers.set('batchStatus', async () => ({ kind: 'ok', batch }));
  answers.set('listBatches', async () => ({ kind: 'ok', batches: [] }));
  answers.set('unwatch', async () => ({ kind: 'ok' }));
  const opening = { ref: { connectionId: 'c', id: 'opening' }, title: 'Opening' };
  answers.set('openResource', async () => ({
    kind: 'ok',
    snapshot: snapshotFixture(opening.ref, 8, '8', '{ "a": 1 }'),
    draft: null,
    pending: [],
  }));
  // The opening tab's first watch is answered only after the catch-up: it may have been made, and
  // its events sent, while the stream was down.
  let release: (answer: unknown) => void = () => undefined;
  let made = 0;
  answers.set('watch', (args) => {
    if ((args as { ref: { id: string } }).ref.id === 'opening' && made++ === 0)
      return new Promise((resolve) => (release = resolve));
    return Promise.resolve({ kind: 'ok', watchId: `w-new-${made++}` });
  });
  const opened = useDesk.getState().openTab(opening.ref, opening.title);
  await settled();
  expect(calls.filter((c) => c.name === 'watch')).toHaveLength(1);

  applyEvent({ type: 'events-missed' });
  await settled();
  release({ kind: 'ok', watchId: 'w-during' });
  await opened;
  await settled();

  const watches = calls
    .filter((c) => c.name === 'watch' && (c.args as { ref: { id: string } }).ref.id === 'opening')
    .map((c) => c.args);
  expect(watches).toEqual([
    { ref: opening.ref, intervalMs: 3000, sinceJournalId: 8 },
    { ref: opening.ref, intervalMs: 3000, sinceJournalId: 8 },
  ]);
  const tab = useDesk.getState().tabs.find((t) => t.ref.id === 'opening')!;
  expect(tab.watchId).toMatch(/^w-new-/);
  expect(
    calls.filter((c) => c.name === 'unwatch').map((c) => (c.args as { watchId: string }).watchId),
  ).toContain('w-during');
});
