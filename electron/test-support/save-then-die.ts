// A separate process for the crash test: opens a task through a real desk and starts a save, then
// waits to be killed with SIGKILL mid-write. Prints "saving <auditless>" just before sending.
import { crashTestDesk } from './crash-desk';

const [dataDir, sandboxUrl, workspaceSid, taskSid, username, password] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
  string,
];
const { desk, connectionId } = await crashTestDesk({
  dataDir,
  sandboxUrl,
  workspaceSid,
  username,
  password,
});
const ref = { connectionId, id: taskSid };
const opened = await desk.api.openResource({ ref });
if (opened.kind !== 'ok') throw new Error(opened.message);
const doc = JSON.parse(opened.snapshot.text) as Record<string, unknown>;
doc['priority'] = 61;
console.log(`saving ${connectionId}`);
await desk.api.saveResource({
  ref,
  text: JSON.stringify(doc, null, 2),
  baseJournalId: opened.snapshot.journalId,
});
console.log('answered');
