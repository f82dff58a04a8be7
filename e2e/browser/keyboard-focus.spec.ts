// Keyboard only: focus is never dropped on the page (a dialog closed, a view switched, a tab
// closed), the merge's Alt keys act on the conflict the keyboard is on, and every control the
// keyboard reaches has a name.
import { SANDBOX_IDS } from '../../sandbox/index';
import type { DeskPage } from '../support/desk-page';
import { expect, test } from '../support/fixtures';

const editorFocused = (desk: DeskPage, testId: string) =>
  expect(desk.page.getByTestId(testId).locator('.monaco-editor')).toHaveClass(/\bfocused\b/);

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
