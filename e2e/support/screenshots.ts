// Screenshots of one state, light and dark (test-results/screens/<name>-<scheme>.png), for looking
// at what an operator sees in both colour schemes.
import type { Page } from '@playwright/test';

export async function shoot(page: Page, name: string): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: `test-results/screens/${name}-${scheme}.png` });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}
