// Keyboard only: focus is never dropped on the page (a dialog closed, a view switched, a tab
// closed), the merge's Alt keys act on the conflict the keyboard is on, and every control the
// keyboard reaches has a name.
import { SANDBOX_IDS } from '../../sandbox/index';
import { startJsonServer } from '../../electron/test-support/json-server';
import { Backend, callApi } from '../support/backend';
import type { DeskPage } from '../support/desk-page';
import { expect, test, type Page } from '../support/fixtures';

const TASK_SID = SANDBOX_IDS.taskSid;
const TASK_PATH = `/taskrouter/v1/Workspaces/${SANDBOX_IDS.workspaceSid}/Tasks/${TASK_SID}`;

/** Where the keyboard is: `body` when focus was dropped. */
const focusedTag = (page: Page) =>
  page.evaluate(() => {
    const el = (
      globalThis as unknown as { document: { activeElement: { tagName: string } | null } }
    ).document.activeElement;
    return el ? el.tagName.toLowerCase() : 'none';
  });

const editorFocused = (desk: DeskPage, testId: string) =>
  expect(desk.page.getByTestId(testId).locator('.monaco-editor')).toHaveClass(/\bfocused\b/);

/** A merge with three conflicts: tier, language and priority, each changed on both sides. */
async function threeConflicts(desk: DeskPage): Promise<void> {
  const backend = await Backend.of(desk.host);
  await desk.openFromList('TaskRouter', TASK_SID);
  type TaskDoc = { attributes: Record<string, unknown> & { customer: Record<string, unknown> } };
  const doc = (await backend.document('TaskRouter', TASK_SID)) as TaskDoc & Record<string, unknown>;
  doc['priority'] = 42;
  doc.attributes.customer['tier'] = 'gold';
  doc.attributes['language'] = 'de';
  await desk.replaceText('editor', JSON.stringify(doc, null, 2));
  await backend.editAsSomeoneElse(
    TASK_PATH,
    { customer: { tier: 'silver' }, language: 'es' },
    { priority: 3 },
  );
  await desk.page.keyboard.press('ControlOrMeta+S');
  await expect(desk.conflictCounter).toHaveText('3 conflicts remaining');
}

test('a dialog closed with Escape gives the keyboard back to where it was', async ({
  desk,
  pageProblems,
}) => {
  await desk.openFromList('Sync documents', SANDBOX_IDS.documentSid);
  await desk.page.getByTestId('editor').locator('.view-lines').click();
  await editorFocused(desk, 'editor');
  await desk.page.keyboard.press('ControlOrMeta+K');
  await expect(desk.page.getByTestId('palette')).toBeVisible();
  await desk.page.keyboard.press('Escape');
  await expect(desk.page.getByTestId('palette')).toBeHidden();
  await editorFocused(desk, 'editor');
  await desk.page.keyboard.press('F1');
  await expect(desk.page.getByTestId('shortcuts')).toBeVisible();
  await desk.page.keyboard.press('Escape');
  await expect(desk.page.getByTestId('shortcuts')).toBeHidden();
  await editorFocused(desk, 'editor');

  const manage = desk.page.getByRole('button', { name: 'Manage…' });
  await manage.focus();
  await desk.page.keyboard.press('Enter');
  await expect(desk.page.getByTestId('connections-dialog')).toBeVisible();
  await desk.page.keyboard.press('Escape');
  await expect(desk.page.getByTestId('connections-dialog')).toBeHidden();
  await expect(manage).toBeFocused();

  // The app's own question (Restore revision…): Escape answers "no" and returns to the button.
  await desk.page.keyboard.press('Alt+H');
  await expect(desk.page.getByTestId('history-entry')).toHaveCount(1);
  const restore = desk.page.getByTestId('restore-revision');
  await restore.focus();
  await desk.page.keyboard.press('Enter');
  await expect(desk.page.getByTestId('question')).toBeVisible();
  await desk.page.keyboard.press('Escape');
  await expect(desk.page.getByTestId('question')).toBeHidden();
  await expect(restore).toBeFocused();

  // A palette command that moves the keyboard itself still gets to.
  await desk.page.keyboard.press('ControlOrMeta+K');
  await desk.page.keyboard.type('Search resources');
  await desk.page.keyboard.press('Enter');
  await expect(desk.page.getByTestId('search')).toBeFocused();
  expect(pageProblems).toEqual([]);
});

