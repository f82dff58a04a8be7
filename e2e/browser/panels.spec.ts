// The rest of the workspace: the server moving while editing, keyboard navigation between
// conflicts, connections with secrets, the activity panel, dark theme, and no CDN in the build.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { SANDBOX_IDS } from '../../sandbox/index';
import { Backend } from '../support/backend';
import { expect, test } from '../support/fixtures';

const TASK_SID = SANDBOX_IDS.taskSid;
const TASK_PATH = `/taskrouter/v1/Workspaces/${SANDBOX_IDS.workspaceSid}/Tasks/${TASK_SID}`;

test('a banner says the server moved, and which fields, before the operator saves', async ({
  desk,
  pageProblems,
}) => {
  const backend = await Backend.of(desk.host);
  await desk.openFromList('TaskRouter', TASK_SID);
  await backend.editAsSomeoneElse(
    TASK_PATH,
    { customer: { tier: 'platinum' } },
    { priority: 9, assignment_status: 'canceled', reason: 'duplicate' },
  );
  const banner = desk.page.getByTestId('server-moved');
  // The tab watches the resource (polling with If-None-Match); no refresh needed.
  await expect(banner).toContainText('Server changed 4 fields', { timeout: 15_000 });
  // A status change is said first, in plain words.
  await expect(banner.getByTestId('status-changed')).toContainText('"pending" → "canceled"');
  await expect(banner).toContainText('attributes › customer › tier');
  await banner.getByRole('button', { name: 'Preview' }).click();
  const fields = desk.page.getByTestId('server-moved-fields');
  await expect(fields).toContainText('"bronze"');
  await expect(fields).toContainText('"platinum"');
  await desk.screenshot('server-moved');
  await banner.getByRole('button', { name: 'Load it' }).click();
  await expect(desk.revision).toHaveText('Revision 1');
  await expect(banner).toHaveCount(0);
  expect(pageProblems).toEqual([]);
});

test('F7 and Shift+F7 move between unresolved conflicts; Alt+2 takes mine and moves on', async ({
  desk,
  pageProblems,
}) => {
  const backend = await Backend.of(desk.host);
  await desk.openFromList('TaskRouter', TASK_SID);
  const doc = (await backend.document('TaskRouter', TASK_SID)) as {
    priority: number;
    attributes: { customer: Record<string, unknown> };
  };
  doc.priority = 11;
  doc.attributes.customer['tier'] = 'gold';
  await desk.replaceText('editor', JSON.stringify(doc, null, 2));
  await backend.editAsSomeoneElse(TASK_PATH, { customer: { tier: 'silver' } }, { priority: 3 });
  // The draft written when the conflict appears (the first to hold a merge), awaited below.
  const mergeDraft = desk.page.waitForResponse(
    (response) =>
      response.url().includes('/api/saveDraft') &&
      !(response.request().postData() ?? '"merge":null').includes('"merge":null'),
  );
  await desk.saveButton.click();
  await expect(desk.conflictCounter).toHaveText('2 conflicts remaining');
  const focused = desk.page.locator('[data-testid="conflict-card"].focused');
  const first = await focused.getAttribute('data-path');
  await desk.page.getByTestId('result-editor').locator('.view-lines').click();
  // Moving the focus keeps nothing new, so the draft (the whole document) is not sent again; a
  // decision is.
  await mergeDraft;
  const draftWrites: string[] = [];
  desk.page.on('request', (request) => {
    if (request.url().includes('/api/saveDraft')) draftWrites.push(request.url());
  });
  await desk.page.keyboard.press('F7');
  await expect(focused).not.toHaveAttribute('data-path', first!);
  await desk.page.keyboard.press('Shift+F7');
  await expect(focused).toHaveAttribute('data-path', first!);
  await desk.page.waitForTimeout(1_000);
  expect(draftWrites).toEqual([]);
  await desk.page.keyboard.press('Alt+2');
  await expect(desk.conflictCounter).toHaveText('1 conflict remaining');
  await expect.poll(() => draftWrites.length).toBe(1);
  await expect(desk.conflictCard(first!).getByTestId('conflict-choice')).toContainText('Took mine');
  // Focus stayed in the result editor: the next key acts on the next conflict.
  await desk.page.keyboard.press('Alt+1');
  await expect(desk.conflictCounter).toHaveText('All conflicts settled');
  expect(pageProblems).toEqual([]);
});

