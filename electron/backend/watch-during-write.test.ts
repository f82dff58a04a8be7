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

async function reads(): Promise<number> {
  const log = await h.admin<{ requests: unknown[] }>(
    'GET',
    `/requests?method=GET&pathPrefix=${encodeURIComponent(DOC)}`,
  );
  return log.body.requests.length;
}

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
