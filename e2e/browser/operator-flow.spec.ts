// The operator's flow with the keyboard only, nothing typed lost on a reload, app shortcuts that
// leave the editors alone, the one merge (UI and backend agree), and outcomes a save cannot prove.
import { SANDBOX_IDS } from '../../sandbox/index';
import { merge3 } from '../../shared/json';
import { TWILIO_SYNC_DOCUMENT } from '../../shared/profiles/built-in';
import { Backend, callApi } from '../support/backend';
import { expect, test, type Page } from '../support/fixtures';

const TASK_SID = SANDBOX_IDS.taskSid;
const TASK_PATH = `/taskrouter/v1/Workspaces/${SANDBOX_IDS.workspaceSid}/Tasks/${TASK_SID}`;
const DOC_PATH = `/sync/v1/Services/${SANDBOX_IDS.syncServiceSid}/Documents/agent-settings`;
// Writes go to the document's SID: a fault on every document write of the service.
const DOC_WRITES = `/sync/v1/Services/${SANDBOX_IDS.syncServiceSid}/Documents/`;

/** Counts every key press, so the round trip's cost is a number the test asserts. */
function countingKeyboard(page: Page) {
  let presses = 0;
  return {
    press: async (key: string, times = 1) => {
      for (let i = 0; i < times; i++) {
        presses++;
        await page.keyboard.press(key);
      }
    },
    type: async (text: string) => {
      presses += text.length;
      await page.keyboard.type(text);
    },
    get count() {
      return presses;
    },
  };
}

const editorModelText = (page: Page, testId: string) =>
  page
    .getByTestId(testId)
    .locator('.view-lines')
    .evaluate((el) => (el as unknown as { innerText: string }).innerText.replace(/\u00a0/g, ' '));

test('keyboard only: open a task, edit, save, conflict, resolve, save — in at most 15 key presses', async ({
  desk,
  pageProblems,
}) => {
  const backend = await Backend.of(desk.host);
  await desk.goto();
  await desk.selectConnection('TaskRouter');
  const rows = desk.page.getByTestId('resource-row');
  const index = await rows.evaluateAll(
    (els, sid) =>
      els.findIndex((el) => (el as unknown as { dataset: { id: string } }).dataset.id === sid),
    TASK_SID,
  );
  expect(index).toBeGreaterThanOrEqual(0);
  // The task's document ends: "priority": N, "assignment_status", "reason", "task_channel", "}".
  const doc = (await backend.document('TaskRouter', TASK_SID)) as { priority: number };
  expect(Object.keys(doc).slice(-4)).toEqual([
    'priority',
    'assignment_status',
    'reason',
    'task_channel',
  ]);

  const keys = countingKeyboard(desk.page);
  await keys.press('Alt+L'); // to the list
  await keys.press('ArrowDown', index);
  await expect(desk.row(TASK_SID)).toBeFocused();
  await keys.press('Enter'); // opens, the editor takes the keyboard
  await expect(desk.page.getByTestId('editor').locator('.monaco-editor')).toHaveClass(
    /\bfocused\b/,
  );
  await keys.press('ControlOrMeta+End');
  // Up to the priority line (one more when the text ends with a newline).
  const text = (
    await callApi<{ snapshot: { text: string } }>(desk.host, 'openResource', {
      ref: { connectionId: backend.connection('TaskRouter').id, id: TASK_SID },
    })
  ).snapshot.text;
  await keys.press('ArrowUp', text.endsWith('\n') ? 5 : 4);
  await keys.press('End');
  await keys.press('ArrowLeft'); // before the comma
  await keys.press('Backspace');
  await keys.type('7');
  // Meanwhile a supervisor changes the priority too.
  await backend.editAsSomeoneElse(TASK_PATH, {}, { priority: 9 });
  await keys.press('ControlOrMeta+S');
  await expect(desk.mergeView).toBeVisible();
  await expect(desk.conflictCounter).toHaveText('1 conflict remaining');
  await expect(desk.page.getByTestId('result-editor').locator('.monaco-editor')).toHaveClass(
    /\bfocused\b/,
  );
  await keys.press('Alt+M'); // take mine for the conflict in focus
  await expect(desk.conflictCounter).toHaveText('All conflicts settled');
  await keys.press('ControlOrMeta+S');
  await expect(desk.message).toContainText('Saved as revision');
  const server = await backend.serverHistory(TASK_PATH);
  expect(server.at(-1)!.body['priority']).toBe(Number(String(doc.priority).slice(0, -1) + '7'));
  expect(server.at(-1)!.actor).not.toBe('colleague');
  console.log(`keyboard-only round trip: ${keys.count} key presses`);
  expect(keys.count).toBeLessThanOrEqual(15);
  expect(pageProblems).toEqual([]);
});