test('connections: add one with a secret, which is never shown again; test it', async ({
  desk,
  pageProblems,
}) => {
  const backend = await Backend.of(desk.host);
  await desk.goto();
  await desk.page.getByRole('button', { name: 'Manage…' }).click();
  const dialog = desk.page.getByTestId('connections-dialog');
  await dialog.getByRole('button', { name: '+ New connection' }).click();
  await dialog.getByTestId('conn-name').fill('Staging users');
  await dialog.getByTestId('conn-profile').selectOption('body-version');
  await dialog.getByTestId('conn-url').fill(`${backend.sandboxUrl}/genesys`);
  await dialog.getByLabel('Authentication').selectOption('bearer');
  await dialog.getByTestId('conn-secret').fill('sandbox-genesys-token');
  await dialog.getByTestId('conn-save').click();
  await expect(dialog.getByTestId('conn-status')).toContainText('Saved');
  await expect(dialog.getByTestId('conn-secret')).toHaveValue('');
  await expect(dialog.getByTestId('conn-secret')).toHaveAttribute(
    'placeholder',
    'Saved — leave empty to keep it',
  );
  await dialog.getByTestId('conn-test').click();
  await expect(dialog.getByTestId('conn-status')).toContainText('Connected in');
  // Test checks what is typed, before it is saved: a wrong token fails, the saved one is untouched.
  await dialog.getByTestId('conn-secret').fill('not-the-token');
  await dialog.getByTestId('conn-test').click();
  await expect(dialog.getByTestId('conn-status')).toContainText('401');
  await dialog.getByTestId('conn-secret').fill('');
  await dialog.getByTestId('conn-test').click();
  await expect(dialog.getByTestId('conn-status')).toContainText('Connected in');
  await desk.screenshot('connections');
  const html = await desk.page.content();
  expect(html).not.toContain('sandbox-genesys-token');
  // Escape with unsaved form edits asks first; declining keeps the dialog and the text.
  await dialog.getByTestId('conn-name').fill('Staging users (renamed)');
  await desk.page.keyboard.press('Escape');
  await expect(desk.page.getByTestId('question')).toContainText('not saved');
  await desk.page.getByTestId('question-cancel').click();
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId('conn-name')).toHaveValue('Staging users (renamed)');
  await desk.page.keyboard.press('Escape');
  await desk.page.getByTestId('question-confirm').click();
  await expect(dialog).toBeHidden();
  expect(pageProblems).toEqual([]);
});

test('the activity panel lists HTTP exchanges with status, If-Match and ETag', async ({
  desk,
  pageProblems,
}) => {
  await desk.goto();
  await desk.selectConnection('Sync documents');
  await desk.page.getByTestId('resource-row').first().click();
  await desk.page.getByTestId('toggle-activity').click();
  const rows = desk.page.getByTestId('activity-row');
  await expect(rows.first()).toBeVisible();
  await expect(desk.page.getByTestId('activity-panel')).toContainText('GET');
  await expect(desk.page.getByTestId('activity-panel')).toContainText('/sync/v1/Services/');
  expect(pageProblems).toEqual([]);
});

test('the command palette takes typing at once', async ({ desk, pageProblems }) => {
  await desk.openFromList('TaskRouter', TASK_SID);
  await desk.page.keyboard.press('ControlOrMeta+K');
  await desk.page.keyboard.type('hist');
  const options = desk.page.getByTestId('palette').getByRole('option');
  await expect(options).toHaveCount(1);
  await desk.page.keyboard.press('Enter');
  await expect(desk.page.getByTestId('history-view')).toBeVisible();
  expect(pageProblems).toEqual([]);
});

