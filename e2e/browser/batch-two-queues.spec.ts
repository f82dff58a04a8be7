// Two batches each left a resource in their conflict queue: both stay within reach of the list
// (the newer one used to hide the older one's queue), and each opens on its own queue.
import { expect, test } from '../support/fixtures';
import { Backend, callApi } from '../support/backend';

test('every batch with a conflict queue can be shown from the list, not only the newest', async ({
  desk,
  host,
  page,
}) => {
  test.setTimeout(60_000);
  const backend = await Backend.of(host);
  const connection = backend.connection('TaskRouter');
  const workspace = connection.params['workspaceSid'];
  const taskPath = (sid: string) => `/taskrouter/v1/Workspaces/${workspace}/Tasks/${sid}`;
  const all = await callApi<{ ids: string[] }>(host, 'countMatching', {
    connectionId: connection.id,
  });

  /** A one-task batch whose write a colleague overtakes on the same path: queued. */
  async function queuedBatch(sid: string, value: number, description: string): Promise<string> {
    // A priority neither the task nor the batch has: the colleague's write changes /priority.
    const theirs = (await backend.document('TaskRouter', sid))['priority'] === 2 ? 3 : 2;
    await backend.fault({ kind: 'delay', method: 'POST', pathPrefix: taskPath(sid), delayMs: 500 });
    const started = await callApi<{ batch: { batchId: string } }>(host, 'startBatch', {
      connectionId: connection.id,
      resourceIds: [sid],
      intents: [{ kind: 'set', path: '/priority', value }],
      description,
    });
    for (let struck = false; !struck;) {
      const audit = await callApi<{ entries: Array<{ state: string; resourceId: string }> }>(
        host,
        'auditLog',
        {},
      );
      if (audit.entries.some((e) => e.state === 'in-flight' && e.resourceId === sid)) {
        // The colleague changes the very path the batch writes.
        await backend.editAsSomeoneElse(taskPath(sid), undefined, { priority: theirs });
        struck = true;
      } else await new Promise((r) => setTimeout(r, 20));
    }
    await expect
      .poll(
        async () =>
          (
            await callApi<{ batch: { counts: Record<string, number> } }>(host, 'batchStatus', {
              batchId: started.batch.batchId,
            })
          ).batch.counts['queued'],
      )
      .toBe(1);
    return started.batch.batchId;
  }

  await queuedBatch(all.ids[5]!, 8, 'Older batch');
  await queuedBatch(all.ids[6]!, 9, 'Newer batch');

  await desk.goto();
  const shows = page.getByTestId('batch-show');
  await expect(shows).toHaveCount(2);
  await expect(shows.nth(0)).toContainText('Newer batch');
  await expect(shows.nth(1)).toContainText('Older batch');
  await expect(shows.nth(1)).toContainText('1 in the conflict queue');
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: `test-results/screens/batch-two-queues-${scheme}.png` });
  }
  await page.emulateMedia({ colorScheme: 'light' });

  // The older one opens on its own queue, and one decision settles it.
  await shows.nth(1).click();
  await expect(page.getByTestId('batch-view')).toContainText('Older batch');
  const group = page.getByTestId('batch-group');
  await expect(group).toHaveCount(1);
  await expect(group.locator('li')).toContainText(all.ids[5]!);
  await group.getByRole('button', { name: /^Keep mine for \/priority on all 1/ }).click();
  await expect(page.getByTestId('batch-group')).toHaveCount(0);
  expect((await backend.document('TaskRouter', all.ids[5]!))['priority']).toBe(8);

  // Back in the list: only the newer batch still waits, and it opens on its queue.
  await page.keyboard.press('Escape');
  await expect(shows).toHaveCount(1);
  await expect(shows).toHaveText('Show the batch (done · 1 in the conflict queue)');
  await shows.click();
  await expect(page.getByTestId('batch-view')).toContainText('Newer batch');
  await expect(page.getByTestId('batch-group').locator('li')).toContainText(all.ids[6]!);
});