test('Alt+T / M / O settle the conflict whose card has the keyboard, not another one', async ({
  desk,
  pageProblems,
}) => {
  await threeConflicts(desk);
  // The operator Tabs to the priority card (the third); the first conflict is the merge's focus.
  await desk.conflictCard('/priority').getByRole('button', { name: 'Take server’s' }).focus();
  await desk.page.keyboard.press('Alt+T');
  await expect(desk.conflictCard('/priority').getByTestId('conflict-choice')).toContainText(
    "Took the server's",
  );
  await expect(desk.conflictCard('/attributes/customer/tier')).toContainText('Needs a decision');
  await expect(desk.conflictCard('/attributes/language')).toContainText('Needs a decision');
  await expect(desk.conflictCounter).toHaveText('2 conflicts remaining');
  // On a settled card, the keys change that card's decision.
  await desk.conflictCard('/priority').getByRole('button', { name: 'Take mine' }).focus();
  await desk.page.keyboard.press('Alt+M');
  await expect(desk.conflictCard('/priority').getByTestId('conflict-choice')).toContainText(
    'Took mine',
  );
  await expect(desk.conflictCounter).toHaveText('2 conflicts remaining');
  expect(pageProblems).toEqual([]);
});

test('Edit… puts the keyboard in the value; Escape cancels back to Edit…; Use this value settles it', async ({
  desk,
  pageProblems,
}) => {
  await threeConflicts(desk);
  const card = desk.conflictCard('/attributes/language');
  const edit = card.getByRole('button', { name: 'Edit…' });
  await edit.focus();
  await desk.page.keyboard.press('Enter');
  const value = card.getByRole('textbox', { name: /Value for/ });
  await expect(value).toBeFocused();
  await desk.page.keyboard.press('Escape');
  await expect(value).toBeHidden();
  await expect(edit).toBeFocused();
  await desk.page.keyboard.press('Enter');
  await expect(value).toBeFocused();
  await desk.page.keyboard.press('ControlOrMeta+A');
  await desk.page.keyboard.type('"fr-CA"');
  await desk.page.keyboard.press('Tab');
  await desk.page.keyboard.press('Enter'); // Use this value
  await expect(card.getByTestId('value-custom')).toHaveText('"fr-CA"');
  await editorFocused(desk, 'result-editor');
  expect(pageProblems).toEqual([]);
});

