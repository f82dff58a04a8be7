// For the crash tests' separate processes (save-then-die, batch-then-die): a real desk on a data
// directory with a TaskRouter connection to the sandbox, which the test then kills with SIGKILL.
import { createDesk, type Desk } from '../backend/desk-service';
import { keyFileSecretBox } from '../backend/secrets';

export async function crashTestDesk(options: {
  dataDir: string;
  sandboxUrl: string;
  workspaceSid: string;
  username: string;
  password: string;
}): Promise<{ desk: Desk; connectionId: string }> {
  const desk = createDesk({
    host: 'web',
    version: 'test',
    dataDir: options.dataDir,
    secretBox: keyFileSecretBox(options.dataDir),
    sandbox: null,
  });
  const saved = await desk.api.saveConnection({
    connection: {
      name: 'Crash test',
      profileId: 'twilio-taskrouter-task',
      baseUrl: `${options.sandboxUrl}/taskrouter`,
      params: { workspaceSid: options.workspaceSid },
      auth: { kind: 'basic', username: options.username, password: options.password },
    },
  });
  if (saved.kind !== 'ok') throw new Error(saved.message);
  return { desk, connectionId: saved.connection.id };
}
