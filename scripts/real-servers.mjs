#!/usr/bin/env node
// Installs the real servers the integration tests start (pouchdb-server, Azurite) once into a
// cache directory outside the project's node_modules, so `npm ci` stays small and reliable and
// a second run reuses them. Prints the directory. Pinned versions: a new one is a new directory.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const REAL_SERVER_PACKAGES = { 'pouchdb-server': '4.2.0', azurite: '3.37.0' };

export function realServersDir() {
  const root =
    process.env.CONFLICT_DESK_SERVERS_DIR ??
    join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'conflict-desk-real-servers');
  const tag = `${Object.entries(REAL_SERVER_PACKAGES)
    .map(([name, version]) => `${name}@${version}`)
    .join('+')}-noscripts`;
  return join(root, tag);
}

/** The directory holding node_modules/.bin/pouchdb-server and azurite-table; installs when absent. */
export function ensureRealServers() {
  const dir = realServersDir();
  if (existsSync(join(dir, 'installed'))) return dir;
  const staging = `${dir}.tmp-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  writeFileSync(
    join(staging, 'package.json'),
    JSON.stringify({ name: 'conflict-desk-real-servers', private: true }),
  );
  const specs = Object.entries(REAL_SERVER_PACKAGES).map(([name, version]) => `${name}@${version}`);
  // --ignore-scripts: in memory, neither server needs a native build (leveldown loads its bundled
  // prebuilds; sqlite3, which would compile for minutes, is never loaded), and no third-party
  // install script runs.
  execFileSync(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--no-save',
      '--ignore-scripts',
      '--loglevel=error',
      ...specs,
    ],
    { cwd: staging, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  writeFileSync(join(staging, 'installed'), `${specs.join('\n')}\n`);
  rmSync(dir, { recursive: true, force: true });
  try {
    renameSync(staging, dir);
  } catch (error) {
    // Another process finished first: keep theirs.
    if (!existsSync(join(dir, 'installed'))) throw error;
    rmSync(staging, { recursive: true, force: true });
  }
  return dir;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const started = Date.now();
  const dir = ensureRealServers();
  console.log(`${dir} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}
