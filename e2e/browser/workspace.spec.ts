// The operator's day, in a real browser against the embedded sandbox: edit and save, a conflict
// settled in the three-way view, a chained conflict, history, invalid JSON, drafts that survive.
import { SANDBOX_IDS } from '../../sandbox/index';
import { Backend } from '../support/backend';
import { expect, test } from '../support/fixtures';

const TASK_SID = SANDBOX_IDS.taskSid;
const TASK_PATH = `/taskrouter/v1/Workspaces/${SANDBOX_IDS.workspaceSid}/Tasks/${TASK_SID}`;

type TaskDoc = {
  attributes: {
    customer: Record<string, unknown>;
    notes: Array<Record<string, unknown>>;
    language: string;
  } & Record<string, unknown>;
  priority: number;
} & Record<string, unknown>;

test('open a task, edit its attributes, save: the revision moves on', async ({
  desk,
  pageProblems,
}) => {
  const backend = await Backend.of(desk.host);
  await desk.openFromList('TaskRouter', TASK_SID);
  await expect(desk.revision).toHaveText('Revision 0');
  const doc = (await backend.document('TaskRouter', TASK_SID)) as TaskDoc;
  doc.attributes.customer['tier'] = 'gold';
  doc.attributes.notes.push({ id: 'n-op', text: 'Upgraded after the call.' });
  await desk.replaceText('editor', JSON.stringify(doc, null, 2));
  await expect(desk.page.getByTestId('dirty-state')).toContainText('Unsaved changes');
  await desk.screenshot('editor-dirty');
  await desk.page.keyboard.press('ControlOrMeta+S');
  await expect(desk.message).toHaveText('Saved as revision 1.');
  await expect(desk.revision).toHaveText('Revision 1');
  const server = await backend.serverHistory(TASK_PATH);
  expect(server.map((r) => [r.op, r.revision])).toEqual([
    ['create', '0'],
    ['update', '1'],
  ]);
  expect(JSON.parse(server[1]!.body['attributes'] as string)).toMatchObject({
    customer: { tier: 'gold' },
    notes: [{ id: 'n-op' }],
  });
  expect(pageProblems).toEqual([]);
});

test('a conflict: three sides, automatic merge, one clash settled with "Take mine", saved', async ({
  desk,
  pageProblems,
}) => {
  const backend = await Backend.of(desk.host);
  await desk.openFromList('TaskRouter', TASK_SID);
  const doc = (await backend.document('TaskRouter', TASK_SID)) as TaskDoc;
  doc.priority = 42;
  doc.attributes.customer['tier'] = 'gold';
  doc.attributes.notes.push({ id: 'n-me', text: 'Called back, resolved.' });
  await desk.replaceText('editor', JSON.stringify(doc, null, 2));
  // A supervisor changes the same task meanwhile: the tier (a clash) and the language (no clash).
  await backend.editAsSomeoneElse(TASK_PATH, { customer: { tier: 'silver' }, language: 'es' });
  await desk.saveButton.click();

  await expect(desk.mergeView).toBeVisible();
  await expect(desk.page.getByTestId('pane-theirs')).toContainText('Server now');
  await expect(desk.page.getByTestId('pane-result')).toContainText('Result');
  await expect(desk.page.getByTestId('pane-mine')).toContainText('Your edit');
  await expect(desk.conflictCounter).toHaveText('1 conflict remaining');
  const card = desk.conflictCard('/attributes/customer/tier');
  await expect(card.getByTestId('value-base')).toHaveText('"bronze"');
  await expect(card.getByTestId('value-theirs')).toHaveText('"silver"');
  await expect(card.getByTestId('value-mine')).toHaveText('"gold"');
  const auto = desk.page.getByTestId('auto-change');
  await expect(auto.filter({ hasText: 'language' })).toContainText('Server now');
  await expect(auto.filter({ hasText: 'priority' })).toContainText('Your edit');
  await expect(auto.filter({ hasText: 'notes' })).toContainText('Your edit');
  await expect(desk.saveResult).toBeDisabled();
  await desk.screenshot('merge-view');

  // "When you opened it" on demand: each side diffed against it.
  await desk.page.getByTestId('show-base').check();
  await expect(desk.page.getByTestId('diff-theirs')).toBeVisible();
  await desk.screenshot('merge-view-with-base');
  await desk.page.getByTestId('show-base').uncheck();

  await card.getByRole('button', { name: 'Take mine' }).click();
  await expect(desk.conflictCounter).toHaveText('All conflicts settled');
  await expect(card.getByTestId('conflict-choice')).toContainText('Took mine');
  // Settled, but the server did touch a field of this edit: no "other fields only" banner.
  await expect(desk.page.getByTestId('clean-merge')).toHaveCount(0);
  await desk.saveResult.click();
  await expect(desk.message).toHaveText('Saved as revision 2.');

  const latest = (await backend.serverHistory(TASK_PATH)).at(-1)!;
  expect(latest.revision).toBe('2');
  expect(latest.body['priority']).toBe(42);
  expect(JSON.parse(latest.body['attributes'] as string)).toMatchObject({
    customer: { tier: 'gold' },
    language: 'es',
    notes: [{ id: 'n-me' }],
  });
  expect(pageProblems).toEqual([]);
});

