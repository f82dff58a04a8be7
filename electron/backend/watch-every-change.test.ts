// A watch hears of every revision it has not been told of, whichever road brought it into the
// journal first: a save's read-back that found someone else's change, or another tab's open.
// Watches used to compare each poll with the journal's latest row, so a change journalled by
// anything but a poll was never announced, and a second window stayed on a stale revision.
// And a watch never announces a change that did not happen: a sinceJournalId naming a row of
// another resource (or none) used to be taken as "what the caller holds", so the first poll pushed
// a resource-changed for a resource nobody touched; a watch of a resource never read before
// announced its first read as a change.
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import type { ApiEvent } from '../../shared/api/types';
import {
  connectScripted,
  edited,
  expectKind,
  startHarness,
  type Harness,
} from '../test-support/desk-harness';
import {
  colleagueAfterOurWrite,
  etagUpstream,
  startScriptedServer,
  type ScriptedServer,
} from '../test-support/scripted-server';

type Changed = Extract<ApiEvent, { type: 'resource-changed' }>;

let h: Harness;
const events: ApiEvent[] = [];
beforeAll(async () => {
  h = await startHarness();
  h.desk.onEvent((event) => events.push(event));
});
afterAll(() => h.close());
beforeEach(async () => {
  events.length = 0;
  await h.admin('POST', '/reset', { seed: 'demo' });
});

/** The first resource-changed event for `watchId`, waiting up to `ms`. */
async function changeFor(watchId: string, ms = 3000): Promise<Changed | undefined> {
  const until = Date.now() + ms;
  for (;;) {
    const found = events.find(
      (e): e is Changed => e.type === 'resource-changed' && e.watchId === watchId,
    );
    if (found || Date.now() > until) return found;
    await new Promise((r) => setTimeout(r, 20));
  }
}

const connect = (server: ScriptedServer) => connectScripted(h, server);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

it('a colleague writing between our save and its read-back is announced to every watch', async () => {
  // Our PUT lands as revision 2; before we read it back a colleague makes revision 3.
  const upstream = await startScriptedServer(colleagueAfterOurWrite());
  try {
    const ref = (await connect(upstream))('a');
    const base = await h.open(ref);
    // Two windows watch the thing; one of them saves.
    const saver = await h.api.watch({ ref, intervalMs: 100 });
    const other = await h.api.watch({ ref, intervalMs: 100 });
    if (saver.kind !== 'ok' || other.kind !== 'ok') throw new Error('watch refused');
    const saved = expectKind(
      await h.api.saveResource({
        ref,
        text: edited(base, (d) => (d['name'] = 'mine')),
        baseJournalId: base.journalId,
      }),
      'saved',
    );
    expect(saved.movedSince).toMatchObject({ revision: '"3"', changedPaths: ['/n'] });
    const told = await changeFor(other.watchId);
    expect(told).toMatchObject({ revision: '"3"', journalId: saved.snapshot.journalId });
    // What the watching window holds (revision 1) differs from revision 3 in both fields.
    expect(told!.changedPaths.sort()).toEqual(['/n', '/name']);
    // Told once: later polls find the same revision.
    await new Promise((r) => setTimeout(r, 350));
    expect(
      events.filter((e) => e.type === 'resource-changed' && e.watchId === other.watchId),
    ).toHaveLength(1);
    await h.api.unwatch({ watchId: saver.watchId });
    await h.api.unwatch({ watchId: other.watchId });
  } finally {
    await upstream.close();
  }
});