test('switching views and closing tabs keeps the keyboard on the page’s work, never on nothing', async ({
  desk,
  pageProblems,
}) => {
  const backend = await Backend.of(desk.host);
  await desk.openFromList('TaskRouter', TASK_SID);
  await backend.editAsSomeoneElse(TASK_PATH, { language: 'es' });
  await desk.page.getByTestId('editor').locator('.view-lines').click();
  await desk.page.keyboard.press('Alt+R');
  await expect(desk.page.getByTestId('revision')).toContainText('1');
  await desk.page.keyboard.press('Alt+H');
  await expect(desk.page.getByTestId('history-entry')).toHaveCount(2);
  await expect.poll(() => focusedTag(desk.page)).not.toBe('body');
  await expect(desk.page.getByTestId('history-view').locator(':focus')).toHaveCount(1);
  await desk.page.keyboard.press('Alt+E');
  await editorFocused(desk, 'editor');
  // Restore revision 0 with the keyboard: the restored edit has the keyboard.
  await desk.page.keyboard.press('Alt+H');
  await expect(desk.page.getByTestId('history-entry')).toHaveCount(2);
  await desk.page.getByTestId('restore-revision').focus();
  await desk.page.keyboard.press('Enter');
  await desk.page.getByTestId('question-confirm').focus();
  await desk.page.keyboard.press('Enter');
  await expect(desk.page.getByTestId('dirty-state')).toContainText('Unsaved changes');
  await editorFocused(desk, 'editor');
  // A second tab, opened from the list; then the first one closed with its × from the keyboard.
  await desk.page.keyboard.press('Alt+L');
  await expect(desk.row(TASK_SID)).toBeFocused();
  await desk.page.keyboard.press('ArrowDown');
  await desk.page.keyboard.press('Enter');
  await expect(desk.page.getByTestId('tab')).toHaveCount(2);
  await editorFocused(desk, 'editor');
  const first = await desk.page.getByTestId('tab').first().innerText();
  await desk.page.getByRole('button', { name: `Close ${first.replace(/^●\s*/, '')}` }).focus();
  await desk.page.keyboard.press('Enter');
  await expect(desk.page.getByTestId('tab')).toHaveCount(1);
  await expect(desk.page.getByRole('tab', { selected: true })).toBeFocused();
  // Closing the last tab: the keyboard goes back to the list.
  await desk.page.keyboard.press('Alt+W');
  await expect(desk.page.getByTestId('tab')).toHaveCount(0);
  await expect(desk.page.getByTestId('resource-row').and(desk.page.locator(':focus'))).toHaveCount(
    1,
  );
  expect(pageProblems).toEqual([]);
});

test('every control in the merge and history views has a name', async ({ desk, pageProblems }) => {
  await threeConflicts(desk);
  await expect(desk.page.getByRole('button', { name: /Previous open conflict/ })).toBeVisible();
  await expect(desk.page.getByRole('button', { name: /Next open conflict/ })).toBeVisible();
  const labels = (testId: string) =>
    desk.page
      .getByTestId(testId)
      .getByRole('textbox')
      .evaluateAll((els) =>
        els.map((el) =>
          (el as unknown as { getAttribute(n: string): string }).getAttribute('aria-label'),
        ),
      );
  await desk.page.getByTestId('show-base').check();
  await expect(desk.page.getByTestId('diff-theirs')).toBeVisible();
  const merged = await labels('diff-theirs');
  expect(merged).toContain('Server now, compared with when you opened it');
  await desk.page.keyboard.press('Alt+H');
  await expect(desk.page.getByTestId('history-diff')).toBeVisible();
  const names = await labels('history-diff');
  expect(names.length).toBeGreaterThan(0);
  for (const name of [...merged, ...names]) expect(name).not.toContain('undefined');
  for (const name of names) expect(name).toMatch(/^Revision \d+, compared (from|to)$/);
  expect(pageProblems).toEqual([]);
});

test('at 1280×720 the merge shows two panes until “Show Your edit” is ticked', async ({
  desk,
  pageProblems,
}) => {
  await desk.page.setViewportSize({ width: 1280, height: 720 });
  await threeConflicts(desk);
  const mine = desk.page.getByTestId('pane-mine');
  const theirs = desk.page.getByTestId('pane-theirs');
  await expect(desk.page.getByTestId('show-mine')).not.toBeChecked();
  await expect(mine).toBeHidden();
  // Server now has the panes' whole height, as the Result beside it does.
  const [t, r] = [
    await theirs.boundingBox(),
    await desk.page.getByTestId('pane-result').boundingBox(),
  ];
  expect(Math.abs(t!.height - r!.height)).toBeLessThan(2);
  await desk.page.getByTestId('show-mine').check();
  await expect(mine).toBeVisible();
  expect(pageProblems).toEqual([]);
});

