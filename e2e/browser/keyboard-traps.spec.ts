// Keyboard only, found walking the desk without a mouse: a panel hidden from the keyboard gives
// the keyboard back, every filled button shows where the keyboard is, and app shortcuts do not act
// behind an open modal, and a modal whose opener has gone still gives the keyboard back.
import { SANDBOX_IDS } from '../../sandbox/index';
import { expect, test, type Page } from '../support/fixtures';
import { queuedBatch, taskRouterTasks } from '../support/queued-batch';
import { Backend } from '../support/backend';

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

test('Hide in the activity panel gives the keyboard back to the Activity button', async ({
  desk,
  pageProblems,
}) => {
  await desk.goto();
  const toggle = desk.page.getByTestId('toggle-activity');
  await toggle.focus();
  await desk.page.keyboard.press('Enter');
  const panel = desk.page.getByTestId('activity-panel');
  await expect(panel).toBeVisible();
  // The operator Tabs on to the panel's Hide button and presses it.
  const hide = panel.getByRole('button', { name: 'Hide' });
  await hide.focus();
  await desk.page.keyboard.press('Enter');
  await expect(panel).toBeHidden();
  await expect.poll(() => focusedTag(desk.page)).not.toBe('body');
  await expect(toggle).toBeFocused();
  expect(pageProblems).toEqual([]);
});

test('a filled button reached with Tab shows a focus ring that stands out from its fill, light and dark', async ({
  desk,
  pageProblems,
}) => {
  await desk.goto();
  await desk.page.getByRole('button', { name: 'Manage…' }).focus();
  await desk.page.keyboard.press('Enter');
  const save = desk.page.getByTestId('conn-save');
  await save.focus();
  // Reached from the keyboard, so :focus-visible applies.
  await desk.page.keyboard.press('Shift+Tab');
  await desk.page.keyboard.press('Tab');
  await expect(save).toBeFocused();
  for (const scheme of ['light', 'dark'] as const) {
    await desk.page.emulateMedia({ colorScheme: scheme });
    const ring = await save.evaluate((el) => {
      const s = (
        globalThis as unknown as {
          getComputedStyle(e: unknown): Record<string, string>;
        }
      ).getComputedStyle(el);
      return {
        outline: s['outlineStyle'],
        color: s['outlineColor'],
        fill: s['backgroundColor'],
        offset: parseFloat(s['outlineOffset'] ?? '0'),
      };
    });
    expect(ring.outline).not.toBe('none');
    // A ring the colour of the fill, drawn over its edge, cannot be seen: it must sit outside
    // the button (a gap of page background between) or differ from the fill.
    expect(ring.offset >= 1 || ring.color !== ring.fill, `${scheme}: ${JSON.stringify(ring)}`).toBe(
      true,
    );
  }
  await desk.screenshots('keys-filled-button-focus');
  expect(pageProblems).toEqual([]);
});

test('app shortcuts wait while a modal dialog is open: Alt+W does not close the tab behind it', async ({
  desk,
  pageProblems,
}) => {
  await desk.openFromList('Sync documents', SANDBOX_IDS.documentSid);
  const manage = desk.page.getByRole('button', { name: 'Manage…' });
  await manage.focus();
  await desk.page.keyboard.press('Enter');
  const dialog = desk.page.getByTestId('connections-dialog');
  await expect(dialog).toBeVisible();
  await desk.page.keyboard.press('Alt+W');
  await desk.page.keyboard.press('Alt+H');
  await expect(dialog).toBeVisible();
  await expect(desk.page.getByTestId('tab')).toHaveCount(1);
  await expect(desk.page.getByTestId('history-view')).toHaveCount(0);
  await desk.page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(manage).toBeFocused();
  expect(pageProblems).toEqual([]);
});

