// A batch from the UI: all 200 tasks of the sandbox, while someone else changes the priority of 5
// of them between the batch's read and its write. The 5 land in the conflict queue as one group,
// settled with one decision; the server ends with every task changed. Screenshots light and dark.
import { expect, test } from '../support/fixtures';
import { Backend, callApi } from '../support/backend';

const SCREENS = 'test-results/screens';

test('runs a batch over 200 tasks and settles a conflict group with one decision', async ({
  desk,
  host,
  page,
}) => {
  test.setTimeout(180_000);
  const backend = await Backend.of(host);
  const connection = backend.connection('TaskRouter');
  const all = await callApi<{ ids: string[] }>(host, 'countMatching', {
    connectionId: connection.id,
  });
  expect(all.ids).toHaveLength(200);
  const workspace = connection.params['workspaceSid'];
  const taskPath = (sid: string) => `/taskrouter/v1/Workspaces/${workspace}/Tasks/${sid}`;
  // Five tasks whose write the sandbox holds for 600 ms: time for "someone else" to come in between.
  const contested = all.ids.filter((_, i) => i % 40 === 5);
  for (const sid of contested) {
    await fetch(`${backend.sandboxUrl}/_sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        kind: 'delay',
        method: 'POST',
        pathPrefix: taskPath(sid),
        delayMs: 600,
      }),
    });
  }

  await desk.goto();
  await desk.selectConnection('TaskRouter');
  await page.getByTestId('batch-all').click();
  const view = page.getByTestId('batch-view');
  await expect(view.getByTestId('batch-scope')).toContainText('All 200 matching');
  await view.getByLabel('Change 1: path').fill('/priority');
  await view.getByLabel('Change 1: value').fill('7');
  await view.getByRole('button', { name: '+ Add a change' }).click();
  await view.getByLabel('Change 2: kind').selectOption('add-element');
  await view.getByLabel('Change 2: path').fill('/attributes/skills');
  await view.getByLabel('Change 2: value').fill('vip-care');
  await view.getByRole('button', { name: 'Preview on 3 resources' }).click();
  await expect(view.getByTestId('batch-previews')).toContainText('/priority');
  await page.screenshot({ path: `${SCREENS}/batch-form-light.png` });

  // The other writer watches the audit (a write is recorded in flight before it leaves) and strikes.
  const interfere = (async () => {
    const pending = new Set(contested);
    const deadline = Date.now() + 120_000;
    while (pending.size > 0 && Date.now() < deadline) {
      const audit = await callApi<{ entries: Array<{ state: string; resourceId: string }> }>(
        host,
        'auditLog',
        {},
      );
      for (const entry of audit.entries.filter(
        (e) => e.state === 'in-flight' && pending.has(e.resourceId),
      )) {
        pending.delete(entry.resourceId);
        await backend.editAsSomeoneElse(taskPath(entry.resourceId), undefined, { priority: 2 });
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  await view.getByTestId('batch-run').click();
  await interfere;
  await expect(view.getByTestId('batch-progress-text')).toContainText('200 of 200', {
    timeout: 120_000,
  });
  await expect(view.getByTestId('batch-progress-text')).toContainText('Done');
  await expect(view.getByTestId('batch-count-queued')).toHaveText('5 in the conflict queue');
  const group = view.getByTestId('batch-group');
  await expect(group).toHaveCount(1);
  await expect(group).toContainText('/priority · 5 resources');
  await page.screenshot({ path: `${SCREENS}/batch-queue-light.png` });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: `${SCREENS}/batch-queue-dark.png` });
  await page.emulateMedia({ colorScheme: 'light' });

  // One of them in the three-way view: the batch's change on the revision it read, against Server now.
  await group.getByText('Show the 5 resources').click();
  await group.getByRole('button', { name: 'Open in the three-way view' }).first().click();
  await expect(page.getByTestId('merge-view')).toBeVisible();
  await expect(page.getByTestId('conflict-counter')).toContainText('1 conflict');
  await page.screenshot({ path: `${SCREENS}/batch-three-way-light.png` });
  // Back to the batch (command palette) and one decision for the whole group.
  await page.keyboard.press('Control+K');
  await page.keyboard.type('Show the batch');
  await page.keyboard.press('Enter');
  await expect(view.getByTestId('batch-group')).toHaveCount(1);
  await view
    .getByTestId('batch-group')
    .getByRole('button', { name: 'Keep mine for /priority on all 5' })
    .click();
  await expect(view.getByTestId('batch-group')).toHaveCount(0);
  await expect(view.getByTestId('batch-count-queued')).toHaveCount(0);
  await view.getByRole('button', { name: 'Close' }).click();

  // The batch is in the history of each resource it touched.
  // (Alt+H acts on the active tab: the new one must be open first, or the key goes to the last.)
  await desk.openResource(all.ids[0]!);
  await page.keyboard.press('Alt+H');
  await expect(page.getByTestId('history-batches')).toContainText('Changed by a batch');

  // What the server holds: every task changed, the skill added once.
  const auth = `Basic ${Buffer.from(`${connection.auth.username}:${await sandboxSecret(backend.sandboxUrl)}`).toString('base64')}`;
  for (const sid of all.ids) {
    const task = (await (
      await fetch(`${backend.sandboxUrl}${taskPath(sid)}`, { headers: { authorization: auth } })
    ).json()) as { priority: number; attributes: string };
    expect(task.priority, sid).toBe(7);
    expect(
      (JSON.parse(task.attributes) as { skills: string[] }).skills.filter((s) => s === 'vip-care'),
      sid,
    ).toHaveLength(1);
  }
});

/** The sandbox's Twilio auth token, from its admin API (it hands out its credentials for tests). */
async function sandboxSecret(sandboxUrl: string): Promise<string> {
  const info = (await (await fetch(`${sandboxUrl}/_sandbox`)).json()) as {
    credentials: { twilio: { authToken: string } };
  };
  return info.credentials.twilio.authToken;
}

test('the keyboard ticks rows for a batch: Space ticks without opening, the batch takes exactly the ticked ones', async ({
  desk,
  page,
}) => {
  await desk.goto();
  await desk.selectConnection('TaskRouter');
  const rows = page.getByTestId('resource-row');
  await rows.first().focus();
  await page.keyboard.press('Space');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Space');
  await expect(page.locator('[data-testid="resource-row"][aria-pressed="true"]')).toHaveCount(2);
  // Space ticks; it does not open the resource.
  await expect(page.getByTestId('editor')).toHaveCount(0);
  await page.getByTestId('batch-selected').click();
  await expect(page.getByTestId('batch-scope')).toContainText('2 selected');
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'Untick all' }).click();
  await expect(page.locator('[data-testid="resource-row"][aria-pressed="true"]')).toHaveCount(0);
});
