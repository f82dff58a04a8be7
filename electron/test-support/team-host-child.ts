// A desk in its own process, for the team store's two-host tests: it can be killed with SIGKILL
// like a real crashed copy. It speaks the contract over the Node IPC channel: {id, method, args}
// in, {id, result} out, and pushes nothing else. Configured by the environment set by team-host.ts.
import { createDesk } from '../backend/desk-service';
import { sandboxConnections, suggestedResourceUrl } from '../backend/embedded-sandbox';
import { keyFileSecretBox } from '../backend/secrets';
import type { Api } from '../../shared/api/contract';

const env = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};
const sandboxUrl = env('TEAM_HOST_SANDBOX_URL');
const dataDir = env('TEAM_HOST_DATA_DIR');
const desk = createDesk({
  host: 'web',
  version: 'test',
  dataDir,
  secretBox: keyFileSecretBox(dataDir),
  sandbox: {
    url: sandboxUrl,
    suggestedUrl: suggestedResourceUrl(sandboxUrl),
    connections: sandboxConnections(),
    close: async () => undefined,
  },
  retry: { attempts: 3, baseDelayMs: 10, maxDelayMs: 200 },
  writeTimeoutMs: 3000,
  teamStore: { url: env('TEAM_HOST_TEAM_STORE'), operator: env('TEAM_HOST_OPERATOR') },
  teamHeartbeatMs: Number(process.env['TEAM_HOST_HEARTBEAT_MS'] ?? 3000),
  teamPresenceTtlMs: Number(process.env['TEAM_HOST_TTL_MS'] ?? 9000),
});

type Call = { id: number; method: keyof Api; args: unknown };
process.on('message', (message: Call) => {
  const fn = desk.api[message.method] as (args: unknown) => Promise<unknown>;
  fn(message.args).then(
    (result) => process.send?.({ id: message.id, result }),
    (error: unknown) => process.send?.({ id: message.id, error: String(error) }),
  );
});
process.on('SIGTERM', () => {
  desk.close().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error('team host child: closing failed:', error);
      process.exit(1);
    },
  );
});
process.send?.({ ready: true });