test('history at 1280×720: a revision seen twice shows both times in full', async ({
  desk,
  pageProblems,
}) => {
  const backend = await Backend.of(desk.host);
  await desk.page.setViewportSize({ width: 1280, height: 720 });
  await desk.openFromList('TaskRouter', TASK_SID);
  await backend.editAsSomeoneElse(TASK_PATH, { language: 'es' });
  await desk.page.keyboard.press('Alt+R');
  await expect(desk.page.getByTestId('revision')).toContainText('1');
  // Seen again a second later: the card says when it was first and last seen.
  await desk.page.waitForTimeout(1100);
  // The history is read when it opens: the second read must be journalled first (on a busy
  // machine Alt+H could otherwise overtake it).
  const readAgain = desk.page.waitForResponse((r) => r.url().endsWith('/api/refreshResource'));
  await desk.page.keyboard.press('Alt+R');
  await readAgain;
  await desk.page.keyboard.press('Alt+H');
  const card = desk.page.locator('[data-testid="history-entry"][data-revision="1"]');
  await expect(card).toContainText('last seen');
  // Its text fits its box (nothing runs past the timeline's edge, where it is cut off).
  const overflow = await card.getByText(/last seen/).evaluate((el) => {
    const e = el as unknown as { scrollWidth: number; clientWidth: number };
    return e.scrollWidth - e.clientWidth;
  });
  expect(overflow).toBeLessThanOrEqual(0);
  expect(pageProblems).toEqual([]);
});

test('the shortcut sheet and the merge say how Tab leaves an editor, and that way works', async ({
  desk,
  pageProblems,
}) => {
  await threeConflicts(desk);
  await desk.page.keyboard.press('F1');
  const sheet = desk.page.getByTestId('shortcuts');
  await expect(sheet.getByRole('row').filter({ hasText: 'Ctrl+M' })).toContainText(
    'Tab moves the keyboard on',
  );
  // Each key is listed once (the merge's Alt+1/2/3/0 had a second row of their own).
  for (const key of ['Alt+1', 'Alt+2', 'Alt+3', 'Alt+0'])
    await expect(sheet.locator('kbd').getByText(key, { exact: true })).toHaveCount(1);
  await desk.page.keyboard.press('Escape');
  await editorFocused(desk, 'result-editor');
  await expect(desk.page.getByTestId('merge-view')).toContainText('Ctrl+M, then Tab');
  await desk.page.keyboard.press('Control+M');
  await desk.page.keyboard.press('Tab');
  await expect(desk.page.getByTestId('result-editor').locator('.monaco-editor')).not.toHaveClass(
    /\bfocused\b/,
  );
  expect(await focusedTag(desk.page)).not.toBe('body');
  expect(pageProblems).toEqual([]);
});

test('batch edit from the keyboard: two rows ticked with Space, and Preview says it previews those two', async ({
  desk,
  pageProblems,
}) => {
  await desk.goto();
  await desk.selectConnection('TaskRouter');
  await desk.page.keyboard.press('Alt+L');
  await desk.page.keyboard.press('Space');
  await desk.page.keyboard.press('ArrowDown');
  await desk.page.keyboard.press('Space');
  const open = desk.page.getByTestId('batch-selected');
  await expect(open).toHaveText('Batch edit 2 ticked');
  await open.focus();
  await desk.page.keyboard.press('Enter');
  const dialog = desk.page.getByTestId('batch-view');
  await expect(dialog.getByTestId('batch-scope')).toContainText('2 selected');
  await expect(dialog.getByRole('button', { name: /^Preview on/ })).toHaveText(
    'Preview on 2 resources',
  );
  await desk.page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(open).toBeFocused();
  expect(pageProblems).toEqual([]);
});

test('F7 brings the conflict in focus into view in the list of cards, at 1280×720', async ({
  desk,
  pageProblems,
}) => {
  await desk.page.setViewportSize({ width: 1280, height: 720 });
  await threeConflicts(desk);
  const priority = desk.conflictCard('/priority');
  await expect(priority).not.toBeInViewport({ ratio: 0.9 });
  await desk.page.keyboard.press('F7');
  await desk.page.keyboard.press('F7');
  await expect(priority).toHaveClass(/\bfocused\b/);
  await expect(priority).toBeInViewport({ ratio: 0.9 });
  await editorFocused(desk, 'result-editor');
  expect(pageProblems).toEqual([]);
});