test('the server changed only other fields: the merge view says so, and the save keeps both', async ({
  desk,
  pageProblems,
}) => {
  const backend = await Backend.of(desk.host);
  await desk.openFromList('TaskRouter', TASK_SID);
  const doc = (await backend.document('TaskRouter', TASK_SID)) as TaskDoc;
  doc.priority = 7;
  await desk.replaceText('editor', JSON.stringify(doc, null, 2));
  await backend.editAsSomeoneElse(TASK_PATH, { language: 'fr' });
  await desk.saveButton.click();

  await expect(desk.mergeView).toBeVisible();
  await expect(desk.page.getByTestId('clean-merge')).toContainText(
    'The server changed other fields than yours',
  );
  await desk.screenshots('merge-clean');
  await desk.saveResult.click();
  await expect(desk.message).toHaveText('Saved as revision 2.');
  const latest = (await backend.serverHistory(TASK_PATH)).at(-1)!;
  expect(latest.body['priority']).toBe(7);
  expect(JSON.parse(latest.body['attributes'] as string)).toMatchObject({ language: 'fr' });
  expect(pageProblems).toEqual([]);
});

test('a chained conflict: the server moves again during the merge; decisions are kept', async ({
  desk,
  pageProblems,
}) => {
  const backend = await Backend.of(desk.host);
  await desk.openFromList('TaskRouter', TASK_SID);
  const doc = (await backend.document('TaskRouter', TASK_SID)) as TaskDoc;
  doc.attributes.customer['tier'] = 'gold';
  doc.attributes.customer['phone'] = '+15550001111';
  await desk.replaceText('editor', JSON.stringify(doc, null, 2));
  await backend.editAsSomeoneElse(TASK_PATH, {
    customer: { tier: 'silver', phone: '+15559999999' },
  });
  await desk.saveButton.click();
  await expect(desk.conflictCounter).toHaveText('2 conflicts remaining');
  await desk
    .conflictCard('/attributes/customer/tier')
    .getByRole('button', { name: 'Take mine' })
    .click();
  await desk
    .conflictCard('/attributes/customer/phone')
    .getByRole('button', { name: 'Take server’s' })
    .click();
  await expect(desk.conflictCounter).toHaveText('All conflicts settled');
  // Before the operator saves, the server moves again — on a field nobody else touched.
  await backend.editAsSomeoneElse(TASK_PATH, { vip: true });
  await desk.saveResult.click();
  await expect(desk.page.getByTestId('rebase-notice')).toContainText('The server changed again');
  await expect(desk.page.getByTestId('rebase-notice')).toContainText('2 of your 2 decisions kept');
  await expect(desk.conflictCounter).toHaveText('All conflicts settled');
  await desk.screenshot('merge-rebased');
  await desk.saveResult.click();
  await expect(desk.message).toHaveText('Saved as revision 3.');
  const latest = (await backend.serverHistory(TASK_PATH)).at(-1)!;
  expect(JSON.parse(latest.body['attributes'] as string)).toMatchObject({
    customer: { tier: 'gold', phone: '+15559999999' },
    vip: true,
  });
  expect(pageProblems).toEqual([]);
});

