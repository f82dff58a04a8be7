// Page object for the desk: locators by role or data-testid, and the app-ready wait.
import { expect, type Locator, type Page } from '@playwright/test';
import type { WebHost } from './web-host';

export class DeskPage {
  readonly address: Locator;
  readonly openButton: Locator;
  readonly jsonView: Locator;
  readonly revision: Locator;
  readonly httpStatus: Locator;
  readonly error: Locator;

  constructor(readonly page: Page, readonly host: WebHost) {
    this.address = page.getByTestId('address');
    this.openButton = page.getByRole('button', { name: 'Open' });
    this.jsonView = page.getByTestId('json-view');
    this.revision = page.getByTestId('revision');
    this.httpStatus = page.getByTestId('http-status');
    this.error = page.getByTestId('error');
  }

  /** Loads the app and waits for its ready signal (appInfo answered), never on a sleep. */
  async goto(): Promise<void> {
    await this.page.goto(this.host.url);
    await expect(this.page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
  }

  async open(url: string): Promise<void> {
    await this.address.fill(url);
    await this.openButton.click();
  }

  /** The text Monaco renders (all lines, for documents that fit the viewport). */
  editorText(): Locator {
    return this.jsonView.locator('.view-lines');
  }
}