test('the batch view opened with “Show the batch” and closed with Escape gives the keyboard back, even once the batch is settled', async ({
  desk,
  host,
  pageProblems,
}) => {
  const { ids } = await taskRouterTasks(host);
  await queuedBatch(host, ids[4]!, {
    value: 9,
    maxAttempts: 1,
    colleague: { fields: { priority: 2 } },
  });
  await desk.goto();
  // The button that opens the view leaves the sidebar while the view is open (the view shows it).
  await desk.page.getByTestId('batch-show').focus();
  await desk.page.keyboard.press('Enter');
  const view = desk.page.getByTestId('batch-view');
  await expect(view.getByTestId('batch-count-queued')).toHaveText('1 in the conflict queue');
  await desk.page.keyboard.press('Escape');
  await expect(view).toBeHidden();
  // Still waiting on its queue: back on the button that shows it again.
  await expect(desk.page.getByTestId('batch-show')).toBeFocused();
  // Settled, the batch waits for nothing and its button is gone: the keyboard goes to the list.
  await desk.page.keyboard.press('Enter');
  await view.getByRole('button', { name: /^Keep mine for \/priority/ }).focus();
  await desk.page.keyboard.press('Enter');
  await expect(view.getByTestId('batch-group')).toHaveCount(0);
  await desk.page.keyboard.press('Escape');
  await expect(view).toBeHidden();
  await expect.poll(() => focusedTag(desk.page)).not.toBe('body');
  await expect(desk.page.getByTestId('resource-row').and(desk.page.locator(':focus'))).toHaveCount(
    1,
  );
  await desk.screenshots('keys-batch-closed');
  expect(pageProblems).toEqual([]);
});

test('a toast dismissed from the keyboard hands it on (the list, here), never to <body>', async ({
  desk,
  pageProblems,
}) => {
  await desk.openFromList('Sync documents', SANDBOX_IDS.documentSid);
  await desk.page.getByTestId('editor').locator('.view-lines').click();
  await desk.page.keyboard.press('ControlOrMeta+End');
  await desk.page.keyboard.type(' ');
  // Closing the tab with an edit says, in a toast, that the edit is kept as a draft.
  await desk.page.keyboard.press('Alt+W');
  const toast = desk.page.getByTestId('toast');
  await expect(toast).toBeVisible();
  await toast.getByRole('button', { name: /^Dismiss/ }).focus();
  // An info toast goes after 4 s, but not from under the keyboard.
  await desk.page.waitForTimeout(5_000);
  await expect(toast).toBeVisible();
  await desk.page.keyboard.press('Enter');
  await expect(toast).toHaveCount(0);
  await expect.poll(() => focusedTag(desk.page)).not.toBe('body');
  await expect(desk.page.getByTestId('resource-row').and(desk.page.locator(':focus'))).toHaveCount(
    1,
  );
  // The keyboard has left the toasts: the next one goes by itself again.
  await desk.page.keyboard.press('Enter');
  await desk.page.getByTestId('editor').locator('.view-lines').click();
  await desk.page.keyboard.press('ControlOrMeta+End');
  await desk.page.keyboard.type(' ');
  await desk.page.keyboard.press('Alt+W');
  await expect(toast).toBeVisible();
  await expect(toast).toHaveCount(0, { timeout: 8_000 });
  expect(pageProblems).toEqual([]);
});

test('names read aloud say what their numbers count: the merge tab’s open conflicts, the Activity button’s failures', async ({
  desk,
  pageProblems,
}) => {
  const backend = await Backend.of(desk.host);
  await desk.openFromList('TaskRouter', TASK_SID);
  const doc = (await backend.document('TaskRouter', TASK_SID)) as Record<string, unknown>;
  doc['priority'] = 42;
  await desk.replaceText('editor', JSON.stringify(doc, null, 2));
  await backend.editAsSomeoneElse(TASK_PATH, undefined, { priority: 3 });
  await desk.page.keyboard.press('ControlOrMeta+S');
  await expect(desk.conflictCounter).toHaveText('1 conflict remaining');
  // Not "Ethan Nguyen 1": one what?
  await expect(desk.page.getByRole('tab', { selected: true })).toHaveAccessibleName(
    /1 conflict open$/,
  );
  // Not "Activity1 refused or failed".
  await expect(desk.page.getByTestId('toggle-activity')).toHaveAccessibleName(
    'Activity 1 refused or failed',
  );
  expect(pageProblems).toEqual([]);
});

