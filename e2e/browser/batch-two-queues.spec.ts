// Two batches each left a resource in their conflict queue: both stay within reach of the list
// (the newer one used to hide the older one's queue), and each opens on its own queue.
import { expect, test } from '../support/fixtures';
import { queuedBatch, taskRouterTasks } from '../support/queued-batch';

test('every batch with a conflict queue can be shown from the list, not only the newest', async ({
  desk,
  host,
  page,
}) => {
  test.setTimeout(60_000);
  const { backend, ids } = await taskRouterTasks(host);
  /** A one-task batch whose write a colleague overtakes on the same path: queued. */
  const queued = async (sid: string, value: number, description: string) => {
    // A priority neither the task nor the batch has: the colleague's write changes /priority.
    const theirs = (await backend.document('TaskRouter', sid))['priority'] === 2 ? 3 : 2;
    await queuedBatch(host, sid, {
      value,
      description,
      colleague: { fields: { priority: theirs } },
    });
  };
  await queued(ids[5]!, 8, 'Older batch');
  await queued(ids[6]!, 9, 'Newer batch');

  await desk.goto();
  const shows = page.getByTestId('batch-show');
  await expect(shows).toHaveCount(2);
  await expect(shows.nth(0)).toContainText('Newer batch');
  await expect(shows.nth(1)).toContainText('Older batch');
  await expect(shows.nth(1)).toContainText('1 in the conflict queue');
  await desk.screenshots('batch-two-queues');

  // The older one opens on its own queue, and one decision settles it.
  await shows.nth(1).click();
  await expect(page.getByTestId('batch-view')).toContainText('Older batch');
  const group = page.getByTestId('batch-group');
  await expect(group).toHaveCount(1);
  await expect(group.locator('li')).toContainText(ids[5]!);
  await group.getByRole('button', { name: /^Keep mine for \/priority on all 1/ }).click();
  await expect(page.getByTestId('batch-group')).toHaveCount(0);
  expect((await backend.document('TaskRouter', ids[5]!))['priority']).toBe(8);

  // Back in the list: only the newer batch still waits, and it opens on its queue.
  await page.keyboard.press('Escape');
  await expect(shows).toHaveCount(1);
  await expect(shows).toHaveText('Show the batch (done · 1 in the conflict queue)');
  await shows.click();
  await expect(page.getByTestId('batch-view')).toContainText('Newer batch');
  await expect(page.getByTestId('batch-group').locator('li')).toContainText(ids[6]!);
});
