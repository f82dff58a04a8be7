// Closing the backend while a watch's poll is still waiting on the server: close() waits for the
// poll, so it does not read a store that is already closed (an unhandled rejection, which ends a
// plain Node host, browser mode, with a stack trace instead of a clean exit).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SANDBOX_IDS } from '../../sandbox/index';
import { startHarness, type Harness } from '../test-support/desk-harness';

const DOC = `/sync/v1/Services/${SANDBOX_IDS.syncServiceSid}/Documents/queue-config`;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => {
  unhandled.push(reason);
};
let h: Harness;
beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  h = await startHarness();
});
afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  await h.sandbox.close();
});

it('close() waits for a poll in flight instead of closing the store under it', async () => {
  const ref = await h.ref('Sync documents', 'queue-config');
  await h.open(ref);
  // Every poll of the document takes 400 ms to answer; the first starts 50 ms after the watch.
  await h.admin('POST', '/faults', {
    kind: 'delay',
    method: 'GET',
    pathPrefix: DOC,
    delayMs: 400,
    times: null,
  });
  await h.admin('DELETE', '/requests');
  const watch = await h.api.watch({ ref, intervalMs: 50 });
  expect(watch.kind).toBe('ok');
  await new Promise((resolve) => setTimeout(resolve, 200));
  await h.desk.close();
  // The poll's request had been answered when close() resolved (the sandbox logs a request once answered)…
  const log = await h.admin<{ requests: Array<{ status: number | null }> }>(
    'GET',
    `/requests?method=GET&pathPrefix=${encodeURIComponent(DOC)}`,
  );
  expect(log.body.requests).toHaveLength(1);
  expect(log.body.requests[0]?.status).toBeTypeOf('number');
  // …and nothing the poll did went unhandled.
  await new Promise((resolve) => setTimeout(resolve, 600));
  expect(unhandled).toEqual([]);
});
