// Page object for the desk: locators by role or data-testid, the app-ready wait, and helpers that
// drive Monaco the way an operator does (select all, paste).
import { expect, type Locator, type Page } from '@playwright/test';
import type { WebHost } from './web-host';

export class DeskPage {
  readonly address: Locator;
  readonly openButton: Locator;
  readonly jsonView: Locator;
  readonly quickRevision: Locator;
  readonly httpStatus: Locator;
  readonly error: Locator;
  readonly revision: Locator;
  readonly saveButton: Locator;
  readonly message: Locator;
  readonly mergeView: Locator;
  readonly conflictCounter: Locator;
  readonly saveResult: Locator;

  constructor(
    readonly page: Page,
    public host: WebHost,
  ) {
    this.address = page.getByTestId('address');
    this.openButton = page.getByRole('button', { name: 'Open', exact: true });
    this.jsonView = page.getByTestId('json-view');
    this.quickRevision = page.getByTestId('quick-revision');
    this.httpStatus = page.getByTestId('http-status');
    this.error = page.getByTestId('error');
    this.revision = page.getByTestId('revision');
    this.saveButton = page.getByTestId('save');
    this.message = page.getByTestId('message-text');
    this.mergeView = page.getByTestId('merge-view');
    this.conflictCounter = page.getByTestId('conflict-counter');
    this.saveResult = page.getByTestId('save-result');
  }

  /** Loads the app and waits for its ready signal (connections loaded), never on a sleep. */
  async goto(): Promise<void> {
    await this.page.goto(this.host.url);
    await expect(this.page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
  }

  async open(url: string): Promise<void> {
    await this.address.fill(url);
    await this.openButton.click();
  }

  async selectConnection(namePart: string): Promise<void> {
    const select = this.page.getByTestId('connection-select');
    const value = await select
      .locator('option', { hasText: namePart })
      .first()
      .getAttribute('value');
    await select.selectOption(value!);
    await expect(this.page.getByTestId('resource-row').first()).toBeVisible();
  }

  /** The usual start: load the app, pick a connection, open one resource from its list. */
  async openFromList(connection: string, id: string): Promise<void> {
    await this.goto();
    await this.selectConnection(connection);
    await this.openResource(id);
  }

  row(id: string): Locator {
    return this.page.locator(`[data-testid="resource-row"][data-id="${id}"]`);
  }

  /** Opens a resource from the list and waits until its tab is the active one, showing it. */
  async openResource(id: string): Promise<void> {
    await this.row(id).click();
    // Another tab may be showing an editor already: wait for this resource's own tab.
    const title = new RegExp(`· ${id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
    await expect(this.page.getByRole('tab', { selected: true })).toHaveAttribute('title', title);
    await expect(this.page.getByTestId('editor').locator('.view-lines')).toBeVisible();
  }

  /** Replaces the text of a Monaco editor as an operator would: select all, paste. */
  async replaceText(editorTestId: string, text: string): Promise<void> {
    const lines = this.page.getByTestId(editorTestId).locator('.view-lines');
    await lines.click();
    await this.page.keyboard.press('ControlOrMeta+A');
    // Runs in the page; typed loosely because e2e code compiles without DOM types.
    await this.page.evaluate(
      (t) =>
        (
          globalThis as unknown as {
            navigator: { clipboard: { writeText(x: string): Promise<void> } };
          }
        ).navigator.clipboard.writeText(t),
      text,
    );
    await this.page.keyboard.press('ControlOrMeta+V');
  }

  /** The visible text of an editor (Monaco renders only the lines in view). */
  visibleText(editorTestId: string): Locator {
    return this.page.getByTestId(editorTestId).locator('.view-lines');
  }

  conflictCard(path: string): Locator {
    return this.page.locator(`[data-testid="conflict-card"][data-path="${path}"]`);
  }

  /** Puts the focused editor's cursor at the start or the end of line `line`, from the keyboard. */
  async toLineEdge(line: number, edge: 'Home' | 'End'): Promise<void> {
    await this.page.keyboard.press('ControlOrMeta+Home');
    for (let n = 1; n < line; n++) await this.page.keyboard.press('ArrowDown');
    await this.page.keyboard.press(edge);
  }

  /** The text of an editor's line as shown (Monaco draws spaces as no-break spaces). */
  async lineText(editorTestId: string, index: number): Promise<string | undefined> {
    const line = this.page.getByTestId(editorTestId).locator('.view-line').nth(index);
    return (await line.textContent())?.replace(/\u00a0/g, ' ');
  }

  editorText(): Locator {
    return this.jsonView.locator('.view-lines');
  }

  async screenshot(name: string): Promise<void> {
    await this.page.screenshot({ path: `test-results/screens/${name}.png` });
  }

  /** One state photographed light and dark (`<name>-light.png`, `<name>-dark.png`), then light again. */
  async screenshots(name: string): Promise<void> {
    for (const scheme of ['light', 'dark'] as const) {
      await this.page.emulateMedia({ colorScheme: scheme });
      await this.screenshot(`${name}-${scheme}`);
    }
    await this.page.emulateMedia({ colorScheme: 'light' });
  }
}