test('the palette tells a screen reader which command the arrow keys selected', async ({
  desk,
  pageProblems,
}) => {
  await desk.goto();
  await desk.page.keyboard.press('ControlOrMeta+K');
  const input = desk.page.getByRole('combobox', { name: 'Command' });
  await expect(input).toBeFocused();
  const selected = async () => {
    const id = await input.getAttribute('aria-activedescendant');
    expect(id).toBeTruthy();
    const option = desk.page.locator(`[id="${id}"]`);
    await expect(option).toHaveAttribute('aria-selected', 'true');
    return option.innerText();
  };
  const first = await selected();
  await desk.page.keyboard.press('ArrowDown');
  const second = await selected();
  expect(second).not.toBe(first);
  expect(pageProblems).toEqual([]);
});

test('Ctrl+S on a resource with no revision asks the same question as its Save button, and saves only on yes', async ({
  desk,
  pageProblems,
}) => {
  // A server that sends no ETag: the app cannot guard the write, so saving is a deliberate choice.
  const plain = await startJsonServer({
    'GET /things': { body: '{"items":[{"id":"1","name":"no etag here"}],"total":1}' },
    'GET /things/1': { body: '{"id":"1","name":"no etag here"}' },
    'PUT /things/1': { body: '{"id":"1","name":"renamed"}' },
  });
  try {
    await callApi(desk.host, 'saveConnection', {
      connection: {
        name: 'Plain API',
        profileId: 'rest-etag',
        baseUrl: plain.url,
        params: { collection: 'things' },
        auth: { kind: 'none' },
      },
    });
    await desk.openFromList('Plain API', '1');
    await expect(desk.page.getByTestId('save-unconditional')).toBeVisible();
    await desk.replaceText('editor', '{\n  "name": "renamed"\n}');
    await desk.page.keyboard.press('ControlOrMeta+S');
    const question = desk.page.getByTestId('question');
    await expect(question).toContainText('Save without a precondition?');
    await desk.page.keyboard.press('Escape');
    await expect(question).toBeHidden();
    await editorFocused(desk, 'editor');
    expect(plain.requests.filter((r) => r.method === 'PUT')).toHaveLength(0);
    await desk.page.keyboard.press('ControlOrMeta+S');
    await desk.page.getByTestId('question-confirm').focus();
    await desk.page.keyboard.press('Enter');
    await expect.poll(() => plain.requests.filter((r) => r.method === 'PUT').length).toBe(1);
    expect(plain.requests.find((r) => r.method === 'PUT')!.headers['if-match']).toBeUndefined();
  } finally {
    await plain.close();
  }
  expect(pageProblems).toEqual([]);
});

test('a tab with unsaved work whose draft cannot be kept is not closed without asking, and says so', async ({
  desk,
  pageProblems,
}) => {
  await desk.openFromList('Sync documents', SANDBOX_IDS.documentSid);
  await desk.page.getByTestId('editor').locator('.view-lines').click();
  await desk.page.keyboard.press('ControlOrMeta+Home');
  await desk.page.keyboard.press('End');
  await desk.page.keyboard.press('Enter');
  // The backend stops answering draft writes (the host is unreachable for them).
  await desk.page.route('**/api/saveDraft', (route) => route.abort('connectionrefused'));
  await desk.page.keyboard.type('"typedBeforeClose": 1,');
  await desk.page.keyboard.press('Alt+W');
  // Closing would lose the edit: the app asks, Cancel has the focus, Escape keeps the tab.
  const question = desk.page.getByTestId('question');
  await expect(question).toContainText('and lose your edit?');
  await expect(desk.page.getByTestId('question-cancel')).toBeFocused();
  await desk.page.keyboard.press('Escape');
  await expect(question).toBeHidden();
  await expect(desk.message).toContainText('Your draft could not be kept');
  // In words an operator can act on, not the browser's "Failed to fetch".
  await expect(desk.message).toContainText(
    'the app’s host could not be reached (is the terminal that started it, npm start, still running?)',
  );
  await expect(desk.page.getByTestId('tab')).toHaveCount(1);
  await expect(desk.visibleText('editor')).toContainText('"typedBeforeClose": 1');
  // Once the backend takes drafts again, closing keeps the edit as a draft, as it says.
  await desk.page.unroute('**/api/saveDraft');
  await desk.page.keyboard.press('Alt+W');
  await expect(desk.page.getByTestId('tab')).toHaveCount(0);
  const connectionId = (await Backend.of(desk.host)).connection('Sync documents').id;
  const drafts = await callApi<{ drafts: Array<{ id: string; text: string }> }>(
    desk.host,
    'listDrafts',
    { connectionId },
  );
  expect(drafts.drafts.map((d) => d.id)).toContain(SANDBOX_IDS.documentSid);
  expect(pageProblems.filter((p) => !p.includes('ERR_CONNECTION_REFUSED'))).toEqual([]);
});

