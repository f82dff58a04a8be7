// A call nobody awaited used to fail in silence (an unhandled rejection, a spinner forever). Here
// the host's answer is cut off (network gone) or the host is stopped, in a real browser, and the
// operator must see the failure where they are looking: the history's own banner, the team
// dialog's audit, and — for anything no handler caught — the page-wide alert.
import type { Route } from '@playwright/test';
import { SANDBOX_IDS } from '../../sandbox/index';
import { expect, test } from '../support/fixtures';

const TASK_SID = SANDBOX_IDS.taskSid;

test('history that cannot be loaded says so on its own banner, ends "Loading…", and loads on Try again', async ({
  desk,
}) => {
  await desk.openFromList('TaskRouter', TASK_SID);
  // The host's answer never arrives: the transport rejects, as when the network or host is gone.
  // Then, from the operator's Try again on, reads are held rather than cut off: the watch's next
  // poll also reads the history again (every 3 s), and a read of its let through before the click
  // would clear the banner on its own — the test would not know which one did.
  const held: Route[] = [];
  let reads: 'cut off' | 'held' | 'answered' = 'cut off';
  await desk.page.route('**/api/history', (route) =>
    reads === 'cut off'
      ? route.abort('connectionreset')
      : reads === 'held'
        ? void held.push(route)
        : route.continue(),
  );
  await desk.page.getByTestId('open-history').click();
  const banner = desk.page.getByTestId('history-error');
  await expect(banner).toBeVisible();
  await expect(banner).toHaveRole('alert');
  await expect(banner).toContainText('The history could not be loaded');
  await expect(desk.page.getByTestId('history-view')).not.toContainText('Loading…');
  await desk.screenshots('history-load-failed');

  reads = 'held';
  await banner.getByRole('button', { name: 'Try again' }).click();
  // Nothing has answered yet: the banner went because the operator asked again.
  await expect(banner).toBeHidden();
  await expect.poll(() => held.length).toBeGreaterThan(0);
  reads = 'answered';
  for (const route of held) await route.continue();
  await expect(desk.page.getByTestId('history-entry')).toHaveCount(1);
  await expect(banner).toBeHidden();
});

test('with the host stopped, the team dialog’s audit says it could not be read', async ({
  desk,
}) => {
  await desk.goto();
  await desk.host.stop();
  await desk.page.getByTestId('team-store-button').click();
  const dialog = desk.page.getByTestId('team-store-dialog');
  await expect(dialog.getByRole('alert').filter({ hasText: 'audit' })).toContainText(
    'The audit could not be read',
  );
  await dialog.getByRole('button', { name: 'Filter' }).click();
  await expect(dialog.getByRole('alert').filter({ hasText: 'audit' })).toContainText(
    'The audit could not be read',
  );
});

test('a rejection no handler caught still reaches the operator as a dismissable alert', async ({
  desk,
}) => {
  await desk.goto();
  // What any forgotten handler amounts to: a rejected promise with nobody listening.
  await desk.page.evaluate(() => {
    void Promise.reject(new Error('the host went away mid-call'));
  });
  const failure = desk.page.getByTestId('failure');
  await expect(failure).toHaveCount(1);
  await expect(failure).toHaveRole('alert');
  await expect(failure).toContainText('A background task failed: the host went away mid-call');
  await desk.screenshots('unhandled-failure');
  // It stays until the operator dismisses it, by keyboard as well as by pointer.
  const dismiss = failure.getByRole('button', { name: /^Dismiss/ });
  await dismiss.focus();
  await desk.page.keyboard.press('Enter');
  await expect(failure).toHaveCount(0);
});

test('a draft the host cannot keep: the status says so, the app tries again by itself, and closing the tab asks first', async ({
  desk,
  pageProblems,
}) => {
  // The wait for the app's own retry below may take 30 s.
  test.setTimeout(90_000);
  await desk.openFromList('TaskRouter', TASK_SID);
  // Every draft write is cut off, as when the host cannot be reached for it.
  await desk.page.route('**/api/saveDraft', (route) => route.abort('connectionreset'));
  await desk.page.getByTestId('editor').locator('.view-lines').click();
  await desk.page.keyboard.press('ControlOrMeta+End');
  await desk.page.keyboard.type(' ');
  const status = desk.page.getByTestId('dirty-state');
  await expect(status).toHaveText('Unsaved changes · draft not kept');
  await expect(desk.message).toContainText('Your draft could not be kept');
  await expect(desk.message).toContainText('The app keeps trying');
  await desk.screenshots('draft-not-kept');

  // Closing the tab now would lose the edit: the app asks, and Escape keeps the tab.
  await desk.page.keyboard.press('Alt+W');
  const question = desk.page.getByTestId('question');
  await expect(question).toContainText('and lose your edit?');
  await expect(question).toContainText('Closing the tab loses it');
  // Losing the edit is the dangerous answer: Cancel has the focus, so Enter keeps the tab.
  await expect(desk.page.getByTestId('question-cancel')).toBeFocused();
  await desk.screenshots('draft-not-kept-close');
  await desk.page.keyboard.press('Escape');
  await expect(question).toBeHidden();
  await expect(desk.page.getByTestId('tab')).toHaveCount(1);

  // The host answers again; nobody types: the retry keeps the draft and the failure's words go.
  // Retries back off (2, 5, 15, then every 30 s; the close above was one more failed write): on a
  // slow machine the next one can be 30 s away.
  await desk.page.unroute('**/api/saveDraft');
  await expect(status).toHaveText(/^Unsaved changes · draft kept \d/, { timeout: 35_000 });
  await expect(desk.message).toBeHidden();
  // The browser logs each cut-off request; the first write and at least one retry were cut off.
  const cut = pageProblems.filter((p) => p.includes('ERR_CONNECTION_RESET'));
  expect(cut.length).toBeGreaterThanOrEqual(2);
  expect(pageProblems.filter((p) => !cut.includes(p))).toEqual([]);
});
