// The connections dialog's presets for real servers, and a real WebDAV server (lighttpd +
// mod_webdav) browsed, opened and saved through the app in a real browser.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startLighttpd } from '../../electron/test-support/real-servers';
import type { DeskPage } from '../support/desk-page';
import { expect, test } from '../support/fixtures';

/** The connections dialog with a new WebDAV connection filled in (not saved yet). */
async function newWebDavConnection(desk: DeskPage, url: string, folder: string) {
  await desk.goto();
  await desk.page.getByRole('button', { name: 'Manage…' }).click();
  const dialog = desk.page.getByTestId('connections-dialog');
  await dialog.getByRole('button', { name: '+ New connection' }).click();
  await dialog.getByTestId('conn-preset').selectOption({ label: 'WebDAV folder of JSON files' });
  await dialog.getByTestId('conn-url').fill(url);
  await dialog.getByPlaceholder('docs', { exact: true }).fill(folder);
  return dialog;
}

test('presets fill in a connection to a real server; the Azurite one takes a query-string credential', async ({
  desk,
  pageProblems,
}) => {
  await desk.goto();
  await desk.page.getByRole('button', { name: 'Manage…' }).click();
  const dialog = desk.page.getByTestId('connections-dialog');
  await dialog.getByRole('button', { name: '+ New connection' }).click();
  await dialog
    .getByTestId('conn-preset')
    .selectOption({ label: 'Azurite (Azure Storage emulator)' });
  await expect(dialog.getByTestId('conn-profile')).toHaveValue('azure-table-entity');
  await expect(dialog.getByTestId('conn-url')).toHaveValue(
    'http://127.0.0.1:10002/devstoreaccount1',
  );
  await expect(dialog.getByLabel('Authentication')).toHaveValue('query');
  await expect(
    dialog.getByText('Query string (name=value&…, sent with every request)'),
  ).toBeVisible();
  await expect(dialog.getByTestId('conn-status')).toContainText('account SAS');
  await dialog.getByTestId('conn-preset').selectOption({ label: 'CouchDB / PouchDB Server' });
  await expect(dialog.getByTestId('conn-profile')).toHaveValue('couchdb-document');
  await expect(dialog.getByLabel('Database')).toHaveValue('');
  await desk.screenshot('connection-presets');
  expect(pageProblems).toEqual([]);
});

test('a WebDAV folder on lighttpd: listed, opened and saved with If-Match', async ({
  desk,
  pageProblems,
}) => {
  const server = await startLighttpd();
  try {
    const folder = path.join(server.davRoot, 'tickets');
    mkdirSync(folder);
    for (const n of [1, 2, 3])
      writeFileSync(
        path.join(folder, `ticket-${n}.json`),
        `{\n  "name": "Ticket ${n}",\n  "amount": 1.10,\n  "status": "open"\n}\n`,
      );
    const dialog = await newWebDavConnection(desk, server.url, 'tickets');
    await dialog.getByTestId('conn-save').click();
    await expect(dialog.getByTestId('conn-status')).toContainText('Saved');
    await dialog.getByTestId('conn-test').click();
    await expect(dialog.getByTestId('conn-status')).toContainText('Connected in');
    await dialog.getByRole('button', { name: 'Browse' }).click();
    await expect(desk.page.getByTestId('resource-row')).toHaveCount(3);
    await desk.openResource('ticket-2');
    await expect(desk.revision).toContainText('"');
    await desk.replaceText(
      'editor',
      '{\n  "name": "Ticket 2",\n  "amount": 1.10,\n  "status": "closed"\n}',
    );
    await desk.saveButton.click();
    await expect
      .poll(() => readFileSync(path.join(folder, 'ticket-2.json'), 'utf8'))
      .toContain('"closed"');
    // Lossless: the untouched number keeps its lexeme.
    expect(readFileSync(path.join(folder, 'ticket-2.json'), 'utf8')).toContain('1.10');
    await desk.screenshot('webdav-saved');
    expect(pageProblems).toEqual([]);
  } finally {
    await server.stop();
  }
});

test('a WebDAV file whose name holds the connection’s token is left out of the list, which says so', async ({
  desk,
  pageProblems,
}) => {
  const server = await startLighttpd();
  const token = 'tok-SECRET-5e1f0a9b';
  try {
    const folder = path.join(server.davRoot, 'accounts');
    mkdirSync(folder);
    for (const name of ['ticket-1', `key-${token}`])
      writeFileSync(path.join(folder, `${name}.json`), '{\n  "name": "Account"\n}\n');
    const dialog = await newWebDavConnection(desk, server.url, 'accounts');
    // lighttpd without mod_auth takes the token and ignores it: the folder is listed as it is.
    await dialog.getByTestId('conn-auth').selectOption('bearer');
    await dialog.getByTestId('conn-secret').fill(token);
    await dialog.getByTestId('conn-save').click();
    await expect(dialog.getByTestId('conn-status')).toContainText('Saved');
    await dialog.getByRole('button', { name: 'Browse' }).click();
    await expect(desk.page.getByTestId('resource-row')).toHaveCount(1);
    // The server lists two files; the list shows one and says why, not "1 of 2" alone.
    await expect(desk.page.getByTestId('result-count')).toHaveText(
      '1 of 2 · 1 left out: its id holds this connection’s credential',
    );
    await expect(desk.page.locator('body')).not.toContainText(token);
    await desk.screenshot('list-left-out');
    expect(pageProblems).toEqual([]);
  } finally {
    await server.stop();
  }
});

test('a WebDAV file: digits a double does not keep are saved as typed; a stale save of them says why no merge is offered', async ({
  desk,
  pageProblems,
}) => {
  const server = await startLighttpd();
  try {
    const folder = path.join(server.davRoot, 'ledgers');
    mkdirSync(folder);
    const file = path.join(folder, 'ledger.json');
    const doc = (amount: string, status: string) =>
      `{\n  "amount": ${amount},\n  "status": "${status}"\n}`;
    writeFileSync(file, doc('0.10000000000000000001', 'open') + '\n');
    const dialog = await newWebDavConnection(desk, server.url, 'ledgers');
    await dialog.getByTestId('conn-save').click();
    await expect(dialog.getByTestId('conn-status')).toContainText('Saved');
    await dialog.getByRole('button', { name: 'Browse' }).click();
    await desk.openResource('ledger');
    // Only the last digit: the same double, still an edit, written as typed (Ctrl+S).
    await desk.replaceText('editor', doc('0.10000000000000000002', 'open'));
    await desk.page.keyboard.press('ControlOrMeta+s');
    await expect
      .poll(() => readFileSync(file, 'utf8'))
      .toContain('"amount": 0.10000000000000000002');
    // The app has settled its save (read back) before anyone else writes.
    await expect(desk.message).toContainText('Saved as revision');
    // Someone else writes the file; the operator's next digit edit is refused, in words.
    const theirs = await fetch(`${server.url}/ledgers/ledger.json`, {
      method: 'PUT',
      body: doc('0.10000000000000000003', 'reopened'),
    });
    expect(theirs.status).toBeLessThan(300);
    await desk.replaceText('editor', doc('0.10000000000000000004', 'open'));
    await desk.page.keyboard.press('ControlOrMeta+s');
    await expect(desk.message).toContainText('digits a double does not keep (/amount)');
    await expect(desk.message).toContainText('Nothing was written; your edit is kept.');
    expect(readFileSync(file, 'utf8')).toContain('0.10000000000000000003');
    await desk.screenshots('webdav-digits-stale');
    expect(pageProblems).toEqual([]);
  } finally {
    await server.stop();
  }
});
