// `npm run web -- [--port N] [--data DIR] [--no-sandbox] [--write-timeout-ms N]`: browser mode. Prints the address to
// open (with its token) as its first line, so scripts and tests can read it, then the embedded sandbox's address.
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDesk } from '../backend/desk-service';
import { defaultDataDir } from '../backend/data-dir';
import { startEmbeddedSandbox, type EmbeddedSandbox } from '../backend/embedded-sandbox';
import { keyFileSecretBox } from '../backend/secrets';
import { parseWebArgs } from './args';
import { startWebHost } from './server';

const VERSION = process.env['npm_package_version'] ?? '0.1.0';

async function main(): Promise<void> {
  const parsed = parseWebArgs(process.argv.slice(2));
  if (!parsed.ok) {
    console.error(`conflict-desk web: ${parsed.error}`);
    process.exit(2);
  }
  const { port, dataDir, sandbox: wantSandbox, writeTimeoutMs } = parsed.value;
  const dir = dataDir ?? defaultDataDir();
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const sandbox: EmbeddedSandbox | null = wantSandbox ? await startEmbeddedSandbox({ data: path.join(dir, 'sandbox.sqlite') }) : null;
  const desk = createDesk({ host: 'web', version: VERSION, dataDir: dir, secretBox: keyFileSecretBox(dir), sandbox, ...(writeTimeoutMs !== null ? { writeTimeoutMs } : {}) });
  const rendererDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../renderer');
  const host = await startWebHost({ service: desk.api, events: desk.onEvent, rendererDir, token: randomBytes(24).toString('hex'), port });
  console.log(`Conflict Desk (browser mode): ${host.url}`);
  if (sandbox) console.log(`Embedded sandbox: ${sandbox.url} (admin API at ${sandbox.url}/_sandbox, see docs/sandbox.md)`);
  const stop = async () => {
    await host.close();
    await desk.close();
    await sandbox?.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

void main();