test('Remove in the Connections dialog, confirmed from the keyboard, leaves the keyboard in the dialog’s form', async ({
  desk,
  pageProblems,
}) => {
  await desk.goto();
  await desk.page.getByRole('button', { name: 'Manage…' }).focus();
  await desk.page.keyboard.press('Enter');
  const dialog = desk.page.getByTestId('connections-dialog');
  await dialog.getByRole('button', { name: /REST settings \(428\)/ }).focus();
  await desk.page.keyboard.press('Enter');
  await expect(dialog.getByTestId('conn-name')).toHaveValue(/REST settings/);
  await dialog.getByRole('button', { name: 'Remove' }).focus();
  await desk.page.keyboard.press('Enter');
  await desk.page.getByTestId('question-confirm').focus();
  await desk.page.keyboard.press('Enter');
  await expect(dialog).toContainText('Removed.');
  // The Remove button went with the connection: the keyboard is on the new, empty form's name.
  await expect.poll(() => focusedTag(desk.page)).not.toBe('body');
  await expect(dialog.getByTestId('conn-name')).toBeFocused();
  expect(pageProblems).toEqual([]);
});

/** WCAG contrast of an element's text on its own background (both opaque colours). */
const contrastOf = (page: Page, testIdOrSelector: string) =>
  page.locator(testIdOrSelector).evaluate((el) => {
    const s = (
      globalThis as unknown as { getComputedStyle(e: unknown): Record<string, string> }
    ).getComputedStyle(el);
    const lum = (rgb: string) => {
      const [r, g, b] = rgb
        .match(/[\d.]+/g)!
        .slice(0, 3)
        .map((v) => {
          const c = Number(v) / 255;
          return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
        });
      return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
    };
    const [a, b] = [lum(s['color']!), lum(s['backgroundColor']!)];
    return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  });

test('the conflict counter and a chosen side read at 4.5:1 or better, light and dark', async ({
  desk,
  pageProblems,
}) => {
  const backend = await Backend.of(desk.host);
  await desk.openFromList('TaskRouter', TASK_SID);
  const doc = (await backend.document('TaskRouter', TASK_SID)) as Record<string, unknown>;
  doc['priority'] = 42;
  doc['reason'] = 'mine';
  await desk.replaceText('editor', JSON.stringify(doc, null, 2));
  await backend.editAsSomeoneElse(TASK_PATH, undefined, { priority: 3, reason: 'theirs' });
  await desk.page.keyboard.press('ControlOrMeta+S');
  await expect(desk.conflictCounter).toHaveText('2 conflicts remaining');
  await desk.conflictCard('/priority').getByRole('button', { name: 'Take server’s' }).focus();
  await desk.page.keyboard.press('Enter');
  await expect(desk.conflictCounter).toHaveText('1 conflict remaining');
  const chosen = '[data-path="/priority"] .choices button.chosen';
  await expect(desk.page.locator(chosen)).toHaveCount(1);
  for (const scheme of ['light', 'dark'] as const) {
    await desk.page.emulateMedia({ colorScheme: scheme });
    expect(await contrastOf(desk.page, '[data-testid="conflict-counter"]'), scheme).toBeGreaterThan(
      4.5,
    );
    expect(await contrastOf(desk.page, chosen), scheme).toBeGreaterThan(4.5);
  }
  await desk.screenshots('keys-counter-and-chosen');
  expect(pageProblems).toEqual([]);
});
