// Every test gets its own web host (own port, own data directory) and a page that records
// console errors and CSP violations, so specs can assert the page stayed clean.
import { test as base, expect, type Page } from '@playwright/test';
import { removeDataDir, startWebHost, type WebHost } from './web-host';
import { DeskPage } from './desk-page';

type Fixtures = { host: WebHost; desk: DeskPage; pageProblems: string[] };

export const test = base.extend<Fixtures>({
  // eslint-disable-next-line no-empty-pattern
  host: async ({}, use) => {
    const host = await startWebHost();
    await use(host);
    await host.stop();
    removeDataDir(host.dataDir);
  },
  pageProblems: async ({ page }, use) => {
    const problems: string[] = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    // Runs in the page; typed loosely because e2e code compiles without DOM types.
    await page.addInitScript(() => {
      const doc = (
        globalThis as unknown as {
          document: {
            addEventListener(
              t: string,
              f: (e: { violatedDirective: string; blockedURI: string }) => void,
            ): void;
          };
        }
      ).document;
      doc.addEventListener('securitypolicyviolation', (e) => {
        console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI}`);
      });
    });
    await use(problems);
  },
  desk: async ({ page, host, context, pageProblems: _ }, use) => {
    // Editors are filled by pasting, as an operator would.
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: host.origin });
    await use(new DeskPage(page, host));
  },
});

export { expect };
export type { Page };