it('a change another tab journalled first (by opening it) still reaches the watch', async () => {
  const ref = await h.ref('REST tickets', 'ticket-1');
  const opened = await h.open(ref);
  const watch = await h.api.watch({ ref, intervalMs: 400 });
  if (watch.kind !== 'ok') throw new Error('watch refused');
  // Someone else changes the ticket, and another tab opens it before the watch's first poll.
  const direct = await fetch(`${h.sandbox.url}/rest/tickets/ticket-1`);
  const current = (await direct.json()) as Record<string, unknown>;
  const put = await fetch(`${h.sandbox.url}/rest/tickets/ticket-1`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', 'if-match': direct.headers.get('etag')! },
    body: JSON.stringify({ ...current, subject: 'Changed by someone else' }),
  });
  expect(put.status).toBe(200);
  const reopened = await h.open(ref);
  expect(reopened.journalId).not.toBe(opened.journalId);
  const told = await changeFor(watch.watchId);
  expect(told).toMatchObject({ journalId: reopened.journalId, changedPaths: ['/subject'] });
  await h.api.unwatch({ watchId: watch.watchId });
});

it('a watch starts from the revision its tab holds (sinceJournalId), not from the journal of the moment', async () => {
  const ref = await h.ref('REST tickets', 'ticket-2');
  const opened = await h.open(ref);
  const direct = await fetch(`${h.sandbox.url}/rest/tickets/ticket-2`);
  const current = (await direct.json()) as Record<string, unknown>;
  await fetch(`${h.sandbox.url}/rest/tickets/ticket-2`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', 'if-match': direct.headers.get('etag')! },
    body: JSON.stringify({ ...current, subject: 'Changed before the watch began' }),
  });
  // Another tab journals the change before this tab's watch is set up.
  const reopened = await h.open(ref);
  const since = await h.api.watch({ ref, intervalMs: 200, sinceJournalId: opened.journalId });
  const fromNow = await h.api.watch({ ref, intervalMs: 200 });
  if (since.kind !== 'ok' || fromNow.kind !== 'ok') throw new Error('watch refused');
  expect(await changeFor(since.watchId)).toMatchObject({
    journalId: reopened.journalId,
    changedPaths: ['/subject'],
  });
  // A watch begun without it holds the journal's latest row: nothing new to tell.
  expect(await changeFor(fromNow.watchId, 500)).toBeUndefined();
  await h.api.unwatch({ watchId: since.watchId });
  await h.api.unwatch({ watchId: fromNow.watchId });
});

const changesFor = (watchId: string) =>
  events.filter((e) => e.type === 'resource-changed' && e.watchId === watchId);

it.each([
  ['a journal row of another resource', 'other'],
  ['a journal row that does not exist', 'missing'],
] as const)(
  'sinceJournalId naming %s is refused or at least announces no change that did not happen',
  async (_what, which) => {
    const watched = await h.ref('REST tickets', 'ticket-1');
    const other = await h.ref('REST tickets', 'ticket-2');
    const openedWatched = await h.open(watched);
    const openedOther = await h.open(other);
    const since = which === 'other' ? openedOther.journalId : openedWatched.journalId + 100_000;
    const watch = await h.api.watch({ ref: watched, intervalMs: 200, sinceJournalId: since });
    if (watch.kind !== 'ok') {
      // A clear refusal naming the problem is a fine answer.
      expect(watch).toMatchObject({ kind: 'error', reason: 'invalid-input' });
      if (watch.kind === 'error') expect(watch.message).toMatch(/journal/i);
      return;
    }
    try {
      // Several polls of a resource nobody touched.
      await new Promise((r) => setTimeout(r, 900));
      expect(changesFor(watch.watchId)).toEqual([]);
    } finally {
      await h.api.unwatch({ watchId: watch.watchId });
    }
  },
);

it('a watch on a resource never read before announces nothing on its first poll', async () => {
  const ref = await h.ref('REST tickets', 'ticket-3');
  const watch = await h.api.watch({ ref, intervalMs: 200 });
  if (watch.kind !== 'ok') throw new Error(watch.message);
  try {
    await new Promise((r) => setTimeout(r, 900));
    expect(changesFor(watch.watchId)).toEqual([]);
  } finally {
    await h.api.unwatch({ watchId: watch.watchId });
  }
});

