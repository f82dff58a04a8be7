// `npm run web -- [--port N] [--data DIR] [--no-sandbox] [--write-timeout-ms N] [--team-store URL] [--operator NAME]`:
// browser mode. Prints exactly one line, the address to open (with its single-use token), so
// scripts and tests can read it, then the embedded sandbox's address. Enter on the terminal (or SIGUSR1) prints a fresh address for
// another tab or browser, keeping all state.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDesk } from '../backend/desk-service';
import { HOST_WAITS_FOR_LOCK_MS, lockDataDir } from '../backend/store/data-dir-lock';
import { defaultDataDir } from '../backend/data-dir';
import { startEmbeddedSandbox, type EmbeddedSandbox } from '../backend/embedded-sandbox';
import { keyFileSecretBox } from '../backend/secrets';
import { writeApiToken } from './api-token';
import { parseWebArgs } from './args';
import { startWebHost } from './server';
import { stopOnSignals } from './stop-on-signal';

const VERSION = process.env['npm_package_version'] ?? '0.1.0';

async function main(): Promise<void> {
  const parsed = parseWebArgs(process.argv.slice(2));
  if (!parsed.ok) {
    console.error(`conflict-desk web: ${parsed.error}`);
    process.exit(2);
  }
  const { port, dataDir, sandbox: wantSandbox, writeTimeoutMs, teamStore, operator } = parsed.value;
  const dir = dataDir ?? defaultDataDir();
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // First: the sandbox's file and the api-token file live in the directory too.
  const dataDirLock = lockDataDir(dir, HOST_WAITS_FOR_LOCK_MS);
  const sandbox: EmbeddedSandbox | null = wantSandbox
    ? await startEmbeddedSandbox({ data: path.join(dir, 'sandbox.sqlite') })
    : null;
  const desk = createDesk({
    host: 'web',
    version: VERSION,
    dataDir: dir,
    dataDirLock,
    secretBox: keyFileSecretBox(dir),
    sandbox,
    ...(writeTimeoutMs !== null ? { writeTimeoutMs } : {}),
    ...(teamStore ? { teamStore: { url: teamStore, ...(operator ? { operator } : {}) } } : {}),
  });
  const rendererDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../renderer');
  const apiToken = writeApiToken(dir);
  const host = await startWebHost({
    service: desk.api,
    events: desk.onEvent,
    rendererDir,
    scriptToken: apiToken.token,
    port,
  });
  // Before the address is printed: that line says the host is up, and a signal sent on seeing it
  // (a supervisor's, a test's) found no handler yet and killed it uncleanly, token file left behind.
  stopOnSignals({
    stop: async () => {
      apiToken.remove();
      await host.close();
      await desk.close();
      await sandbox?.close();
      dataDirLock.release();
    },
    exit: (code) => process.exit(code),
    say: (line) => console.error(line),
    on: (signal, handler) => process.on(signal, handler),
  });
  const printAddress = (url: string) => console.log(`Conflict Desk (browser mode): ${url}`);
  printAddress(host.url);
  if (sandbox)
    console.log(
      `Embedded sandbox: ${sandbox.url} (admin API at ${sandbox.url}/_sandbox, see docs/sandbox.md)`,
    );
  const fresh = () => printAddress(host.newLaunchUrl());
  process.on('SIGUSR1', fresh);
  if (process.stdin.isTTY) {
    process.stdin.on('data', fresh);
  }
}

// A host that cannot start (its port taken, its data directory unwritable) says why in one line.
main().catch((error: unknown) => {
  console.error(`conflict-desk web: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
