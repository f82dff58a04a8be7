// The script token: written at each start to `api-token` in the data directory, readable by the
// user alone (0600), so scripts on this machine can call the contract with the header
// `x-conflict-desk-token` while the browser's launch token stays single-use.
import { randomBytes } from 'node:crypto';
import { chmodSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const API_TOKEN_FILE = 'api-token';

export function writeApiToken(dataDir: string): { token: string; file: string; remove(): void } {
  const token = randomBytes(32).toString('hex');
  const file = path.join(dataDir, API_TOKEN_FILE);
  const temp = `${file}.${process.pid}.tmp`;
  // Created 0600 (and chmod'ed, in case of a umask or an older file), then renamed into place.
  writeFileSync(temp, `${token}\n`, { mode: 0o600 });
  chmodSync(temp, 0o600);
  renameSync(temp, file);
  return { token, file, remove: () => rmSync(file, { force: true }) };
}
