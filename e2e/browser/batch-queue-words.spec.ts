// A queue group with no path in conflict (the server changed elsewhere at every try) is named by
// why it waits, and its one decision says what it does; settled, the server holds both changes.
import { expect, test } from '../support/fixtures';
import { queuedBatch, taskRouterTasks } from '../support/queued-batch';

test('a group queued because the server kept moving says so, and one decision settles it', async ({
  desk,
  host,
  page,
}) => {
  const { backend, ids } = await taskRouterTasks(host);
  const sid = ids[3]!;
  // One try only: the colleague's change elsewhere leaves the target queued as "kept moving".
  await queuedBatch(host, sid, {
    value: 9,
    maxAttempts: 1,
    colleague: { patch: { note: 'colleague' } },
  });

  await desk.goto();
  await page.getByTestId('batch-show').click();
  const group = page.getByTestId('batch-group');
  await expect(group.locator('h4')).toHaveText(
    'The server changed again at every try · 1 resource',
  );
  await expect(group).not.toContainText('kept moving');
  await group.getByRole('button', { name: 'Try my change again on all 1' }).click();
  await expect(page.getByTestId('batch-group')).toHaveCount(0);
  await expect(page.getByTestId('batch-count-reapplied')).toHaveText(
    '1 re-applied after a conflict',
  );
  const now = await backend.document('TaskRouter', sid);
  expect(now['priority']).toBe(9);
  expect((now['attributes'] as Record<string, unknown>)['note']).toBe('colleague');
});