it('a poll held up checking an unknown outcome does not announce, after a save, the revision that save replaced', async () => {
  // The first write's answer is lost (the write never lands); the check's read (no
  // If-None-Match) can be held up.
  const { state, handler } = etagUpstream('{"id":"a","n":1}');
  state.dropNextWrite = true;
  state.holds = (req) => !req.headers['if-none-match'];
  const upstream = await startScriptedServer(handler);
  try {
    const ref = (await connect(upstream))('a');
    const base = await h.open(ref);
    expectKind(
      await h.api.saveResource({
        ref,
        text: edited(base, (d) => (d['n'] = 2)),
        baseJournalId: base.journalId,
      }),
      'unknown-outcome',
    );
    const watch = await h.api.watch({ ref, intervalMs: 250 });
    if (watch.kind !== 'ok') throw new Error(watch.message);
    try {
      // A colleague makes revision 2; the next poll reads it, then checks the unknown outcome,
      // whose read is slow.
      state.etag = 2;
      state.doc = '{"id":"a","n":5}';
      state.holdNextRead = 1200;
      await sleep(450);
      // Meanwhile the operator loads revision 2 and saves revision 3.
      const now = await h.api.refreshResource({ ref });
      if (now.kind !== 'ok') throw new Error(now.message);
      expect(now.snapshot.revision).toBe('"2"');
      const saved = expectKind(
        await h.api.saveResource({
          ref,
          text: edited(now.snapshot, (d) => (d['n'] = 6)),
          baseJournalId: now.snapshot.journalId,
        }),
        'saved',
      );
      expect(saved.snapshot.revision).toBe('"3"');
      const savedAt = events.length;
      await sleep(1500);
      // The held poll ends after the save: it must not say the server moved to revision 2.
      const told = events
        .slice(savedAt)
        .filter((e): e is Changed => e.type === 'resource-changed' && e.watchId === watch.watchId);
      expect(told.map((e) => e.revision)).not.toContain('"2"');
    } finally {
      await h.api.unwatch({ watchId: watch.watchId });
    }
  } finally {
    await upstream.close();
  }
});

it('a poll whose read answers after a save began and ended meanwhile journals and announces nothing of that older read', async () => {
  // The watch's read (If-None-Match) can be held; it answers what the server held when it came.
  const { state, handler } = etagUpstream('{"id":"a","n":1}');
  state.holds = (req) => !!req.headers['if-none-match'];
  const upstream = await startScriptedServer(handler);
  try {
    const ref = (await connect(upstream))('a');
    const base = await h.open(ref);
    state.holdNextRead = 800;
    const watch = await h.api.watch({ ref, intervalMs: 200 });
    if (watch.kind !== 'ok') throw new Error(watch.message);
    try {
      await sleep(350); // the first poll's read is on its way, held
      const saved = expectKind(
        await h.api.saveResource({
          ref,
          text: edited(base, (d) => (d['n'] = 2)),
          baseJournalId: base.journalId,
        }),
        'saved',
      );
      await sleep(1200);
      const told = events.filter(
        (e): e is Changed => e.type === 'resource-changed' && e.watchId === watch.watchId,
      );
      expect(told.map((e) => e.revision)).not.toContain('"1"');
      const history = await h.api.history({ ref });
      if (history.kind !== 'ok') throw new Error(history.message);
      // The held read said "still 1" for a moment before the save: recorded after it, it made
      // revision 1 the one last seen, and the journal's newest went back a revision.
      const byRevision = new Map(history.entries.map((e) => [e.revision, e]));
      const first = byRevision.get('"1"')!;
      const ours = byRevision.get(saved.snapshot.revision)!;
      expect(first.lastSeenAt < ours.seenAt).toBe(true);
    } finally {
      await h.api.unwatch({ watchId: watch.watchId });
    }
  } finally {
    await upstream.close();
  }
});