test('Undo on a decision keeps the keyboard on that card, which is open again', async ({
  desk,
  pageProblems,
}) => {
  await threeConflicts(desk);
  const card = desk.conflictCard('/attributes/language');
  await card.getByRole('button', { name: 'Take mine' }).focus();
  await desk.page.keyboard.press('Enter');
  await expect(card.getByTestId('conflict-choice')).toContainText('Took mine');
  const undo = card.getByRole('button', { name: 'Undo the decision for attributes › language' });
  await undo.focus();
  await desk.page.keyboard.press('Enter');
  await expect(card).toContainText('Needs a decision');
  await expect(card.getByRole('button', { name: 'Take server’s' })).toBeFocused();
  // And the keys now settle this card.
  await desk.page.keyboard.press('Alt+T');
  await expect(card.getByTestId('conflict-choice')).toContainText("Took the server's");
  expect(pageProblems).toEqual([]);
});

test('Ctrl+Z in the Result after a decision: the card says the result no longer holds it', async ({
  desk,
  pageProblems,
}) => {
  await threeConflicts(desk);
  const choice = desk.conflictCard('/priority').getByTestId('conflict-choice');
  await desk.conflictCard('/priority').getByRole('button', { name: 'Take server’s' }).focus();
  await desk.page.keyboard.press('Alt+T');
  await expect(choice).toHaveText(/^Took the server's/);
  // The operator goes into the Result and undoes there: the decision's text is gone from it.
  await desk.page.getByTestId('result-editor').locator('.view-lines').click();
  await desk.page.keyboard.press('ControlOrMeta+Z');
  await expect(desk.page.getByTestId('pane-result')).toContainText('edited by hand');
  await expect(choice).toContainText("Took the server's, since changed in the Result");
  // Redone: the result holds the server's value again, and the card says only that.
  await desk.page.keyboard.press('ControlOrMeta+Shift+Z');
  await expect(choice).toHaveText(/^Took the server's Undo$/);
  expect(pageProblems).toEqual([]);
});

test('a message dismissed from the keyboard hands it back to the editor', async ({
  desk,
  pageProblems,
}) => {
  const backend = await Backend.of(desk.host);
  await desk.openFromList('Sync documents', SANDBOX_IDS.documentSid);
  const doc = await backend.document('Sync documents', SANDBOX_IDS.documentSid);
  await desk.replaceText('editor', JSON.stringify({ ...doc, theme: 'green' }, null, 2));
  await desk.page.keyboard.press('ControlOrMeta+S');
  await expect(desk.message).toContainText('Saved as revision');
  await desk.page.getByTestId('message').getByRole('button', { name: 'Dismiss' }).focus();
  await desk.page.keyboard.press('Enter');
  await expect(desk.page.getByTestId('message')).toBeHidden();
  await editorFocused(desk, 'editor');
  expect(pageProblems).toEqual([]);
});

test('closing a tab with unsaved work says the edit is kept as a draft, and where to find it', async ({
  desk,
  pageProblems,
}) => {
  await desk.openFromList('Sync documents', SANDBOX_IDS.documentSid);
  await desk.page.getByTestId('editor').locator('.view-lines').click();
  await desk.page.keyboard.press('ControlOrMeta+Home');
  await desk.page.keyboard.press('End');
  await desk.page.keyboard.press('Enter');
  await desk.page.keyboard.type('"typedBeforeClose": 1,');
  await desk.page.keyboard.press('Alt+W');
  await expect(desk.page.getByTestId('tab')).toHaveCount(0);
  await expect(desk.page.getByTestId('toast')).toContainText(
    'Your unsaved edit is kept as a draft: open it again from the list to go on.',
  );
  await expect(desk.row(SANDBOX_IDS.documentSid)).toContainText('unsaved edit');
  // Opened again, the edit is there.
  await desk.page.keyboard.press('Enter');
  await expect(desk.visibleText('editor')).toContainText('"typedBeforeClose": 1');
  expect(pageProblems).toEqual([]);
});

/** A Sync document and a task open in two tabs, the task's selected. */
async function twoTabsOpen(desk: DeskPage) {
  await desk.openFromList('Sync documents', SANDBOX_IDS.documentSid);
  await desk.selectConnection('TaskRouter');
  await desk.openResource(TASK_SID);
  const tabs = desk.page.getByRole('tab');
  await expect(tabs).toHaveCount(2);
  return { tabs, panel: desk.page.getByRole('tabpanel') };
}

test('the tab strip is one Tab stop: arrow keys, Home and End move between tabs and show each', async ({
  desk,
  pageProblems,
}) => {
  const { tabs, panel } = await twoTabsOpen(desk);
  const shows = async (index: number) => {
    await expect(tabs.nth(index)).toBeFocused();
    await expect(tabs.nth(index)).toHaveAttribute('aria-selected', 'true');
    await expect(panel).toHaveAccessibleName(await tabs.nth(index).innerText());
  };
  await tabs.nth(1).focus();
  await desk.page.keyboard.press('ArrowLeft');
  await shows(0);
  await desk.page.keyboard.press('ArrowLeft');
  await shows(1);
  await desk.page.keyboard.press('Home');
  await shows(0);
  await desk.page.keyboard.press('End');
  await shows(1);
  await desk.page.keyboard.press('ArrowRight');
  await shows(0);
  // Tab leaves through the selected tab's own ×; Shift+Tab leaves the strip, past the other tab.
  const closeButtons = desk.page.getByRole('button', { name: /^Close / });
  await desk.page.keyboard.press('Tab');
  await expect(closeButtons.nth(0)).toBeFocused();
  await desk.page.keyboard.press('Shift+Tab');
  await expect(tabs.nth(0)).toBeFocused();
  await desk.page.keyboard.press('Shift+Tab');
  await expect(tabs.nth(0)).not.toBeFocused();
  await expect(tabs.nth(1)).not.toBeFocused();
  await expect(closeButtons.nth(1)).not.toBeFocused();
  expect(pageProblems).toEqual([]);
});

test('the selected tab names the panel it controls, and the panel is named by that tab', async ({
  desk,
  pageProblems,
}) => {
  const { tabs, panel } = await twoTabsOpen(desk);
  for (const index of [0, 1]) {
    await tabs.nth(index).click();
    const selected = tabs.nth(index);
    await expect(selected).toHaveAttribute('aria-selected', 'true');
    const panelId = await panel.getAttribute('id');
    expect(panelId).toBeTruthy();
    await expect(selected).toHaveAttribute('aria-controls', panelId!);
    await expect(panel).toHaveAttribute('aria-labelledby', (await selected.getAttribute('id'))!);
    // The other tab controls nothing shown: no reference to a panel that is not there.
    await expect(tabs.nth(1 - index)).not.toHaveAttribute('aria-controls', /.+/);
    // The panel's accessible name is the tab's.
    await expect(panel).toHaveAccessibleName(await selected.innerText());
  }
  expect(pageProblems).toEqual([]);
});
