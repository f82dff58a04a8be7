// A watch does not poll a resource while this desk is writing it: the write reads the server
// itself, and a concurrent read of a large document only slowed the save (a 5 MB conflict view
// spent 0.3–0.8 s on a poll that landed inside the save).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SANDBOX_IDS } from '../../sandbox/index';
import { startHarness, type Harness } from '../test-support/desk-harness';

const DOC = `/sync/v1/Services/${SANDBOX_IDS.syncServiceSid}/Documents/queue-config`;
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.desk.close();
  await h.sandbox.close();
});

const reads = async () => (await h.requests('GET', DOC)).length;

it('polls wait while the resource is being saved, and resume after', async () => {
  const ref = await h.ref('Sync documents', 'queue-config');
  const opened = await h.open(ref);
  h.desk.onEvent(() => undefined);
  // The save's write takes 800 ms to be answered; polls every 50 ms.
  await h.admin('POST', '/faults', {
    kind: 'delay',
    method: 'POST',
    pathPrefix: DOC,
    delayMs: 800,
    times: 1,
  });
  const watch = await h.api.watch({ ref, intervalMs: 50 });
  expect(watch.kind).toBe('ok');
  await new Promise((resolve) => setTimeout(resolve, 150));
  await h.admin('DELETE', '/requests');
  const text = opened.text.replace(/\}\s*$/, ', "note": "saved while watched"}');
  const saved = await h.api.saveResource({ ref, text, baseJournalId: opened.journalId });
  expect(saved.kind).toBe('saved');
  // Sixteen poll intervals passed during the write (17 reads without the wait); the one read left
  // is the save's own proof that the server holds the edit.
  expect(await reads()).toBeLessThanOrEqual(1);
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(await reads()).toBeGreaterThan(0);
});

it('a poll answered after a save began is dropped unread; the next poll after the save reports', async () => {
  const ref = await h.ref('Sync documents', 'queue-config');
  const opened = await h.open(ref);
  const events: Array<{ type: string; journalId?: number }> = [];
  const stop = h.desk.onEvent((event) => events.push(event as { type: string }));
  try {
    const watch = await h.api.watch({ ref, intervalMs: 50 });
    expect(watch.kind).toBe('ok');
    await new Promise((resolve) => setTimeout(resolve, 150));
    // The next poll's read is answered 400 ms late; the save's write 900 ms late. A colleague's
    // edit lands first, so the late read carries news (and the save conflicts). The write's delay
    // is put in place first, so no poll can read the news in time.
    await h.admin('POST', '/faults', {
      kind: 'delay',
      method: 'POST',
      pathPrefix: DOC,
      delayMs: 900,
      times: 1,
    });
    await h.admin('POST', '/faults', {
      kind: 'delay',
      method: 'GET',
      pathPrefix: DOC,
      delayMs: 400,
      times: 1,
    });
    await h.admin('POST', '/edit', { path: DOC, patch: { overflow: 'colleague' } });
    // A poll has begun its (late) read by now; the save starts while it waits.
    await new Promise((resolve) => setTimeout(resolve, 100));
    events.length = 0;
    const text = opened.text.replace(/\}\s*$/, ', "mineToo": "yes"}');
    const saved = await h.api.saveResource({ ref, text, baseJournalId: opened.journalId });
    expect(saved.kind).toBe('conflict');
    // Nothing from the poll the save overtook: no change announced, no error, and no journal row
    // of the colleague's revision from a watch (the conflict's own read journalled it).
    expect(events.filter((e) => e.type === 'resource-changed' || e.type === 'watch-error')).toEqual(
      [],
    );
    const history = await h.api.history({ ref });
    if (history.kind !== 'ok') throw new Error(history.kind);
    const theirs = saved.kind === 'conflict' ? saved.theirs.journalId : -1;
    expect(history.entries.find((e) => e.journalId === theirs)?.source).toBe('conflict');
    // The next poll after the save reports the colleague's revision.
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'resource-changed', journalId: theirs }),
    );
  } finally {
    stop();
  }
});