test('follows a dark OS theme', async ({ desk, page, pageProblems }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await desk.openFromList('TaskRouter', TASK_SID);
  const background = await page.evaluate('getComputedStyle(document.body).backgroundColor');
  expect(background).toBe('rgb(30, 30, 30)');
  await expect(page.locator('.monaco-editor.vs-dark')).toBeVisible();
  await desk.screenshot('editor-dark');
  expect(pageProblems).toEqual([]);
});

test('the built renderer references no CDN and bundles Monaco with only the JSON language', () => {
  const dir = path.resolve('out/renderer/assets');
  const files = readdirSync(dir).filter(
    (f) => f.endsWith('.js') || f.endsWith('.css') || f.endsWith('.html'),
  );
  const text =
    files.map((f) => readFileSync(path.join(dir, f), 'utf8')).join('\n') +
    readFileSync(path.resolve('out/renderer/index.html'), 'utf8');
  for (const cdn of ['cdn.jsdelivr.net', 'unpkg.com', 'cdnjs.cloudflare.com', 'esm.sh'])
    expect(text).not.toContain(cdn);
  expect(files.some((f) => f.startsWith('json.worker'))).toBe(true);
  expect(files.some((f) => f.startsWith('editor.worker'))).toBe(true);
  for (const language of ['ts.worker', 'css.worker', 'html.worker'])
    expect(files.some((f) => f.startsWith(language))).toBe(false);
});

test('typing while a save is under way is kept on top of the saved revision', async ({
  desk,
  pageProblems,
}) => {
  const backend = await Backend.of(desk.host);
  await desk.openFromList('TaskRouter', TASK_SID);
  const doc = (await backend.document('TaskRouter', TASK_SID)) as { priority: number };
  doc.priority = 21;
  await desk.replaceText('editor', JSON.stringify(doc, null, 2));
  // The save's answer is held until the operator has typed on: however slow the machine, the
  // typing lands while the save is under way (a delay on the server raced it).
  let release = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  await desk.page.route('**/api/saveResource', async (route) => {
    const answer = await route.fetch();
    await released;
    await route.fulfill({ response: answer });
  });
  await desk.saveButton.click();
  await expect(desk.saveButton).toHaveText('Saving…');
  const later = { ...doc, priority: 22 };
  await desk.replaceText('editor', JSON.stringify(later, null, 2));
  await expect(desk.saveButton).toHaveText('Saving…');
  release();
  await expect(desk.message).toContainText('What you typed meanwhile is kept as an unsaved edit');
  await expect(desk.revision).toHaveText('Revision 1');
  await expect(desk.page.getByTestId('dirty-state')).toContainText('Unsaved changes');
  await expect(desk.visibleText('editor')).toContainText('"priority": 22');
  expect((await backend.serverHistory(TASK_PATH)).at(-1)!.body['priority']).toBe(21);
  expect(pageProblems).toEqual([]);
});

test('a backend that goes away during a save does not leave the tab stuck', async ({ desk }) => {
  const backend = await Backend.of(desk.host);
  await desk.openFromList('TaskRouter', TASK_SID);
  const doc = (await backend.document('TaskRouter', TASK_SID)) as { priority: number };
  doc.priority = 31;
  await desk.replaceText('editor', JSON.stringify(doc, null, 2));
  await backend.fault({ kind: 'delay', method: 'POST', pathPrefix: TASK_PATH, delayMs: 3000 });
  await desk.saveButton.click();
  await expect(desk.saveButton).toHaveText('Saving…');
  await desk.host.stop();
  await expect(desk.message).toContainText('not known whether it reached the server');
  await expect(desk.saveButton).toHaveText('Save');
  await expect(desk.saveButton).toBeEnabled();
  await expect(desk.visibleText('editor')).toContainText('"priority": 31');
});

