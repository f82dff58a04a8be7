// A separate process for the batch crash test: starts a batch through a real desk and prints
// "started <batchId> <connectionId>", then waits to be killed with SIGKILL mid-run.
import { crashTestDesk } from './crash-desk';

const [dataDir, sandboxUrl, workspaceSid, username, password, ...taskSids] = process.argv.slice(
  2,
) as [string, string, string, string, string, ...string[]];
const { desk, connectionId } = await crashTestDesk({
  dataDir,
  sandboxUrl,
  workspaceSid,
  username,
  password,
});
const started = await desk.api.startBatch({
  connectionId,
  resourceIds: taskSids,
  intents: [
    { kind: 'json-patch', ops: [{ op: 'add', path: '/attributes/log/-', value: 'batch' }] },
  ],
  concurrency: 1,
});
if (started.kind !== 'ok') throw new Error(started.message);
console.log(`started ${started.batch.batchId} ${connectionId}`);
