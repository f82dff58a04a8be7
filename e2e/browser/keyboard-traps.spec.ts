// Keyboard only, found walking the desk without a mouse: a panel hidden from the keyboard gives
// the keyboard back, every filled button shows where the keyboard is, and app shortcuts do not act
// behind an open modal.
import { SANDBOX_IDS } from '../../sandbox/index';
import { expect, test, type Page } from '../support/fixtures';

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
