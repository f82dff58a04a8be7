// The host restarted on the port it had (`npm run web -- --port N`): the tab's session and the
// printed address of the earlier start are unknown to it. The page must say what to do, in an
// operator's words, and a fresh address must let the tab back in with the same data.
import { spawnSync } from 'node:child_process';
import { freePort } from '../../electron/test-support/free-port';
import { callApi } from '../support/backend';
import { removeDataDir, startWebHost } from '../support/web-host';
import { test, expect } from '../support/fixtures';

test('after the host restarts on the same port, the tab says how to get back in, and a fresh address does', async ({
  page,
}) => {
  const port = String(await freePort());
  const host = await startWebHost({ extraArgs: ['--port', port, '--no-sandbox'] });
  const again = await (async () => {
    await page.goto(host.url);
    await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
    return host.restart();
  })();
  try {
    // The app's own alerts (Monaco keeps two empty live regions of its own beside the app once
    // an editor was made, as the one prepared while the app is idle).
    const alert = page.getByTestId('app').getByRole('alert');
    await page.reload();
    await expect(alert).toContainText('restarted');
    await expect(alert).toContainText('Press Enter in the terminal running `npm run web`');
    await expect(alert).not.toContainText('x-conflict-desk-token');
    // The list was never read: the sidebar does not claim there is no connection.
    await expect(page.getByRole('complementary', { name: 'Resources' })).not.toContainText(
      'No connection yet',
    );
    await expect(page.getByTestId('connections-unread')).toContainText('could not be read');
    await page.screenshot({ path: 'test-results/screens/stale-session.png' });
    // The address printed by the earlier start: its token is unknown here too.
    await page.goto(host.url);
    await expect(alert).toContainText('Press Enter in the terminal running `npm run web`');
    await expect(alert).not.toContainText('x-conflict-desk-token');
    await page.goto(await again.freshAddress());
    await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
    await expect(alert).toHaveCount(0);
  } finally {
    await again.stop();
    removeDataDir(host.dataDir);
  }
});

test('a second host started on the data directory of a running one refuses in one line, and the first goes on', async ({
  desk,
  host,
}) => {
  await desk.goto();
  const second = spawnSync(
    process.execPath,
    ['out/main/web.js', '--port', '0', '--data', host.dataDir],
    { encoding: 'utf8', timeout: 40_000 },
  );
  expect(second.status).toBe(1);
  expect(second.stdout).toBe('');
  expect(second.stderr.trim()).toBe(
    `conflict-desk web: The data directory ${host.dataDir} is in use by another Conflict Desk (the desktop app, or another \`npm run web\` or \`npm start\`, perhaps one still stopping). Close that one first, or start this one with its own data directory (--data <dir> in browser mode).`,
  );
  // The first one's token file and page are untouched.
  await desk.page.reload();
  await expect(desk.page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
  expect((await callApi<unknown[]>(host, 'listConnections', {})).length).toBeGreaterThan(0);
});
