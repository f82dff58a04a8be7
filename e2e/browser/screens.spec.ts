// Screenshots, light and dark, of the screens the operator's flow changed: an unknown outcome and
// the pending list, a conflict after a lost answer, the merge view's colours, an overwrite's
// confirmation. Each state is asserted before it is photographed (test-results/screens/*.png).
import { SANDBOX_IDS } from '../../sandbox/index';
import { Backend } from '../support/backend';
import { expect, test } from '../support/fixtures';

const TASK_SID = SANDBOX_IDS.taskSid;
const TASK_PATH = `/taskrouter/v1/Workspaces/${SANDBOX_IDS.workspaceSid}/Tasks/${TASK_SID}`;
const DOC_PATH = `/sync/v1/Services/${SANDBOX_IDS.syncServiceSid}/Documents/agent-settings`;
const DOC_WRITES = `/sync/v1/Services/${SANDBOX_IDS.syncServiceSid}/Documents/`;

test('screens: unknown outcome, pending outcomes, conflict after a lost answer', async ({
  desk,
}) => {
  const backend = await Backend.of(desk.host);
  await desk.openFromList('Sync documents', SANDBOX_IDS.documentSid);
  const doc = await backend.document('Sync documents', SANDBOX_IDS.documentSid);
  await desk.replaceText('editor', JSON.stringify({ ...doc, theme: 'green' }, null, 2));
  await backend.fault({ kind: 'close-after', method: 'POST', pathPrefix: DOC_WRITES });
  await desk.saveButton.click();
  await expect(desk.page.getByTestId('unknown-outcome')).toHaveAttribute('data-holds', 'your-edit');
  await desk.screenshots('unknown-outcome');
  await desk.page.getByTestId('toggle-activity').click();
  await expect(desk.page.getByTestId('pending-outcome')).toHaveCount(1);
  await desk.screenshots('pending-outcomes');
  await desk.page.getByTestId('toggle-activity').click();
  await desk.page.getByTestId('dismiss-outcome').click();
  await expect(desk.page.getByTestId('unknown-outcome')).toBeHidden();

  // The next save's answer is lost before the write applies, and a colleague changes the field.
  await desk.page.getByRole('button', { name: 'Refresh' }).click();
  await desk.replaceText('editor', JSON.stringify({ ...doc, theme: 'solarized' }, null, 2));
  await backend.fault({ kind: 'close-before', method: 'POST', pathPrefix: DOC_WRITES });
  await backend.editAsSomeoneElse(DOC_PATH, { theme: 'light' });
  await desk.saveButton.click();
  await expect(desk.page.getByTestId('after-lost-answer')).toBeVisible();
  await desk.screenshots('conflict-after-lost-answer');
});

test('screens: the merge view’s colours, an undecided conflict, and an overwrite’s confirmation', async ({
  desk,
}) => {
  const backend = await Backend.of(desk.host);
  await desk.openFromList('TaskRouter', TASK_SID);
  type TaskDoc = {
    attributes: { customer: Record<string, unknown> } & Record<string, unknown>;
    priority: number;
  };
  const doc = (await backend.document('TaskRouter', TASK_SID)) as TaskDoc;
  doc.priority = 42;
  doc.attributes.customer['tier'] = 'gold';
  await desk.replaceText('editor', JSON.stringify(doc, null, 2));
  await backend.editAsSomeoneElse(TASK_PATH, { customer: { tier: 'silver' }, language: 'es' });
  await desk.saveButton.click();
  await expect(desk.conflictCounter).toHaveText('1 conflict remaining');
  await expect(desk.page.getByTestId('pane-result').locator('.undecided-note')).toHaveCount(1);
  await expect(desk.page.getByTestId('pane-theirs').locator('.auto-theirs').first()).toBeVisible();
  await desk.screenshots('merge-undecided');
  await desk.page.getByRole('button', { name: 'Overwrite with mine…' }).click();
  await expect(desk.page.getByTestId('question-items')).toContainText('language');
  await desk.screenshots('overwrite-confirm');
  await desk.page.getByTestId('question-cancel').click();
  await desk.page.keyboard.press('Alt+M');
  await expect(desk.conflictCounter).toHaveText('All conflicts settled');
  await desk.screenshots('merge-settled');
});
