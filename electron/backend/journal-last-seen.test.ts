// The journal's "last seen" revision is the one the server held last, as far as the app knows. A
// read answered after a write landed may say what the server held before it (a slow link, a
// proxy): journalled as seen when it arrived, that older revision became the last one seen, so a
// watch begun then announced the operator's own save as a change made on the server, and the
// history named the old revision as the one seen last. A read counts as seen when it was sent.
import { expect, it } from 'vitest';
import { SANDBOX_IDS } from '../../sandbox/index';
import type { ResourceRef } from '../../shared/api/types';
import { harnessPerFile } from '../test-support/desk-harness';

const DOC = `/sync/v1/Services/${SANDBOX_IDS.syncServiceSid}/Documents/queue-config`;
const h = harnessPerFile();

let saves = 0;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until the sandbox has taken the faults set (a one-shot fault goes once it is used). */
async function untilFaultsUsed(): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const { body } = await h.admin<{ faults: unknown[] }>('GET', '/faults');
    if (body.faults.length === 0) return;
    await sleep(10);
  }
  throw new Error('the sandbox never took the read whose answer it holds');
}

/**
 * Opens the document, then reads it again with `read` while the answer is held 600 ms, and saves an
 * edit meanwhile. Answers the journal ids of the revision opened and of the save's, and the late
 * read's answer.
 */
async function lateReadAcrossSave<T>(read: (ref: ResourceRef) => Promise<T>) {
  const ref = await h.ref('Sync documents', 'queue-config');
  const opened = await h.open(ref);
  await h.admin('POST', '/faults', {
    kind: 'delay-after',
    method: 'GET',
    pathPrefix: DOC,
    delayMs: 600,
    times: 1,
  });
  const late = read(ref);
  // The read has been answered (what the server holds now) and its answer held: the save follows.
  await untilFaultsUsed();
  const text = opened.text.replace(/\}\s*$/, `, "saved${++saves}": true}`);
  const saved = await h.api.saveResource({ ref, text, baseJournalId: opened.journalId });
  if (saved.kind !== 'saved') throw new Error(`the save answered ${saved.kind}`);
  return { ref, opened: opened.journalId, saved: saved.snapshot.journalId, late: await late };
}

/** GETs of the document the sandbox has answered. */
const readsOfDoc = async () => (await h.requests('GET', DOC)).length;

/** The journal id of the entry seen last, as the history lists them (ties: the newer entry). */
async function lastSeen(ref: ResourceRef): Promise<number> {
  const history = await h.api.history({ ref });
  if (history.kind !== 'ok') throw new Error(history.kind);
  const [last] = [...history.entries].sort(
    (a, b) => b.lastSeenAt.localeCompare(a.lastSeenAt) || b.journalId - a.journalId,
  );
  return last!.journalId;
}

/** The changes a watch begun now announces within `ms` (the server holds what was saved). */
async function announcedByNewWatch(ref: ResourceRef, ms: number): Promise<unknown[]> {
  const events: Array<{ type: string }> = [];
  const stop = h.desk.onEvent((event) => events.push(event as { type: string }));
  try {
    const before = await readsOfDoc();
    const watch = await h.api.watch({ ref, intervalMs: 50 });
    if (watch.kind !== 'ok') throw new Error(watch.kind);
    await sleep(ms);
    await h.api.unwatch({ watchId: watch.watchId });
    // The watch did poll: it compared what the server holds with the revision seen last.
    expect(await readsOfDoc()).toBeGreaterThan(before + 1);
    return events.filter((e) => e.type === 'resource-changed');
  } finally {
    stop();
  }
}

it('another window opening the resource, answered after a save with what was there before, leaves the save the last revision seen', async () => {
  const { ref, opened, saved, late } = await lateReadAcrossSave((r) =>
    h.api.openResource({ ref: r }),
  );
  expect(saved).not.toBe(opened);
  // The late answer carried the revision opened first, from before the save.
  expect(late).toMatchObject({ kind: 'ok', snapshot: { journalId: opened } });
  expect(await lastSeen(ref)).toBe(saved);
  expect(await announcedByNewWatch(ref, 400)).toEqual([]);
});

it('a refresh answered 304 after a save (the revision it asked about was still there when it was read) leaves the save the last revision seen', async () => {
  const { ref, opened, saved, late } = await lateReadAcrossSave((r) =>
    h.api.refreshResource({ ref: r }),
  );
  expect(late).toMatchObject({ kind: 'ok', changed: false, snapshot: { journalId: opened } });
  expect(await lastSeen(ref)).toBe(saved);
  expect(await announcedByNewWatch(ref, 400)).toEqual([]);
});

it('a read sent after the save still counts as seen after it', async () => {
  const { ref, saved } = await lateReadAcrossSave((r) => h.api.openResource({ ref: r }));
  const again = await h.api.openResource({ ref });
  if (again.kind !== 'ok') throw new Error(again.kind);
  expect(again.snapshot.journalId).toBe(saved);
  expect(await lastSeen(ref)).toBe(saved);
  // The revision opened first, read again now (the server holds it again): seen last again.
  await h.admin('POST', '/edit', { path: DOC, patch: { [`saved${saves}`]: null } });
  const back = await h.api.openResource({ ref });
  if (back.kind !== 'ok') throw new Error(back.kind);
  expect(await lastSeen(ref)).toBe(back.snapshot.journalId);
});

it('a read the transport tried again counts as seen when the attempt that was answered was sent', async () => {
  const ref = await h.ref('Sync documents', 'queue-config');
  await h.open(ref);
  // The first attempt is refused (503) after 400 ms; the transport tries again.
  await h.admin('POST', '/faults', {
    kind: 'error',
    method: 'GET',
    pathPrefix: DOC,
    status: 503,
    delayMs: 400,
  });
  const asked = Date.now();
  const again = await h.api.openResource({ ref });
  if (again.kind !== 'ok') throw new Error(again.kind);
  const entry = await h.api.history({ ref });
  if (entry.kind !== 'ok') throw new Error(entry.kind);
  const seen = entry.entries.find((e) => e.journalId === again.snapshot.journalId)!;
  // The answered attempt went after the refused one, not when the read began.
  expect(Date.parse(seen.lastSeenAt)).toBeGreaterThanOrEqual(asked + 390);
});
