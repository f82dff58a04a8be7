import { createServer, type Server } from 'node:http';
import { Backend, callApi } from '../support/backend';
import { test, expect } from '../support/fixtures';

let api: Server;
let apiUrl = '';

test.beforeAll(async () => {
  // A small third-party API that guards its resource with a weak ETag.
  api = createServer((req, res) => {
    if (req.url === '/items/42') {
      res.writeHead(200, { 'content-type': 'application/json', etag: 'W/"4c-6abdcf72"' });
      res.end(JSON.stringify({ id: 42, name: 'Gold support', tier: 'gold', seats: 12 }));
    } else {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"message":"no such item"}');
    }
  });
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
  apiUrl = `http://127.0.0.1:${(api.address() as { port: number }).port}`;
});
test.afterAll(() => new Promise<void>((resolve) => api.close(() => resolve())));

test('opens a resource: its JSON and ETag appear, with no console errors or CSP violations', async ({
  desk,
  pageProblems,
}) => {
  await desk.goto();
  await desk.open(`${apiUrl}/items/42`);
  await expect(desk.httpStatus).toHaveText('HTTP 200');
  await expect(desk.quickRevision).toHaveText('ETag W/"4c-6abdcf72"');
  await expect(desk.editorText()).toContainText('"name": "Gold support"');
  await expect(desk.editorText()).toContainText('"seats": 12');
  await desk.page.screenshot({ path: 'test-results/screens/first-screen.png' });
  expect(pageProblems).toEqual([]);
});

test('the editor is prepared while the app is idle, out of sight, and nothing of it is left', async ({
  desk,
  pageProblems,
}) => {
  // Every editor element the page ever holds, counted as it is added (a script: e2e compiles
  // without DOM types).
  await desk.page.addInitScript(`(() => {
    window.editorsAdded = 0;
    new MutationObserver((records) => {
      for (const r of records)
        for (const n of r.addedNodes)
          if (n.nodeType === 1 && (n.matches('.monaco-editor') || n.querySelector('.monaco-editor')))
            window.editorsAdded++;
    }).observe(document, { childList: true, subtree: true });
  })()`);
  await desk.goto();
  await expect.poll(() => desk.page.evaluate<number>('window.editorsAdded')).toBeGreaterThan(0);
  await expect(desk.page.locator('.monaco-editor')).toHaveCount(0);
  await expect(desk.page.locator('[aria-hidden="true"][style*="-10000px"]')).toHaveCount(0);
  expect(pageProblems).toEqual([]);
});

test('says in plain words when the server refuses', async ({ desk, pageProblems }) => {
  await desk.goto();
  await desk.open(`${apiUrl}/items/7`);
  await expect(desk.error).toContainText('The server refused');
  await expect(desk.error).toContainText('404');
  await expect(desk.error).toContainText('no such item');
  await desk.open('ftp://example.com/x');
  await expect(desk.error).toContainText('Only http and https URLs can be opened');
  await desk.page.screenshot({ path: 'test-results/screens/first-screen-error.png' });
  expect(pageProblems).toEqual([]);
});

test('the contract refuses calls without the token, from another origin or another Host', async ({
  host,
  request,
}) => {
  const noToken = await request.post(`${host.origin}/api/appInfo`, { data: {} });
  expect(noToken.status()).toBe(401);
  const foreign = await request.post(`${host.origin}/api/appInfo`, {
    data: {},
    headers: { 'x-conflict-desk-token': host.apiToken, origin: 'http://evil.example' },
  });
  expect(foreign.status()).toBe(403);
  const ok = await request.post(`${host.origin}/api/appInfo`, {
    data: {},
    headers: { 'x-conflict-desk-token': host.apiToken },
  });
  expect(ok.status()).toBe(200);
  expect(await ok.json()).toMatchObject({ host: 'web', dataDir: host.dataDir });
  // The launch token is not a script credential, in a header or in the URL.
  expect(
    (
      await request.post(`${host.origin}/api/appInfo`, {
        data: {},
        headers: { 'x-conflict-desk-token': host.token },
      })
    ).status(),
  ).toBe(401);
  expect(
    (await request.post(`${host.origin}/api/appInfo?token=${host.token}`, { data: {} })).status(),
  ).toBe(401);
});

test('the printed address works once: a reload keeps the session, a second tab is told to get a fresh address', async ({
  desk,
  host,
  context,
}) => {
  await desk.goto();
  expect(desk.page.url()).not.toContain('token=');
  // No credential in a cookie any other port of 127.0.0.1 could read.
  expect(await context.cookies()).toEqual([]);
  await desk.page.reload();
  await expect(desk.page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
  // Pushed events still arrive after the reload (the stream is authorised by the header, no cookie):
  // a script's request shows up in the page's activity panel.
  await desk.page.getByTestId('toggle-activity').click();
  // Only the rows of the script's listing: the page's own first listing may still be landing.
  const rows = desk.page.getByTestId('activity-row').filter({ hasText: '/rest/tickets' });
  const before = await rows.count();
  const backend = await Backend.of(host);
  await callApi(host, 'listResources', { connectionId: backend.connection('(409)').id });
  await expect(rows).toHaveCount(before + 1);
  const second = await context.newPage();
  await second.goto(host.url);
  await expect(second.getByRole('alert')).toContainText('This address was already used');
  await expect(second.getByRole('alert')).toContainText(
    'Press Enter in the terminal running `npm run web`',
  );
  await second.screenshot({ path: 'test-results/screens/spent-launch-address.png' });
  // A fresh address, printed without a restart, opens a new session with the same data.
  const fresh = await host.freshAddress();
  await second.goto(fresh);
  await expect(second.getByTestId('app')).toHaveAttribute('data-ready', 'true');
});
