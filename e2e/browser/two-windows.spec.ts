// Two windows on one resource: each keeps its own edit, and neither writes over (or drops) the
// draft the other kept, which its window would go on calling "draft kept".
import { SANDBOX_IDS } from '../../sandbox/index';
import { callApi } from '../support/backend';
import { DeskPage } from '../support/desk-page';
import { expect, test } from '../support/fixtures';

const TASK_SID = SANDBOX_IDS.taskSid;

/** Types `text` on a new first line of the document in `desk`'s editor. */
async function typeLine(desk: DeskPage, text: string): Promise<void> {
  await desk.page.getByTestId('editor').locator('.view-lines').click();
  await desk.page.keyboard.press('ControlOrMeta+Home');
  await desk.page.keyboard.press('End');
  await desk.page.keyboard.press('Enter');
  await desk.page.keyboard.type(text);
}

test('a second window does not write over the first one’s draft: it says its edit is kept only there, and closing it asks', async ({
  desk,
  browser,
  host,
  pageProblems,
}) => {
  await desk.openFromList('TaskRouter', TASK_SID);
  // Window B opened the same task before A typed anything.
  const other = await browser.newContext();
  await other.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: host.origin });
  const b = new DeskPage(await other.newPage(), host);
  await b.page.goto(await host.freshAddress());
  await expect(b.page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
  await b.selectConnection('TaskRouter');
  await b.openResource(TASK_SID);

  await typeLine(desk, '"typedInA": 1,');
  await expect(desk.page.getByTestId('dirty-state')).toHaveText(/^Unsaved changes · draft kept/);

  await typeLine(b, '"typedInB": 2,');
  await expect(b.page.getByTestId('dirty-state')).toHaveText('Unsaved changes · draft not kept');
  await expect(b.message).toContainText(/another window keeps a newer draft of this resource/i);
  await expect(b.message).toContainText('your edit stays in this window until you save it');

  // A's draft is A's text, whole.
  const kept = await callApi<{ draft: { text: string } | null }>(host, 'openResource', {
    ref: { connectionId: await connectionId(desk), id: TASK_SID },
  });
  expect(kept.draft?.text).toContain('"typedInA": 1');
  expect(kept.draft?.text).not.toContain('typedInB');

  // Closing B would lose its edit: it asks, and Escape keeps the tab and the text.
  await b.page.keyboard.press('Alt+W');
  await expect(b.page.getByTestId('question')).toContainText('and lose your edit?');
  await b.page.keyboard.press('Escape');
  await expect(b.page.getByTestId('tab')).toHaveCount(1);
  await expect(b.visibleText('editor')).toContainText('"typedInB": 2');

  // A goes on keeping its draft over its own.
  await typeLine(desk, '"typedInA2": 3,');
  await expect(desk.page.getByTestId('dirty-state')).toHaveText(/^Unsaved changes · draft kept/);
  expect(pageProblems).toEqual([]);
  await other.close();
});

async function connectionId(desk: DeskPage): Promise<string> {
  return desk.page.getByTestId('connection-select').inputValue();
}

test('text rescued on a reload is kept over the window’s own older draft, not refused as another window’s', async ({
  desk,
  host,
  pageProblems,
}) => {
  await desk.openFromList('TaskRouter', TASK_SID);
  await typeLine(desk, '"keptFirst": 1,');
  await expect(desk.page.getByTestId('dirty-state')).toHaveText(/^Unsaved changes · draft kept/);
  // The next text is typed just before a reload whose draft write is cut off: only the copy
  // made on pagehide holds it.
  let cutOff = true;
  await desk.page.route('**/api/saveDraft', (route) => {
    if (!cutOff) return route.continue();
    cutOff = false;
    return route.abort();
  });
  await typeLine(desk, '"typedLast": 2,');
  await desk.page.reload();
  await expect(desk.page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
  await desk.selectConnection('TaskRouter');
  await desk.openResource(TASK_SID);
  await expect(desk.visibleText('editor')).toContainText('"typedLast": 2');
  // The rescued text goes to the backend over the draft this window kept itself.
  const keptText = async () =>
    (
      await callApi<{ draft: { text: string } | null }>(host, 'openResource', {
        ref: { connectionId: await connectionId(desk), id: TASK_SID },
      })
    ).draft?.text ?? '';
  await expect.poll(keptText).toContain('"typedLast": 2');
  await expect(desk.page.getByText(/another window/i)).toHaveCount(0);
  await expect(desk.page.getByTestId('dirty-state')).toHaveText(/^Unsaved changes · draft kept/);
  // The one write cut off on purpose is the only problem the page reports.
  expect(pageProblems.filter((p) => !p.includes('net::ERR_FAILED'))).toEqual([]);
});
