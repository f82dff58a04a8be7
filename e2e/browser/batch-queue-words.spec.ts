// A queue group with no path in conflict (the server changed elsewhere at every try) is named by
// why it waits, and its one decision says what it does; settled, the server holds both changes.
import { expect, test } from '../support/fixtures';
import { Backend, callApi } from '../support/backend';

test('a group queued because the server kept moving says so, and one decision settles it', async ({
  desk,
  host,
  page,
}) => {
  const backend = await Backend.of(host);
  const connection = backend.connection('TaskRouter');
  const workspace = connection.params['workspaceSid'];
  const taskPath = (sid: string) => `/taskrouter/v1/Workspaces/${workspace}/Tasks/${sid}`;
  const all = await callApi<{ ids: string[] }>(host, 'countMatching', {
    connectionId: connection.id,
  });
  const sid = all.ids[3]!;
  await backend.fault({ kind: 'delay', method: 'POST', pathPrefix: taskPath(sid), delayMs: 500 });
  // One try only: the colleague's change elsewhere leaves the target queued as "kept moving".
  const started = await callApi<{ batch: { batchId: string } }>(host, 'startBatch', {
    connectionId: connection.id,
    resourceIds: [sid],
    intents: [{ kind: 'set', path: '/priority', value: 9 }],
    maxAttempts: 1,
  });
  for (let struck = false; !struck;) {
    const audit = await callApi<{ entries: Array<{ state: string; resourceId: string }> }>(
      host,
      'auditLog',
      {},
    );
    if (audit.entries.some((e) => e.state === 'in-flight' && e.resourceId === sid)) {
      await backend.editAsSomeoneElse(taskPath(sid), { note: 'colleague' });
      struck = true;
    } else await new Promise((r) => setTimeout(r, 20));
  }
  await expect
    .poll(
      async () =>
        (
          await callApi<{ batch: { state: string; counts: Record<string, number> } }>(
            host,
            'batchStatus',
            { batchId: started.batch.batchId },
          )
        ).batch.counts['queued'],
    )
    .toBe(1);

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