test('history: the journal as a timeline, two revisions diffed, one restored as an edit', async ({
  desk,
  pageProblems,
}) => {
  const backend = await Backend.of(desk.host);
  await desk.openFromList('TaskRouter', TASK_SID);
  await backend.editAsSomeoneElse(TASK_PATH, { channel: 'chat' });
  await desk.page.getByRole('button', { name: 'Refresh' }).click();
  await expect(desk.revision).toHaveText('Revision 1');
  await desk.page.getByTestId('open-history').click();
  await expect(desk.page.getByTestId('history-entry')).toHaveCount(2);
  await expect(desk.page.getByTestId('history-diff')).toBeVisible();
  await expect(desk.page.getByTestId('history-diff')).toContainText('"chat"');
  await desk.screenshot('history');
  // Restore revision 0 on top of revision 1, and save it like any edit.
  await desk.page.getByTestId('restore-revision').click();
  // The in-app confirmation lists the later change by others that the restore undoes.
  await expect(desk.page.getByTestId('question-items')).toContainText(
    'attributes › channel: "chat" → "voice"',
  );
  await desk.screenshot('restore-confirm');
  await desk.page.getByTestId('question-confirm').click();
  await expect(desk.message).toContainText(
    'Revision 0 restored as an unsaved edit on top of revision 1',
  );
  await desk.saveButton.click();
  await expect(desk.message).toHaveText('Saved as revision 2.');
  const latest = (await backend.serverHistory(TASK_PATH)).at(-1)!;
  expect(JSON.parse(latest.body['attributes'] as string)).toMatchObject({ channel: 'voice' });
  expect(pageProblems).toEqual([]);
});

test('invalid JSON blocks saving and points at the error', async ({ desk, pageProblems }) => {
  await desk.openFromList('TaskRouter', TASK_SID);
  await desk.replaceText(
    'editor',
    '{\n  "priority": 3,\n  "attributes": {\n    "vip": tru\n  }\n}',
  );
  await expect(desk.page.getByTestId('json-error')).toContainText('line 4');
  await expect(desk.saveButton).toBeDisabled();
  await desk.page.keyboard.press('ControlOrMeta+S');
  await expect(desk.message).toHaveCount(0);
  await desk.screenshot('invalid-json');
  expect(pageProblems).toEqual([]);
});

