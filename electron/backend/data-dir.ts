// Where browser mode keeps its data when no --data is given (Electron uses app.getPath('userData')).
import os from 'node:os';
import path from 'node:path';

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env['XDG_DATA_HOME'] || path.join(os.homedir(), '.local', 'share');
  return path.join(base, 'conflict-desk');
}
