// Batches under an operator's worst day: faults, cancels at awkward moments, a finished batch
// cancelled late, a queue settled after its members moved again, and exports opened in a spreadsheet.
import { describe, expect, it } from 'vitest';
import { SANDBOX_CREDENTIALS, SANDBOX_IDS } from '../../../sandbox/index';
import type { Api } from '../../../shared/api/contract';
import type { BatchSummary } from '../../../shared/api/types';
import { harnessPerFile } from '../../test-support/desk-harness';

const h = harnessPerFile();
const TASKS = `/taskrouter/v1/Workspaces/${SANDBOX_IDS.workspaceSid}/Tasks`;
const basic = `Basic ${Buffer.from(`${SANDBOX_CREDENTIALS.twilio.accountSid}:${SANDBOX_CREDENTIALS.twilio.authToken}`).toString('base64')}`;
type Task = { sid: string; priority: number; attributes: string };
const getTask = async (sid: string): Promise<Task> =>
  (await (
    await fetch(`${h.sandbox.url}${TASKS}/${sid}`, { headers: { authorization: basic } })
  ).json()) as Task;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitDone(batchId: string, api: Api = h.api): Promise<BatchSummary> {
  for (;;) {
    const status = await api.batchStatus({ batchId });
    if (status.kind !== 'ok') throw new Error(status.message);
    if (status.batch.state !== 'running') return status.batch;
    await sleep(50);
  }
}

async function start(ids: string[], intents: Parameters<Api['startBatch']>[0]['intents'], concurrency = 4) {
  const connection = await h.connection('TaskRouter');
  const started = await h.api.startBatch({ connectionId: connection.id, resourceIds: ids, intents, concurrency });
  if (started.kind !== 'ok') throw new Error(started.message);
  return started.batch.batchId;
}

describe('batch controls at awkward moments', () => {
  it('cancelling (or resuming) a finished batch leaves it done, as it ended', async () => {
    const id = await start(SANDBOX_IDS.taskSids.slice(0, 3), [
      { kind: 'set', path: '/priority', value: 4 },
    ]);
    const done = await waitDone(id);
    expect(done).toMatchObject({ state: 'done', counts: { applied: 3 } });
    const cancelled = await h.api.cancelBatch({ batchId: id });
    expect(cancelled).toMatchObject({ kind: 'ok', batch: { state: 'done', finishedAt: done.finishedAt } });
    const resumed = await h.api.resumeBatch({ batchId: id });
    expect(resumed).toMatchObject({ kind: 'ok', batch: { state: 'done', finishedAt: done.finishedAt } });
    expect((await h.api.batchStatus({ batchId: id })).kind === 'ok').toBe(true);
    expect(await h.api.batchStatus({ batchId: id })).toMatchObject({
      batch: { state: 'done', counts: { applied: 3, cancelled: 0 } },
    });
  });
});
