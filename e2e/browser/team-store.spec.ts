// The team store in a real browser: bob's browser-mode host and alice's copy (a second host with
// its own data directory) share one real PostgreSQL and one sandbox. Bob sees alice on the list
// row and in the editor, her save moves his editor's banner, and history says who saved what.
import { SANDBOX_IDS } from '../../sandbox/index';
import type { ResourceRef } from '../../shared/api/types';
import { startPostgres, type TestPostgres } from '../../electron/test-support/postgres';
import { spawnTeamHost, type ChildHost } from '../../electron/test-support/team-host';
import { DeskPage } from '../support/desk-page';
import { expect, test } from '../support/fixtures';
import { removeDataDir, startWebHost, type WebHost } from '../support/web-host';

const TASK_SID = SANDBOX_IDS.taskSid;

let db: TestPostgres;
let bobHost: WebHost;
let alice: ChildHost;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  db = await startPostgres();
  bobHost = await startWebHost({ extraArgs: ['--team-store', db.url, '--operator', 'bob'] });
  const info = (await (
    await fetch(`${bobHost.origin}/api/appInfo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-conflict-desk-token': bobHost.apiToken },
      body: '{}',
    })
  ).json()) as { sandboxUrl: string };
  alice = await spawnTeamHost({
    sandboxUrl: info.sandboxUrl,
    teamStore: db.url,
    operator: 'alice',
  });
});

test.afterAll(async () => {
  await alice?.stop();
  await bobHost?.stop();
  if (bobHost) removeDataDir(bobHost.dataDir);
  db?.close();
});

async function aliceSaves(ref: ResourceRef, priority: number) {
  const opened = await alice.api.openResource({ ref });
  if (opened.kind !== 'ok') throw new Error(opened.message);
  const doc = JSON.parse(opened.snapshot.text) as Record<string, unknown>;
  doc['priority'] = priority;
  const saved = await alice.api.saveResource({
    ref,
    text: JSON.stringify(doc, null, 2),
    baseJournalId: opened.snapshot.journalId,
  });
  expect(saved.kind).toBe('saved');
}

test('presence on the list row and in the editor, a teammate’s save at once, history with attribution', async ({
  page,
  context,
  pageProblems,
}) => {
  // Eight screenshots and a presence's expiry (up to 25 s) on a loaded 2-core machine.
  test.setTimeout(90_000);
  const desk = new DeskPage(page, bobHost);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: bobHost.origin });
  const taskConnection = (await alice.api.listConnections({})).find((c) =>
    c.name.includes('TaskRouter'),
  )!;
  const ref = { connectionId: taskConnection.id, id: TASK_SID };
  await aliceSaves(ref, 7);
  // Alice has had the task open with unsaved changes for two minutes.
  await alice.api.announcePresence({
    open: [{ ref, editingSince: new Date(Date.now() - 125_000).toISOString() }],
  });

  await desk.goto();
  await expect(page.getByTestId('team-state')).toContainText('bob · connected');
  await desk.selectConnection('TaskRouter');
  await expect(desk.row(TASK_SID).getByTestId('presence-chip')).toHaveText('alice · editing');
  await expect(desk.row(TASK_SID).getByTestId('presence-chip')).toHaveAttribute(
    'title',
    'alice has this task open · editing for 2 min',
  );
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await desk.screenshot(`team-presence-list-${scheme}`);
  }
  await page.emulateMedia({ colorScheme: 'light' });

  await desk.openResource(TASK_SID);
  await expect(page.getByTestId('presence-banner')).toHaveText(
    'alice has this task open · editing for 2 min',
  );
  // Alice saves while bob looks at it: his editor says the server moved, without waiting for a poll.
  const before = Date.now();
  await aliceSaves(ref, 8);
  await expect(page.getByTestId('server-moved')).toBeVisible();
  console.log(`[team-store e2e] server-moved banner ${Date.now() - before} ms after alice's save`);
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await desk.screenshot(`team-presence-editor-${scheme}`);
  }
  await page.emulateMedia({ colorScheme: 'light' });

  // History: both of alice's saves attributed to her; the seeded revision came from outside the team.
  await page.getByTestId('open-history').click();
  const entries = page.getByTestId('history-entry');
  await expect(
    entries.getByTestId('attribution').filter({ hasText: 'saved by alice' }),
  ).toHaveCount(2);
  await expect(
    entries.getByTestId('attribution').filter({ hasText: 'from outside the team' }),
  ).toHaveCount(1);
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await desk.screenshot(`team-history-${scheme}`);
  }
  await page.emulateMedia({ colorScheme: 'light' });

  // Alice leaves (killed): her presence expires from bob's list.
  await alice.kill9();
  await page
    .getByTestId('history-view')
    .getByRole('button', { name: /Back to editor/ })
    .click();
  // A presence outlives its last announce by 9 s, and bob's copy learns of it at its next read.
  await expect(page.getByTestId('presence-banner')).toHaveCount(0, { timeout: 25_000 });
  await expect(desk.row(TASK_SID).getByTestId('presence-chip')).toHaveCount(0);

  await page.getByTestId('team-store-button').click();
  await expect(page.getByTestId('audit-table')).toContainText('alice');
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: `test-results/screens/team-audit-${scheme}.png` });
  }
  expect(pageProblems).toEqual([]);
});
