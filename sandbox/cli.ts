// `npm run sandbox -- [--port N] [--data FILE|:memory:] [--seed demo|none] [--host H]`
import { parseArgs } from 'node:util';
import { startSandbox } from './index';
import type { SandboxOptions } from './index';

const USAGE =
  'Usage: npm run sandbox -- [--port N] [--host 127.0.0.1] [--data FILE|:memory:] [--seed demo|none]';

function fail(message: string): never {
  console.error(`sandbox: ${message}\n${USAGE}`);
  process.exit(2);
}

function parseOptions(argv: string[]): SandboxOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        data: { type: 'string' },
        seed: { type: 'string' },
        help: { type: 'boolean' },
      },
    }));
  } catch (error) {
    fail((error as Error).message);
  }
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const options: SandboxOptions = {};
  if (values.port !== undefined) {
    const port = Number(values.port);
    if (!/^\d+$/.test(values.port) || port > 65535)
      fail(`--port must be an integer between 0 and 65535, got '${values.port}'`);
    options.port = port;
  }
  if (values.host !== undefined) options.host = values.host;
  if (values.data !== undefined) {
    if (values.data === '') fail('--data needs a file path or :memory:');
    options.data = values.data;
  }
  if (values.seed !== undefined) {
    if (values.seed !== 'demo' && values.seed !== 'none')
      fail(`--seed must be 'demo' or 'none', got '${values.seed}'`);
    options.seed = values.seed;
  }
  return options;
}

const sandbox = await startSandbox({ port: 4010, ...parseOptions(process.argv.slice(2)) });
console.log(`Sandbox listening on ${sandbox.url}`);
let stopping = false;
const stop = (signal: string) => {
  if (stopping) return;
  stopping = true;
  sandbox.close().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(`sandbox: error while closing after ${signal}: ${(error as Error).message}`);
      process.exit(1);
    },
  );
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
