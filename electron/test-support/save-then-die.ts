// A separate process for the crash test: opens a task through a real desk and starts a save, then
// waits to be killed with SIGKILL mid-write. Prints "saving <auditless>" just before sending.
import { createDesk } from '../backend/desk-service';
import { keyFileSecretBox } from '../backend/secrets';

const [dataDir, sandboxUrl, workspaceSid, taskSid, username, password] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
  string,
];
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
const ref = { connectionId: saved.connection.id, id: taskSid };
const opened = await desk.api.openResource({ ref });
if (opened.kind !== 'ok') throw new Error(opened.message);
const doc = JSON.parse(opened.snapshot.text) as Record<string, unknown>;
doc['priority'] = 61;
console.log(`saving ${saved.connection.id}`);
await desk.api.saveResource({
  ref,
  text: JSON.stringify(doc, null, 2),
  baseJournalId: opened.snapshot.journalId,
});
console.log('answered');
