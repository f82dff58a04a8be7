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

/**
 * Opens the document, then reads it again with `read` while the answer is held 600 ms, and saves an
 * edit meanwhile. Answers the journal ids of the revision opened and of the save's.
 */
async function lateReadAcrossSave(read: (ref: ResourceRef) => Promise<{ kind: string }>) {
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
  await sleep(150);
  const text = opened.text.replace(/\}\s*$/, `, "saved${++saves}": true}`);
  const saved = await h.api.saveResource({ ref, text, baseJournalId: opened.journalId });
  if (saved.kind !== 'saved') throw new Error(`the save answered ${saved.kind}`);
  expect((await late).kind).toBe('ok');
  return { ref, opened: opened.journalId, saved: saved.snapshot.journalId };
}

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
    const watch = await h.api.watch({ ref, intervalMs: 50 });
    if (watch.kind !== 'ok') throw new Error(watch.kind);
    await sleep(ms);
    await h.api.unwatch({ watchId: watch.watchId });
    return events.filter((e) => e.type === 'resource-changed');
  } finally {
    stop();
  }
}

it('another window opening the resource, answered after a save with what was there before, leaves the save the last revision seen', async () => {
  const { ref, opened, saved } = await lateReadAcrossSave((r) => h.api.openResource({ ref: r }));
  expect(saved).not.toBe(opened);
  expect(await lastSeen(ref)).toBe(saved);
  expect(await announcedByNewWatch(ref, 400)).toEqual([]);
});

it('a refresh answered 304 after a save (the revision it asked about was still there when it was read) leaves the save the last revision seen', async () => {
  const { ref, saved } = await lateReadAcrossSave((r) => h.api.refreshResource({ ref: r }));
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
