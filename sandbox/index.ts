// Public entry: start an embedded sandbox (tests, e2e fixtures, the app's "try it" connection).
import { startServer } from './server';
import type { SeedName } from './seed';

export { SANDBOX_CREDENTIALS } from './credentials';
export { SANDBOX_IDS } from './seed';

export type SandboxOptions = {
  /** 0 = a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** A database file path or ':memory:' (default). */
  data?: string;
  /** Applied when the database is new. Default 'demo'. */
  seed?: SeedName;
};

export type { RunningServer as RunningSandbox } from './server';
import type { RunningServer } from './server';

export function startSandbox(options: SandboxOptions = {}): Promise<RunningServer> {
  return startServer({
    port: options.port ?? 0,
    host: options.host ?? '127.0.0.1',
    data: options.data ?? ':memory:',
    seed: options.seed ?? 'demo',
  });
}
