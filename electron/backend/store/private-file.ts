// Database files hold drafts, journalled resources and (encrypted) secrets: readable by the user
// alone. SQLite creates its -wal and -shm files with the main file's mode, so the main file is
// created 0600 before SQLite opens it, and all three are tightened after (for an older data
// directory, or a umask that loosened them).
import { chmodSync, closeSync, existsSync, openSync } from 'node:fs';

export const PRIVATE_FILE_MODE = 0o600;

export function createPrivateFile(file: string): void {
  if (file === ':memory:') return;
  closeSync(openSync(file, 'a', PRIVATE_FILE_MODE));
  tightenDatabaseFiles(file);
}

export function tightenDatabaseFiles(file: string): void {
  if (file === ':memory:') return;
  for (const name of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) {
    if (existsSync(name)) chmodSync(name, PRIVATE_FILE_MODE);
  }
}
