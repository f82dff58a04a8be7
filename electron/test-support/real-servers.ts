// Real servers nobody here wrote, started for a test on a free loopback port in a temp dir and
// stopped by PID: lighttpd + mod_webdav (Debian), pouchdb-server and Azurite (npm, installed once
// into a cache dir by scripts/real-servers.mjs so `npm ci` stays lean).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
// @ts-expect-error -- a plain .mjs script without types; its one function returns the install dir
import { ensureRealServers } from '../../scripts/real-servers.mjs';
import { freePort } from './free-port';

export { freePort };

export type RealServer = {
  url: string;
  port: number;
  dir: string;
  pid: number;
  log(): string;
  stop(): Promise<void>;
};

/** The dir holding node_modules/.bin of the npm-installed servers (installs them the first time). */
export function npmServersDir(): string {
  return (ensureRealServers as () => string)();
}

export function lighttpdAvailable(module = 'mod_webdav'): boolean {
  return (
    existsSync('/usr/sbin/lighttpd') &&
    [
      '/usr/lib/lighttpd',
      '/usr/lib/x86_64-linux-gnu/lighttpd',
      '/usr/lib/aarch64-linux-gnu/lighttpd',
    ].some((dir) => existsSync(path.join(dir, `${module}.so`)))
  );
}

async function waitForPort(
  port: number,
  child: ChildProcess,
  output: () => string,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`the server exited (${child.exitCode}) before listening:\n${output()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline)
      throw new Error(`the server did not listen on ${port} within ${timeoutMs} ms:\n${output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function launch(
  command: string,
  args: string[],
  dir: string,
  port: number,
  stopSignal: NodeJS.Signals,
): Promise<RealServer> {
  const child = spawn(command, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => {
    output = (output + d.toString()).slice(-20_000);
  });
  child.stderr!.on('data', (d: Buffer) => {
    output = (output + d.toString()).slice(-20_000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      process.kill(child.pid!, stopSignal);
      const timer = setTimeout(
        () =>
          child.exitCode === null &&
          child.signalCode === null &&
          process.kill(child.pid!, 'SIGKILL'),
        10_000,
      );
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  return waitForPort(port, child, () => output).then(
    () => ({
      url: `http://127.0.0.1:${port}`,
      port,
      dir,
      pid: child.pid!,
      log: () => output,
      stop,
    }),
    async (error: unknown) => {
      await stop();
      throw error;
    },
  );
}

const tempDir = (name: string) => mkdtempSync(path.join(os.tmpdir(), `cd-real-${name}-`));

/** lighttpd serving DIR/dav with mod_webdav read-write; stopped with SIGTERM. */
export async function startLighttpd(
  options: { denySuffix?: string; extraConfig?: string[] } = {},
): Promise<RealServer & { davRoot: string }> {
  // Missing is a failure, not a skip: CI installs it (.ci/run), and a skipped round trip proves nothing.
  if (!lighttpdAvailable())
    throw new Error(
      'lighttpd with mod_webdav is not installed: apt-get install lighttpd lighttpd-mod-webdav',
    );
  if (
    options.extraConfig?.some((line) => line.includes('mod_deflate')) &&
    !lighttpdAvailable('mod_deflate')
  )
    throw new Error(
      "lighttpd's mod_deflate is not installed: apt-get install lighttpd-mod-deflate (.ci/run does)",
    );
  const dir = tempDir('lighttpd');
  const port = await freePort();
  const davRoot = path.join(dir, 'dav');
  mkdirSync(davRoot);
  writeFileSync(
    path.join(dir, 'lighttpd.conf'),
    [
      'server.modules = ( "mod_access", "mod_webdav", "mod_accesslog" )',
      ...(options.denySuffix ? [`url.access-deny = ( "${options.denySuffix}" )`] : []),
      `server.document-root = "${davRoot}"`,
      'server.bind = "127.0.0.1"',
      `server.port = ${port}`,
      `server.errorlog = "${path.join(dir, 'error.log')}"`,
      `server.pid-file = "${path.join(dir, 'lighttpd.pid')}"`,
      'mimetype.assign = ( ".json" => "application/json" )',
      'webdav.activate = "enable"',
      'webdav.is-readonly = "disable"',
      ...(options.extraConfig ?? []),
      '',
    ].join('\n'),
  );
  const server = await launch(
    '/usr/sbin/lighttpd',
    ['-D', '-f', path.join(dir, 'lighttpd.conf')],
    dir,
    port,
    'SIGTERM',
  );
  return { ...server, davRoot };
}

/** pouchdb-server in memory; stopped with SIGTERM. */
export async function startPouchDb(): Promise<RealServer> {
  const bin = path.join(npmServersDir(), 'node_modules', '.bin', 'pouchdb-server');
  const dir = tempDir('pouchdb');
  const port = await freePort();
  writeFileSync(path.join(dir, 'config.json'), '{}');
  return launch(
    bin,
    [
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--in-memory',
      '--dir',
      dir,
      '--config',
      path.join(dir, 'config.json'),
      '--no-color',
    ],
    dir,
    port,
    'SIGTERM',
  );
}

/** Azurite's Table service in memory, telemetry off; it stops cleanly only with SIGINT. */
export async function startAzuriteTable(): Promise<RealServer> {
  const bin = path.join(npmServersDir(), 'node_modules', '.bin', 'azurite-table');
  const dir = tempDir('azurite');
  const port = await freePort();
  return launch(
    bin,
    [
      '--tableHost',
      '127.0.0.1',
      '--tablePort',
      String(port),
      '--inMemoryPersistence',
      '--disableTelemetry',
      '--silent',
    ],
    dir,
    port,
    'SIGINT',
  );
}

/** The emulator's well-known account and an account SAS for it, valid until 2099 (docs: Azurite). */
export const AZURITE_ACCOUNT = 'devstoreaccount1';
export const AZURITE_SAS =
  'sv=2019-02-02&ss=t&srt=sco&spr=https%2Chttp&se=2099-12-31T00%3A00%3A00Z&sp=rwdlau&sig=pfW2iGh9a0oJ61qOmb0i9ZDjg6Y5R3N0dzXAHeyIRoI%3D';
