// What the operator sees when a save meets a server that does not play along: a refusal that is
// not a conflict, a colleague writing while a merge is being saved. Checked against what the
// sandbox really holds.
import { SANDBOX_IDS } from '../../sandbox/index';
import type { ConnectionView } from '../../shared/api/types';
import { Backend, callApi } from '../support/backend';
import { expect, test } from '../support/fixtures';
import { startWebHost } from '../support/web-host';

const TASK_SID = SANDBOX_IDS.taskSid;
const TASK_PATH = `/taskrouter/v1/Workspaces/${SANDBOX_IDS.workspaceSid}/Tasks/${TASK_SID}`;
const DOC_PATH = `/sync/v1/Services/${SANDBOX_IDS.syncServiceSid}/Documents/agent-settings`;
// Writes go to the document's SID: a fault on every document write of the service.
const DOC_WRITES = `/sync/v1/Services/${SANDBOX_IDS.syncServiceSid}/Documents/`;

test('a strict server that never matches its own weak ETag: Save says so plainly, keeps the edit, and opens no empty merge', async ({
  desk,
  pageProblems,
}) => {
  const backend = await Backend.of(desk.host);
  // An operator's own "Generic REST (ETag)" connection to the strict collection: its weak tags are
  // sent back as they are, and the server compares strongly.
  await callApi<{ kind: string; connection: ConnectionView }>(desk.host, 'saveConnection', {
    connection: {
      name: 'My articles',
      profileId: 'rest-etag',
      baseUrl: `${backend.sandboxUrl}/rest`,
      params: { collection: 'articles' },
      auth: { kind: 'none' },
    },
  });
  await desk.openFromList('My articles', 'article-1');
  const before = await (await fetch(`${backend.sandboxUrl}/rest/articles/article-1`)).text();
  // The editor shows the document without its id (the server keeps it; typing one is refused).
  const { id: _id, ...doc } = JSON.parse(before) as Record<string, unknown>;
  await desk.replaceText('editor', JSON.stringify({ ...doc, title: 'Mine' }, null, 2));
  await desk.saveButton.click();
  await expect(desk.message).toContainText('still holds revision W/"');
  await expect(desk.message).toContainText('weak');
  await expect(desk.message).toContainText('Nothing was written; your edit is kept.');
  await expect(desk.mergeView).toBeHidden();
  await expect(desk.visibleText('editor')).toContainText('"title": "Mine"');
  await desk.screenshot('refused-not-stale');
  expect(await (await fetch(`${backend.sandboxUrl}/rest/articles/article-1`)).text()).toBe(before);
  expect(pageProblems).toEqual([]);
});

