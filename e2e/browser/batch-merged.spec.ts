// A queued target merged by hand in the three-way view and saved leaves the batch's conflict queue
// as "merged by hand": the batch screen's queue and counts say so in the real page.
import { expect, test } from '../support/fixtures';
import { callApi } from '../support/backend';
import { queuedBatch, taskRouterTasks } from '../support/queued-batch';

test('a queued target merged by hand and saved is counted as merged, and its group leaves the queue', async ({
  desk,
  host,
  page,
}) => {
  const { backend, ids } = await taskRouterTasks(host);
  const sid = ids[4]!;
  // The colleague sets the same path while the batch's write is held: a conflict on /priority.
  const batchId = await queuedBatch(host, sid, {
    value: 9,
    maxAttempts: 1,
    colleague: { fields: { priority: 2 } },
  });
  const status = async () =>
    (
      await callApi<{ batch: { state: string; counts: Record<string, number> } }>(
        host,
        'batchStatus',
        { batchId },
      )
    ).batch.counts;

  await desk.goto();
  await page.getByTestId('batch-show').click();
  const view = page.getByTestId('batch-view');
  await expect(view.getByTestId('batch-count-queued')).toHaveText('1 in the conflict queue');
  const group = view.getByTestId('batch-group');
  await group.getByText('Show the 1 resource').click();
  await group.getByRole('button', { name: 'Open in the three-way view' }).first().click();
  await expect(desk.mergeView).toBeVisible();
  await desk.conflictCard('/priority').getByRole('button', { name: 'Take mine' }).click();
  await page.getByTestId('save-result').click();
  await expect.poll(async () => (await backend.document('TaskRouter', sid))['priority']).toBe(9);

  // Back to the batch: the target left the queue as merged by hand.
  await page.keyboard.press('Control+K');
  await page.keyboard.type('Show the batch');
  await page.keyboard.press('Enter');
  await expect(view.getByTestId('batch-count-merged')).toHaveText('1 merged by hand');
  await expect(view.getByTestId('batch-count-queued')).toHaveCount(0);
  await expect(view.getByTestId('batch-group')).toHaveCount(0);
  expect(await status()).toMatchObject({ merged: 1, queued: 0 });
});
