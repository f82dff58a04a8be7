// A separate process for the batch crash test: starts a batch through a real desk and prints
// "started <batchId> <connectionId>", then waits to be killed with SIGKILL mid-run.
import { createDesk } from '../backend/desk-service';
import { keyFileSecretBox } from '../backend/secrets';

const [dataDir, sandboxUrl, workspaceSid, username, password, ...taskSids] = process.argv.slice(
  2,
) as [string, string, string, string, string, ...string[]];
const desk = createDesk({
  host: 'web',
  version: 'test',
  dataDir,
  secretBox: keyFileSecretBox(dataDir),
  sandbox: null,
});
const saved = await desk.api.saveConnection({
  connection: {
    name: 'Crash test',
    profileId: 'twilio-taskrouter-task',
    baseUrl: `${sandboxUrl}/taskrouter`,
    params: { workspaceSid },
    auth: { kind: 'basic', username, password },
  },
});
if (saved.kind !== 'ok') throw new Error(saved.message);
const started = await desk.api.startBatch({
  connectionId: saved.connection.id,
  resourceIds: taskSids,
  intents: [
    { kind: 'json-patch', ops: [{ op: 'add', path: '/attributes/log/-', value: 'batch' }] },
  ],
  concurrency: 1,
});
if (started.kind !== 'ok') throw new Error(started.message);
console.log(`started ${started.batch.batchId} ${saved.connection.id}`);
