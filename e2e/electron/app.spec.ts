// The desktop app itself. Where the Electron binary is missing (offline installs), this reports
// itself skipped; everything it drives is also covered in browser mode.
import { _electron as electron, expect, test } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { electronBinary } from '../../scripts/electron-binary.mjs';
import { apiMethodNames } from '../../shared/api/contract';

const binary = electronBinary();

test.skip(
  !binary,
  'Electron binary not installed on this machine (offline install); the browser project covers the UI.',
);

test('the desktop window opens on the first screen with the contract over IPC', async () => {
  const app = await electron.launch({
    executablePath: binary as unknown as string,
    args: [
      'out/main/index.js',
      `--user-data-dir=${mkdtempSync(path.join(os.tmpdir(), 'cd-electron-'))}`,
    ],
  });
  const window = await app.firstWindow();
  await expect(window.getByTestId('app')).toHaveAttribute('data-ready', 'true');
  await expect(window.getByTestId('host-kind')).toContainText('Desktop');
  const exposed = await window.evaluate(() =>
    Object.keys((window as unknown as { api: object }).api).sort(),
  );
  expect(exposed).toEqual([...apiMethodNames, 'onEvent'].sort());
  await expect(window.getByTestId('resource-row').first()).toBeVisible();
  expect(await window.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe(
    'undefined',
  );
  await app.close();
});