test('a colleague writes while the merge is being saved: the merge comes back against their revision, the decision kept, and the server holds both', async ({
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
  doc.attributes.customer['tier'] = 'gold';
  await desk.replaceText('editor', JSON.stringify(doc, null, 2));
  await backend.editAsSomeoneElse(TASK_PATH, { customer: { tier: 'silver' } });
  await desk.saveButton.click();
  await expect(desk.conflictCounter).toHaveText('1 conflict remaining');
  await desk
    .conflictCard('/attributes/customer/tier')
    .getByRole('button', { name: 'Take mine' })
    .click();
  // The merge's save is held up on its way; meanwhile a colleague changes another field.
  await backend.fault({ kind: 'delay', method: 'POST', pathPrefix: TASK_PATH, delayMs: 1500 });
  await desk.saveResult.click();
  await backend.editAsSomeoneElse(TASK_PATH, { language: 'fr' });
  await expect(desk.mergeView).toBeVisible();
  await expect(desk.page.getByTestId('rebase-notice')).toContainText('decision kept', {
    timeout: 15_000,
  });
  await desk.screenshot('merge-resubmit-overtaken');
  await desk.saveResult.click();
  await expect(desk.mergeView).toBeHidden();
  await expect(desk.message).toContainText('Saved as revision');
  const history = await backend.serverHistory(TASK_PATH);
  const last = history.at(-1)!;
  const attributes = JSON.parse(String(last.body['attributes'])) as TaskDoc['attributes'];
  expect(attributes.customer['tier']).toBe('gold');
  expect(attributes['language']).toBe('fr');
  expect(history.filter((r) => r.actor !== 'colleague' && r.op !== 'create')).toHaveLength(1);
  expect(pageProblems).toEqual([]);
});

test('a lost answer, a colleague then changes another field, the operator accepts what the server holds and saves: the colleague\u2019s change stays', async ({
  desk,
  pageProblems,
}) => {
  const backend = await Backend.of(desk.host);
  await desk.openFromList('Sync documents', SANDBOX_IDS.documentSid);
  const doc = await backend.document('Sync documents', SANDBOX_IDS.documentSid);
  await desk.replaceText('editor', JSON.stringify({ ...doc, theme: 'green' }, null, 2));
  // The write lands, its answer is lost; then a colleague changes another field.
  await backend.fault({ kind: 'close-after', method: 'POST', pathPrefix: DOC_WRITES });
  await desk.saveButton.click();
  const banner = desk.page.getByTestId('unknown-outcome');
  await expect(banner).toBeVisible();
  await backend.editAsSomeoneElse(DOC_PATH, { maxConcurrentTasks: 9 });
  await desk.page.getByTestId('check-again').click();
  await expect(banner).toHaveAttribute('data-holds', 'your-edit');
  await desk.page.getByTestId('accept-server').click();
  await expect(banner).toBeHidden();
  await desk.screenshot('accepted-after-colleague');
  // Whatever the tab offers now, saving it must not put the colleague's field back.
  if (await desk.saveButton.isEnabled()) {
    await desk.saveButton.click();
    await expect(desk.page.getByText('Saving…')).toHaveCount(0);
    await desk.screenshot('accepted-after-colleague-saved');
  }
  await expect
    .poll(async () => (await backend.serverHistory(DOC_PATH)).at(-1)!.body['data'])
    .toMatchObject({ theme: 'green', maxConcurrentTasks: 9 });
  expect(pageProblems).toEqual([]);
});

test('a merge settled entirely the server\u2019s way needs no write: saving it shows the server\u2019s revision, not "nothing to save"', async ({
  desk,
  pageProblems,
}) => {
  const backend = await Backend.of(desk.host);
  await desk.openFromList('TaskRouter', TASK_SID);
  const doc = (await backend.document('TaskRouter', TASK_SID)) as { priority: number };
  await desk.replaceText('editor', JSON.stringify({ ...doc, priority: 12 }, null, 2));
  await backend.editAsSomeoneElse(TASK_PATH, {}, { priority: 2 });
  await desk.saveButton.click();
  await expect(desk.conflictCounter).toHaveText('1 conflict remaining');
  await desk.conflictCard('/priority').getByRole('button', { name: 'Take server’s' }).click();
  const writesBefore = (await backend.serverHistory(TASK_PATH)).length;
  await desk.saveResult.click();
  await expect(desk.mergeView).toBeHidden();
  await expect(desk.message).toContainText(
    'Nothing to write: the result is exactly what the server holds (revision 1)',
  );
  await expect(desk.visibleText('editor')).toContainText('"priority": 2');
  await expect(desk.saveButton).toBeDisabled();
  // The merge kept as a draft goes too: nothing is waiting on this resource.
  await expect(desk.row(TASK_SID)).not.toContainText('merge pending');
  await desk.screenshot('merge-matches-server');
  expect((await backend.serverHistory(TASK_PATH)).length).toBe(writesBefore);
  expect(pageProblems).toEqual([]);
});

test('the host is killed while a merge is being saved: after the restart the merge and the unknown outcome are both there, and the merge saves once', async ({
  desk,
  pageProblems,
}) => {
  const backend = await Backend.of(desk.host);
  await desk.openFromList('TaskRouter', TASK_SID);
  const doc = (await backend.document('TaskRouter', TASK_SID)) as { priority: number };
  await desk.replaceText('editor', JSON.stringify({ ...doc, priority: 12 }, null, 2));
  await backend.editAsSomeoneElse(TASK_PATH, {}, { priority: 2 });
  await desk.saveButton.click();
  await expect(desk.conflictCounter).toHaveText('1 conflict remaining');
  await desk.conflictCard('/priority').getByRole('button', { name: 'Take mine' }).click();
  // The merge's save is held up inside the host's own sandbox, and the host is killed meanwhile.
  await backend.fault({ kind: 'delay', method: 'POST', pathPrefix: TASK_PATH, delayMs: 10_000 });
  await desk.saveResult.click();
  await expect(desk.saveResult).toBeDisabled();
  // A disabled button says only that the page started the save: killed once the host has the
  // write in flight (sent after the draft holding the decision is kept), as the title says.
  await expect
    .poll(async () => {
      const audit = await callApi<{ entries: Array<{ state: string; resourceId: string }> }>(
        desk.host,
        'auditLog',
        {},
      );
      return audit.entries.some((e) => e.state === 'in-flight' && e.resourceId === TASK_SID);
    })
    .toBe(true);
  const killed = new Promise((resolve) => desk.host.process.once('exit', resolve));
  desk.host.process.kill('SIGKILL');
  await expect(desk.message).toContainText('not known whether it reached the server');
  // Gone (its lock on the data directory with it) before the next host starts on that directory.
  await killed;
  // The restarted host is this test's own: the fixture stops only the one it started.
  const restartedHost = await startWebHost({ dataDir: desk.host.dataDir });
  desk.host = restartedHost;
  try {
    await desk.goto();
    await desk.selectConnection('TaskRouter');
    // It opens into its merge (restored from the draft), not the editor.
    await desk.row(TASK_SID).click();
    const banner = desk.page.getByTestId('unknown-outcome');
    await expect(banner).toBeVisible();
    await expect(banner).toHaveAttribute('data-holds', 'base');
    await expect(desk.mergeView).toBeVisible();
    await desk.page.getByTestId('accept-server').click();
    await expect(banner).toBeHidden();
    await expect(desk.page.getByTestId('merge-server-moved')).toBeHidden();
    await desk.screenshot('merge-after-host-killed');
    await desk.saveResult.click();
    await expect(desk.message).toContainText('Saved as revision 2');
    const restarted = await Backend.of(desk.host);
    const history = await restarted.serverHistory(TASK_PATH);
    expect(history.map((r) => r.body['priority'])).toEqual([5, 2, 12]);
    expect(
      pageProblems.filter((p) => !p.includes('Failed to fetch') && !p.includes('ERR_')),
    ).toEqual([]);
  } finally {
    await restartedHost.stop();
  }
});

test('a merge\u2019s save whose answer is lost while the editor beside it holds later typing: the typing stays, and so does the merge', async ({
  desk,
  pageProblems,
}) => {
  const backend = await Backend.of(desk.host);
  await desk.openFromList('TaskRouter', TASK_SID);
  const doc = (await backend.document('TaskRouter', TASK_SID)) as { priority: number };
  await desk.replaceText('editor', JSON.stringify({ ...doc, priority: 12 }, null, 2));
  await backend.editAsSomeoneElse(TASK_PATH, {}, { priority: 2 });
  await desk.saveButton.click();
  await expect(desk.conflictCounter).toHaveText('1 conflict remaining');
  await desk.conflictCard('/priority').getByRole('button', { name: 'Take mine' }).click();
  // *Back to edit*, and a note typed there (first, so it is in sight): not in the merge's result.
  await desk.page.getByTestId('back-to-edit').click();
  const typedText = JSON.stringify({ operatorNote: 'typed beside', ...doc, priority: 12 }, null, 2);
  await desk.replaceText('editor', typedText);
  await desk.page.getByTestId('back-to-merge').click();
  // The result's write lands, its answer is lost.
  await backend.fault({ kind: 'close-after', method: 'POST', pathPrefix: TASK_PATH });
  await desk.saveResult.click();
  await expect(desk.page.getByTestId('unknown-outcome')).toBeVisible();
  await expect(desk.visibleText('editor')).toContainText('"operatorNote": "typed beside"');
  await expect(desk.message).toContainText('What you typed in the editor during the merge');
  await expect(desk.page.getByTestId('merge-in-progress')).toBeVisible();
  await desk.screenshot('merge-unknown-outcome-typed-beside');
  const history = await backend.serverHistory(TASK_PATH);
  expect(history.at(-1)!.body['priority']).toBe(12);
  expect(history.at(-1)!.body).not.toHaveProperty('operatorNote');
  // The draft written after the answer keeps the typing (and the merge) across a reload.
  await desk.page.waitForTimeout(1_000);
  await desk.page.reload();
  await expect(desk.page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
  await expect(desk.mergeView).toBeVisible();
  await desk.page.getByTestId('back-to-edit').click();
  await expect(desk.visibleText('editor')).toContainText('"operatorNote": "typed beside"');
  // *Accept what the server holds*: it holds the merge's result, so the merge is done (it was
  // left open against the old Server now); the typing stays as an unsaved edit.
  await desk.page.getByTestId('accept-server').click();
  await expect(desk.page.getByTestId('unknown-outcome')).toBeHidden();
  await expect(desk.message).toContainText('holds your merge’s result; the merge is closed');
  await expect(desk.page.getByTestId('merge-in-progress')).toBeHidden();
  await expect(desk.visibleText('editor')).toContainText('"operatorNote": "typed beside"');
  expect(pageProblems.filter((p) => !p.includes('Failed to fetch') && !p.includes('ERR_'))).toEqual(
    [],
  );
});