test('text typed 50 ms before a reload comes back, with the tab', async ({
  desk,
  pageProblems,
}) => {
  await desk.openFromList('Sync documents', SANDBOX_IDS.documentSid);
  const editor = desk.page.getByTestId('editor');
  await editor.locator('.view-lines').click();
  await desk.page.keyboard.press('ControlOrMeta+Home');
  await desk.page.keyboard.press('End');
  await desk.page.keyboard.press('Enter');
  await desk.page.keyboard.type('"typedBeforeReload": 1,');
  await desk.page.waitForTimeout(50);
  await desk.page.reload();
  await expect(desk.page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
  await expect(desk.page.getByTestId('tab')).toHaveCount(1);
  await expect(desk.visibleText('editor')).toContainText('"typedBeforeReload": 1');
  await expect(desk.page.getByTestId('dirty-state')).toContainText('Unsaved changes');
  // And it reached the backend's draft too, so a restart (not only a reload) keeps it.
  const connectionId = (await Backend.of(desk.host)).connection('Sync documents').id;
  await expect
    .poll(async () =>
      (
        await callApi<{ drafts: Array<{ id: string }> }>(desk.host, 'listDrafts', { connectionId })
      ).drafts.map((d) => d.id),
    )
    .toContain(SANDBOX_IDS.documentSid);
  expect(pageProblems).toEqual([]);
});

test('a merge decided 50 ms before a reload comes back with its decision', async ({
  desk,
  pageProblems,
}) => {
  const backend = await Backend.of(desk.host);
  await desk.openFromList('TaskRouter', TASK_SID);
  type TaskDoc = {
    attributes: { customer: Record<string, unknown> } & Record<string, unknown>;
    priority: number;
  };
  const doc = (await backend.document('TaskRouter', TASK_SID)) as TaskDoc;
  doc.priority = 12;
  doc.attributes.customer['tier'] = 'gold';
  await desk.replaceText('editor', JSON.stringify(doc, null, 2));
  await backend.editAsSomeoneElse(TASK_PATH, { customer: { tier: 'silver' } }, { priority: 2 });
  await desk.saveButton.click();
  await expect(desk.conflictCounter).toHaveText('2 conflicts remaining');
  await desk
    .conflictCard('/attributes/customer/tier')
    .getByRole('button', { name: 'Take mine' })
    .click();
  await expect(desk.conflictCounter).toHaveText('1 conflict remaining');
  await desk.page.waitForTimeout(50);
  await desk.page.reload();
  await expect(desk.page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
  await expect(desk.mergeView).toBeVisible();
  await expect(desk.conflictCounter).toHaveText('1 conflict remaining');
  await expect(
    desk.conflictCard('/attributes/customer/tier').getByTestId('conflict-choice'),
  ).toContainText('Took mine');
  // Leaving the merge for the editor keeps every decision; the way back is offered there.
  await desk.page.getByTestId('back-to-edit').click();
  await expect(desk.page.getByTestId('merge-in-progress')).toBeVisible();
  await desk.page.getByTestId('back-to-merge').click();
  await expect(
    desk.conflictCard('/attributes/customer/tier').getByTestId('conflict-choice'),
  ).toContainText('Took mine');
  expect(pageProblems).toEqual([]);
});

test('"/" and the app shortcuts typed inside every editor stay there or run the app command, never both', async ({
  desk,
  pageProblems,
}) => {
  const backend = await Backend.of(desk.host);
  await desk.openFromList('Sync documents', SANDBOX_IDS.documentSid);
  const search = desk.page.getByTestId('search');

  // The document editor: a slash is text.
  await desk.page.getByTestId('editor').locator('.view-lines').click();
  await desk.page.keyboard.press('ControlOrMeta+Home');
  await desk.page.keyboard.press('End');
  await desk.page.keyboard.press('Enter');
  await desk.page.keyboard.type('"url": "a/b/c",');
  await expect(desk.visibleText('editor')).toContainText('"url": "a/b/c"');
  await expect(search).toHaveValue('');
  await expect(desk.page.getByTestId('editor').locator('.monaco-editor')).toHaveClass(
    /\bfocused\b/,
  );
  // App shortcuts reach the app from inside Monaco, and leave the text alone.
  const before = await editorModelText(desk.page, 'editor');
  await desk.page.keyboard.press('ControlOrMeta+K');
  await expect(desk.page.getByTestId('palette')).toBeVisible();
  await desk.page.keyboard.press('Escape');
  await desk.page.getByTestId('editor').locator('.view-lines').click();
  await desk.page.keyboard.press('F1');
  await expect(desk.page.getByRole('dialog', { name: /shortcuts/i })).toBeVisible();
  await desk.page.keyboard.press('Escape');
  expect(await editorModelText(desk.page, 'editor')).toBe(before);

  // The merge's Result editor: same rules.
  await backend.editAsSomeoneElse(DOC_PATH, { theme: 'dark' });
  await desk.page.getByTestId('editor').locator('.view-lines').click();
  await desk.page.keyboard.press('ControlOrMeta+S');
  await expect(desk.mergeView).toBeVisible();
  await expect(desk.page.getByTestId('result-editor').locator('.monaco-editor')).toHaveClass(
    /\bfocused\b/,
  );
  await desk.page.keyboard.press('ControlOrMeta+End');
  await desk.page.keyboard.press('ArrowUp');
  await desk.page.keyboard.press('End');
  await desk.page.keyboard.type(' /');
  await expect(desk.visibleText('result-editor')).toContainText(' /');
  await expect(search).toHaveValue('');
  await desk.page.keyboard.press('ControlOrMeta+K');
  await expect(desk.page.getByTestId('palette')).toBeVisible();
  await desk.page.keyboard.press('Escape');
  await expect(desk.visibleText('result-editor')).not.toContainText('Command');

  // The search field itself: a slash is text there too.
  await search.click();
  await desk.page.keyboard.type('a/b');
  await expect(search).toHaveValue('a/b');
  // Outside any field, "/" goes to the search.
  await desk.page.getByTestId('conflict-counter').focus();
  await desk.page.keyboard.press('/');
  await expect(search).toBeFocused();
  expect(pageProblems).toEqual([]);
});

test('an array keyed by uuid: the merge view finds exactly the conflicts and document the backend does', async ({
  desk,
  pageProblems,
}) => {
  const backend = await Backend.of(desk.host);
  // Rows carry a `uuid` and a `name`; Sync's profile keys arrays by `name` (not `uuid`).
  const rows = [
    { uuid: 'u-1', name: 'alpha', n: 1 },
    { uuid: 'u-2', name: 'beta', n: 1 },
  ];
  await backend.editAsSomeoneElse(DOC_PATH, { rows });
  await desk.openFromList('Sync documents', SANDBOX_IDS.documentSid);
  const base = await backend.document('Sync documents', SANDBOX_IDS.documentSid);
  const mine = {
    ...base,
    rows: [
      { uuid: 'u-1', name: 'alpha', n: 2 },
      { uuid: 'u-2', name: 'beta', n: 1 },
    ],
  };
  const theirsRows = [
    { uuid: 'u-1', name: 'alpha-renamed', n: 3 },
    { uuid: 'u-2', name: 'beta', n: 1 },
  ];
  await desk.replaceText('editor', JSON.stringify(mine, null, 2));
  await backend.editAsSomeoneElse(DOC_PATH, { rows: theirsRows });
  const theirs = await backend.document('Sync documents', SANDBOX_IDS.documentSid);
  await desk.saveButton.click();
  await expect(desk.mergeView).toBeVisible();
  const expected = merge3(base as never, mine as never, theirs as never, {
    idKeys: TWILIO_SYNC_DOCUMENT.idKeys ?? [],
  });
  const n = expected.conflicts.length;
  await expect(desk.conflictCounter).toHaveText(
    n === 0 ? /No conflicts|All conflicts settled/ : `${n} conflict${n === 1 ? '' : 's'} remaining`,
  );
  await expect(desk.page.getByTestId('conflict-card')).toHaveCount(n);
  for (const c of expected.conflicts) await expect(desk.conflictCard(c.path)).toBeVisible();
  expect(pageProblems).toEqual([]);
});

test('a lost answer: the unknown outcome says what the server holds, keeps the edit, and settles on request', async ({
  desk,
  pageProblems,
}) => {
  const backend = await Backend.of(desk.host);
  await desk.openFromList('Sync documents', SANDBOX_IDS.documentSid);
  const doc = await backend.document('Sync documents', SANDBOX_IDS.documentSid);
  await desk.replaceText('editor', JSON.stringify({ ...doc, theme: 'green' }, null, 2));
  await backend.fault({ kind: 'close-after', method: 'POST', pathPrefix: DOC_WRITES });
  await desk.saveButton.click();
  const banner = desk.page.getByTestId('unknown-outcome');
  await expect(banner).toBeVisible();
  await expect(banner).toContainText('Not known whether your save was applied');
  await expect(desk.visibleText('editor')).toContainText('"theme": "green"');
  await desk.screenshot('unknown-outcome');
  await desk.page.getByTestId('toggle-activity').click();
  await expect(desk.page.getByTestId('pending-outcome')).toHaveCount(1);
  await desk.screenshot('unknown-outcome-activity');
  await desk.page.getByTestId('check-again').click();
  await expect(banner).toContainText('checked');
  await desk.page.getByTestId('accept-server').click();
  await expect(banner).toBeHidden();
  await expect(desk.page.getByTestId('pending-outcome')).toHaveCount(0);
  expect(pageProblems).toEqual([]);
});

test('a lost answer, then another writer: the merge says the earlier save may or may not have landed', async ({
  desk,
  pageProblems,
}) => {
  const backend = await Backend.of(desk.host);
  await desk.openFromList('Sync documents', SANDBOX_IDS.documentSid);
  const doc = await backend.document('Sync documents', SANDBOX_IDS.documentSid);
  await desk.replaceText('editor', JSON.stringify({ ...doc, theme: 'green' }, null, 2));
  // The write never reaches the store (closed before), and a colleague changes the same field.
  await backend.fault({ kind: 'close-before', method: 'POST', pathPrefix: DOC_WRITES });
  await backend.editAsSomeoneElse(DOC_PATH, { theme: 'light' });
  await desk.saveButton.click();
  await expect(desk.mergeView).toBeVisible();
  await expect(desk.page.getByTestId('after-lost-answer')).toContainText(
    'may have landed before that change, or never will',
  );
  await expect(desk.conflictCounter).toHaveText('1 conflict remaining');
  await desk.screenshot('after-lost-answer');
  expect(pageProblems).toEqual([]);
});

test('connections: a new Twilio connection starts with Basic credentials; a wrong secret is caught before it is saved', async ({
  desk,
  pageProblems,
}) => {
  const backend = await Backend.of(desk.host);
  await desk.goto();
  await desk.page.getByRole('button', { name: 'Manage…' }).click();
  const dialog = desk.page.getByTestId('connections-dialog');
  await dialog.getByRole('button', { name: '+ New connection' }).click();
  await dialog.getByTestId('conn-profile').selectOption('twilio-taskrouter-task');
  await expect(dialog.getByTestId('conn-auth')).toHaveValue('basic');
  await dialog.getByTestId('conn-profile').selectOption('body-version');
  await expect(dialog.getByTestId('conn-auth')).toHaveValue('none');
  // A saved connection given a wrong token: Save tries it first and refuses it, in words that say what to do.
  await dialog.getByTestId('conn-name').fill('Staging users');
  await dialog.getByTestId('conn-url').fill(`${backend.sandboxUrl}/genesys`);
  await dialog.getByTestId('conn-auth').selectOption('bearer');
  await dialog.getByTestId('conn-secret').fill('not-the-token');
  await dialog.getByTestId('conn-save').click();
  await expect(dialog.getByTestId('conn-status')).toHaveText(
    'Not saved: The server rejected the credentials (401) — check the token or password in Connections (Manage…), then try again.',
  );
  await desk.screenshot('connection-wrong-secret');
  expect(
    (await callApi<Array<{ name: string }>>(desk.host, 'listConnections', {})).map((c) => c.name),
  ).not.toContain('Staging users');
  await dialog.getByTestId('conn-secret').fill('sandbox-genesys-token');
  await dialog.getByTestId('conn-save').click();
  await expect(dialog.getByTestId('conn-status')).toContainText('Saved');
  expect(pageProblems).toEqual([]);
});

test('the server moves again while merging: a banner says so at once, and the merge is redone keeping the decisions', async ({
  desk,
  pageProblems,
}) => {
  const backend = await Backend.of(desk.host);
  await desk.openFromList('TaskRouter', TASK_SID);
  type TaskDoc = {
    attributes: { customer: Record<string, unknown> } & Record<string, unknown>;
    priority: number;
  };
  const doc = (await backend.document('TaskRouter', TASK_SID)) as TaskDoc;
  doc.priority = 12;
  doc.attributes.customer['tier'] = 'gold';
  await desk.replaceText('editor', JSON.stringify(doc, null, 2));
  await backend.editAsSomeoneElse(TASK_PATH, { customer: { tier: 'silver' } }, { priority: 2 });
  await desk.saveButton.click();
  await expect(desk.conflictCounter).toHaveText('2 conflicts remaining');
  await desk
    .conflictCard('/attributes/customer/tier')
    .getByRole('button', { name: 'Take mine' })
    .click();
  // A colleague changes another field while the operator resolves: the watch notices before any save.
  await backend.editAsSomeoneElse(TASK_PATH, { language: 'fr' });
  await expect(desk.page.getByTestId('merge-server-moved')).toBeVisible({ timeout: 15_000 });
  await desk.page.getByTestId('redo-merge').click();
  await expect(desk.page.getByTestId('merge-server-moved')).toBeHidden();
  await expect(desk.page.getByTestId('rebase-notice')).toContainText('1 of your 1 decision kept');
  await expect(desk.conflictCounter).toHaveText('1 conflict remaining');
  await expect(desk.page.getByTestId('auto-change').filter({ hasText: 'language' })).toContainText(
    '"fr"',
  );
  expect(pageProblems).toEqual([]);
});
