// A batch the host was killed in the middle of, with two resources in its conflict queue: after the
// restart the page finds it again, every figure it shows is the server's and the report's, the run
// is resumed, and the queue is settled with one decision. Screenshot light.
import { expect, test } from '../support/fixtures';
import { Backend, callApi } from '../support/backend';
import { DeskPage } from '../support/desk-page';
import { startWebHost } from '../support/web-host';

const SCREENS = 'test-results/screens';
type Summary = { state: string; total: number; writesSent: number; counts: Record<string, number> };

test('after a host restart mid-run the batch, its queue and its figures are there to resume and settle', async ({
  host,
  page,
}) => {
  test.setTimeout(120_000);
  const backend = await Backend.of(host);
  const connection = backend.connection('TaskRouter');
  const workspace = connection.params['workspaceSid'];
  const taskPath = (sid: string) => `/taskrouter/v1/Workspaces/${workspace}/Tasks/${sid}`;
  const all = await callApi<{ ids: string[] }>(host, 'countMatching', {
    connectionId: connection.id,
  });
  const ids = all.ids.slice(0, 8);
  const [c1, c2, , , slow] = ids as [string, string, string, string, string];
  const gone = ids[7]!;
  const slowBefore = (await backend.document('TaskRouter', slow))['priority'];
  // The last one is deleted by a colleague between the selection and the run.
  const info = (await (await fetch(`${backend.sandboxUrl}/_sandbox`)).json()) as {
    credentials: { twilio: { authToken: string } };
  };
  const auth = `Basic ${Buffer.from(`${connection.auth.username}:${info.credentials.twilio.authToken}`).toString('base64')}`;
  expect(
    (
      await fetch(`${backend.sandboxUrl}${taskPath(gone)}`, {
        method: 'DELETE',
        headers: { authorization: auth },
      })
    ).status,
  ).toBe(204);
  // Two writes held long enough for a colleague to change /priority in between; the fifth held
  // 15 s, so the host is killed while it is in flight.
  for (const sid of [c1, c2])
    await backend.fault({ kind: 'delay', method: 'POST', pathPrefix: taskPath(sid), delayMs: 500 });
  await backend.fault({
    kind: 'delay',
    method: 'POST',
    pathPrefix: taskPath(slow),
    delayMs: 15_000,
  });
  const started = await callApi<{ batch: Summary & { batchId: string } }>(host, 'startBatch', {
    connectionId: connection.id,
    resourceIds: ids,
    intents: [{ kind: 'set', path: '/priority', value: 7 }],
    concurrency: 1,
  });
  const batchId = started.batch.batchId;
  const contested = new Set([c1, c2]);
  while (contested.size > 0) {
    const audit = await callApi<{ entries: Array<{ state: string; resourceId: string }> }>(
      host,
      'auditLog',
      {},
    );
    for (const e of audit.entries)
      if (e.state === 'in-flight' && contested.delete(e.resourceId))
        await backend.editAsSomeoneElse(taskPath(e.resourceId), undefined, { priority: 2 });
    await new Promise((r) => setTimeout(r, 20));
  }
  // Killed once the slow write has left (the sandbox consumed its fault).
  await expect
    .poll(
      async () =>
        (
          (await (await fetch(`${backend.sandboxUrl}/_sandbox/faults`)).json()) as {
            faults: unknown[];
          }
        ).faults.length,
      { timeout: 30_000 },
    )
    .toBe(0);
  host.process.kill('SIGKILL');
  await new Promise((r) => host.process.once('exit', r));
  const restarted = await startWebHost({ dataDir: host.dataDir });
  try {
    const desk = new DeskPage(page, restarted);
    await desk.goto();
    const status = async () =>
      (await callApi<{ batch: Summary }>(restarted, 'batchStatus', { batchId })).batch;
    const before = await status();
    expect(before).toMatchObject({ state: 'interrupted', total: 8 });
    expect(before.counts['queued']).toBe(2);
    expect(before.counts['unknown']).toBe(1);

    // The way back, and what it says: the backend's own figures.
    const show = page.getByTestId('batch-show');
    await expect(show).toHaveText(
      'Show the batch (interrupted by a restart · 2 in the conflict queue)',
    );
    await show.click();
    const view = page.getByTestId('batch-view');
    await expect(view.getByTestId('batch-scope')).toContainText(
      '8 resources · Sandbox · TaskRouter tasks',
    );
    const settled = 8 - before.counts['pending']! - before.counts['running']!;
    await expect(view.getByTestId('batch-progress-text')).toHaveText(
      `${settled} of 8 · ${Math.round((settled / 8) * 100)}% · Interrupted (the app stopped) — resume to continue`,
    );
    await expect(view.getByTestId('batch-count-queued')).toHaveText('2 in the conflict queue');
    await expect(view.getByTestId('batch-count-unknown')).toHaveText('1 outcome unknown');
    await expect(view.getByText(`${before.writesSent} writes sent`)).toBeVisible();
    const group = view.getByTestId('batch-group');
    await expect(group).toHaveCount(1);
    await expect(group).toContainText('/priority · 2 resources');
    await page.screenshot({ path: `${SCREENS}/batch-after-restart-light.png` });

    await view.getByRole('button', { name: 'Resume' }).click();
    await expect(view.getByTestId('batch-progress-text')).toContainText('8 of 8 · 100% · Done');
    const after = await status();
    expect(after.counts).toMatchObject({ applied: 4, queued: 2, unknown: 1, failed: 1 });
    await expect(view.getByTestId('batch-count-applied')).toHaveText('4 applied');
    await expect(view.getByTestId('batch-count-failed')).toHaveText('1 failed');
    // Which ones, and why, without exporting the report.
    const attention = view.getByTestId('batch-attention');
    await expect(attention.locator('li')).toHaveCount(2);
    // The write left in flight was checked at the restart: the row says what the server holds.
    const unknownRow = attention.locator('li', { hasText: slow });
    await expect(unknownRow).toContainText(
      'outcome unknown Conflict Desk stopped while this write was in flight, so its answer was never read. Nothing was resent.',
    );
    await expect(unknownRow).toContainText('The server still holds revision');
    await expect(attention.locator('li', { hasText: gone })).toContainText(
      `failed Reading it failed: There is no resource "${gone}" on the server (404).`,
    );
    await page.screenshot({ path: `${SCREENS}/batch-after-resume-light.png` });

    await group.getByRole('button', { name: 'Keep mine for /priority on all 2' }).click();
    await expect(view.getByTestId('batch-group')).toHaveCount(0);
    await expect(view.getByTestId('batch-count-reapplied')).toHaveText(
      '2 re-applied after a conflict',
    );
    const end = await status();
    const c = end.counts;
    expect(
      c['applied']! + c['reapplied']! + c['queued']! + c['failed']! + c['skipped']! + c['unknown']!,
    ).toBe(8);
    // What the server holds: every target at 7 but the one whose outcome is unknown: the sandbox
    // runs in the killed host, so that write never landed — and the batch never claimed it did.
    const now = await Backend.of(restarted);
    for (const sid of ids.filter((sid) => sid !== gone))
      expect((await now.document('TaskRouter', sid))['priority'], sid).toBe(
        sid === slow ? slowBefore : 7,
      );
    const report = await callApi<{
      targets: Array<{ resourceId: string; status: string; sent: boolean }>;
    }>(restarted, 'batchReport', { batchId });
    expect(report.targets.find((t) => t.resourceId === slow)).toMatchObject({
      status: 'unknown',
      sent: true,
    });
  } finally {
    await restarted.stop();
  }
});