test('a history on show lists the revision the watch notices, and keeps the pair compared', async ({
  desk,
  pageProblems,
}) => {
  const backend = await Backend.of(desk.host);
  await desk.openFromList('TaskRouter', TASK_SID);
  // An edit under way: the tab stays on revision 0 when the server moves.
  await desk.page.getByTestId('editor').locator('.view-lines').click();
  await desk.page.keyboard.press('ControlOrMeta+End');
  await desk.page.keyboard.type(' ');
  await desk.page.keyboard.press('Alt+H');
  const entries = desk.page.getByTestId('history-entry');
  await expect(entries).toHaveCount(1);
  await backend.editAsSomeoneElse(TASK_PATH, { language: 'es' });
  // Listed without leaving the history: the watch's read was journalled while it was on show.
  await expect(desk.page.locator('[data-testid="history-entry"][data-revision="1"]')).toContainText(
    'noticed while open',
    { timeout: 15_000 },
  );
  await expect(entries).toHaveCount(2);
  // The pair on show did not move under the operator: revision 0 against itself.
  const left = desk.page.locator(
    '[data-testid="history-entry"][data-revision="0"] input[name="left"]',
  );
  await expect(left).toBeChecked();
  await expect(
    desk.page.locator('[data-testid="history-entry"][data-revision="0"] input[name="right"]'),
  ).toBeChecked();
  expect(pageProblems).toEqual([]);
});

test('a history on show is not read again at each poll of the watch; the radio the operator is on keeps the keyboard', async ({
  desk,
  pageProblems,
}) => {
  const backend = await Backend.of(desk.host);
  await desk.openFromList('TaskRouter', TASK_SID);
  await desk.page.getByTestId('editor').locator('.view-lines').click();
  await desk.page.keyboard.press('Alt+H');
  const card = desk.page.locator('[data-testid="history-entry"][data-revision="0"]');
  await expect(card).toHaveCount(1);
  const reads: string[] = [];
  desk.page.on('request', (request) => {
    if (new URL(request.url()).pathname === '/api/history') reads.push(request.url());
  });
  // Two polls of the watch find revision 0 again: its card says when it was last seen, later
  // each time, without the history being read again (one read per poll was a reload storm).
  await expect(card).toContainText('last seen', { timeout: 15_000 });
  const seen = await card.textContent();
  await expect.poll(() => card.textContent(), { timeout: 15_000 }).not.toBe(seen);
  expect(reads).toEqual([]);
  // A new revision is still listed at once, and the keyboard stays on the radio it was on.
  const from = card.locator('input[name="left"]');
  await from.focus();
  await backend.editAsSomeoneElse(TASK_PATH, { language: 'es' });
  await expect(desk.page.getByTestId('history-entry')).toHaveCount(2, { timeout: 15_000 });
  await expect(from).toBeFocused();
  expect(reads.length).toBeGreaterThan(0);
  expect(pageProblems).toEqual([]);
});

test('Refresh after the watch saw a change loads it, rather than saying "up to date"', async ({
  desk,
  pageProblems,
}) => {
  const backend = await Backend.of(desk.host);
  await desk.openFromList('TaskRouter', TASK_SID);
  await backend.editAsSomeoneElse(TASK_PATH, { vip: true });
  await expect(desk.page.getByTestId('server-moved')).toBeVisible({ timeout: 15_000 });
  await desk.page.getByRole('button', { name: 'Refresh' }).click();
  await expect(desk.message).toHaveText('Refreshed to revision 1.');
  await expect(desk.revision).toHaveText('Revision 1');
  await expect(desk.page.getByTestId('server-moved')).toHaveCount(0);
  expect(pageProblems).toEqual([]);
});

test('loading the server’s revision changes one emoji into another of the same block whole', async ({
  desk,
  pageProblems,
}) => {
  const backend = await Backend.of(desk.host);
  // 😀 and 😁 share their first UTF-16 half: the stretch that differs starts inside the pair.
  await backend.editAsSomeoneElse(TASK_PATH, { mood: 'calm 😀' });
  await desk.openFromList('TaskRouter', TASK_SID);
  await expect(desk.visibleText('editor')).toContainText('calm 😀');
  await backend.editAsSomeoneElse(TASK_PATH, { mood: 'calm 😁' });
  const banner = desk.page.getByTestId('server-moved');
  await expect(banner).toBeVisible({ timeout: 15_000 });
  await banner.getByRole('button', { name: 'Load it' }).click();
  await expect(banner).toHaveCount(0);
  await expect(desk.visibleText('editor')).toContainText('"calm 😁"');
  expect(pageProblems).toEqual([]);
});