test('a draft survives a page reload and a restart of the host', async ({ desk, host }) => {
  const backend = await Backend.of(host);
  await desk.openFromList('TaskRouter', TASK_SID);
  const doc = (await backend.document('TaskRouter', TASK_SID)) as TaskDoc;
  doc.attributes.customer['name'] = 'Draft Keeper';
  await desk.replaceText('editor', JSON.stringify(doc, null, 2));
  await expect(desk.page.getByTestId('dirty-state')).toContainText('draft kept');
  await expect(desk.row(TASK_SID).getByTestId('draft-marker')).toHaveText('unsaved edit');

  await desk.page.reload();
  await expect(desk.page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
  await desk.selectConnection('TaskRouter');
  await desk.openResource(TASK_SID);
  await expect(desk.page.getByTestId('draft-restored')).toBeVisible();
  await expect(desk.visibleText('editor')).toContainText('Draft Keeper');

  desk.host = await host.restart();
  await desk.openFromList('TaskRouter', TASK_SID);
  await expect(desk.page.getByTestId('draft-restored')).toBeVisible();
  await expect(desk.visibleText('editor')).toContainText('Draft Keeper');
  await desk.screenshot('draft-restored');
  await desk.host.stop();
});

test('closing a tab mid-merge keeps the decisions: reopening restores the merge', async ({
  desk,
  pageProblems,
}) => {
  const backend = await Backend.of(desk.host);
  await desk.openFromList('TaskRouter', TASK_SID);
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
  await desk.page.getByRole('button', { name: /^Close / }).click();
  await expect(desk.page.getByTestId('question')).toContainText('1 conflict is not settled');
  await desk.page.getByTestId('question-confirm').click();
  await expect(desk.page.getByTestId('tab')).toHaveCount(0);
  // The list says the merge is waiting.
  await expect(desk.row(TASK_SID).getByTestId('draft-marker')).toHaveText('merge pending');
  await desk.row(TASK_SID).click();
  await expect(desk.mergeView).toBeVisible();
  await expect(desk.conflictCounter).toHaveText('1 conflict remaining');
  await expect(
    desk.conflictCard('/attributes/customer/tier').getByTestId('conflict-choice'),
  ).toContainText('Took mine');
  await expect(desk.message).toContainText('merge in progress was restored');
  expect(pageProblems).toEqual([]);
});

test('a draft whose own base can no longer be read is flagged, and Save lists what it would undo before writing', async ({
  desk,
  pageProblems,
}) => {
  const backend = await Backend.of(desk.host);
  await desk.openFromList('TaskRouter', TASK_SID);
  const doc = (await backend.document('TaskRouter', TASK_SID)) as TaskDoc;
  const language = doc.attributes.language;
  doc.attributes.customer['tier'] = 'gold';
  await desk.replaceText('editor', JSON.stringify(doc, null, 2));
  await expect(desk.page.getByTestId('dirty-state')).toContainText('draft kept');
  // A colleague changes the language meanwhile; the draft still holds the old one.
  await backend.editAsSomeoneElse(TASK_PATH, { language: 'es' });
  const before = (await backend.serverHistory(TASK_PATH)).length;
  // The copy a page keeps when it goes away with typing not yet sent names a base the journal
  // does not hold (as after the data directory was replaced), and is newer than the backend's
  // draft, so it is the one restored.
  const connectionId = await desk.page.evaluate(() => {
    const kept = JSON.parse(localStorage.getItem('conflict-desk:open-tabs') ?? '{}') as {
      tabs?: Array<{ ref: { connectionId: string } }>;
    };
    return kept.tabs?.[0]?.ref.connectionId ?? '';
  });
  expect(connectionId).not.toBe('');
  await desk.page.addInitScript(
    ({ key, text }) => {
      const at = new Date(Date.now() + 60_000).toISOString();
      localStorage.setItem(
        key,
        JSON.stringify({ text, merge: null, baseJournalId: 999_999, baseRevision: '0', at }),
      );
    },
    {
      key: `conflict-desk:rescue:${connectionId}\u0000${TASK_SID}`,
      text: JSON.stringify(doc, null, 2),
    },
  );
  await desk.page.reload();
  await expect(desk.page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
  await desk.selectConnection('TaskRouter');
  await desk.openResource(TASK_SID);
  await expect(desk.message).toContainText('journal entry #999999');
  await expect(desk.message).toContainText('may undo changes others made since');
  await expect(desk.page.getByTestId('draft-restored')).toContainText('can no longer be read');
  await expect(desk.visibleText('editor')).toContainText('gold');
  await desk.screenshot('draft-unread-base');

  // Ctrl+S asks first, listing the colleague's language among what the write changes.
  await desk.page.keyboard.press('ControlOrMeta+S');
  const question = desk.page.getByTestId('question');
  await expect(question).toContainText('unknown revision');
  await expect(question.getByTestId('question-items')).toContainText(`"es" → "${language}"`);
  await desk.screenshots('draft-unread-base-question');
  await question.getByTestId('question-cancel').click();
  await expect(question).toHaveCount(0);
  expect((await backend.serverHistory(TASK_PATH)).length).toBe(before);

  // Confirmed, the write goes out (conditional on the revision shown) and lands.
  await desk.saveButton.click();
  await desk.page.getByTestId('question').getByTestId('question-confirm').click();
  await expect(desk.message).toHaveText(/^Saved as revision/);
  const latest = (await backend.serverHistory(TASK_PATH)).at(-1)!;
  expect(JSON.parse(latest.body['attributes'] as string)).toMatchObject({
    customer: { tier: 'gold' },
    language,
  });
  expect(pageProblems).toEqual([]);
});
