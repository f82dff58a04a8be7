// A large document (past the size the editor parses at every key press): typing is checked once the
// operator pauses, and the check is as strict as for a small one. Whether typing stays free of long
// tasks is measured by `npm run bench -- ui`, not here.
import { bigDocument } from '../../bench/documents';
import { Backend } from '../support/backend';
import { expect, test } from '../support/fixtures';

test('a 400 KB document: a typo is reported after a pause and blocks saving; undoing it clears it', async ({
  desk,
  pageProblems,
}) => {
  const backend = await Backend.of(desk.host);
  const doc = bigDocument(400 * 1024, 'large-typo');
  doc['subject'] = 'Large typo ticket';
  const created = await fetch(`${backend.sandboxUrl}/rest/tickets`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(doc),
  });
  expect(created.status).toBe(201);
  await desk.goto();
  await desk.selectConnection('tickets');
  await desk.page.getByTestId('search').fill('Large typo');
  await desk.openResource('large-typo');
  const editor = desk.page.getByTestId('editor');
  await editor.locator('.view-lines').click();
  await desk.page.keyboard.press('ControlOrMeta+Home');
  // Line 2 is `  "subject": "Large typo ticket",`: a stray character after its comma.
  await desk.page.keyboard.press('ArrowDown');
  await desk.page.keyboard.press('End');
  await desk.page.keyboard.type(' oops');
  const error = desk.page.getByTestId('json-error');
  await expect(error).toContainText('line 2');
  await expect(desk.saveButton).toBeDisabled();
  for (let i = 0; i < 5; i++) await desk.page.keyboard.press('Backspace');
  await expect(error).toHaveCount(0);
  await expect(desk.page.getByTestId('dirty-state')).toHaveText('No changes');
  expect(pageProblems).toEqual([]);
});
