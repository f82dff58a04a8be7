// One running app per data directory. Two hosts on one directory (two `npm run web` in two
// terminals) each took the other's writes in flight for writes left by a host that stopped, and
// its running batch for an interrupted one, which resuming wrote a second time. The lock is the
// OS's own (an SQLite file held in EXCLUSIVE locking mode): it goes with the process however that
// ends, kill -9 included, so no stale lock is ever left to clear by hand.
//
// POSIX drops a process's locks on a file when it closes any descriptor of that file: nothing in
// this process may open the lock file itself (its mode is set with chmod, which opens nothing).
import { chmodSync, mkdirSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import path from 'node:path';

export const LOCK_FILE = 'conflict-desk.lock';
/**
 * How long a host starting waits for the directory: a host stopping lets the calls under way
 * finish first (up to 10 s, desk-service's close), and a quick restart must not be refused then.
 */
export const HOST_WAITS_FOR_LOCK_MS = 12_000;

export type DataDirLock = { readonly dir: string; release(): void };

/** Thrown when another process (or another desk in this one) holds the directory. */
export class DataDirInUse extends Error {
  constructor(readonly dir: string) {
    super(
      `The data directory ${dir} is in use by another Conflict Desk (the desktop app, or another \`npm run web\` or \`npm start\`, perhaps one still stopping). Close that one first, or start this one with its own data directory (--data <dir> in browser mode).`,
    );
    this.name = 'DataDirInUse';
  }
}

/**
 * Holds `dir` for this process until `release()`. `waitMs`: how long to wait for a holder that is
 * closing (a restart's old process still on its way out).
 */
export function lockDataDir(dir: string, waitMs = 2000): DataDirLock {
  const file = path.join(dir, LOCK_FILE);
  let db: DatabaseSync;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    db = new DatabaseSync(file);
  } catch (error) {
    throw new Error(
      `The data directory's lock file ${file} cannot be opened: ${(error as Error).message}`,
      { cause: error },
    );
  }
  try {
    // Written once in EXCLUSIVE mode, the file stays locked until the connection closes. Its
    // journal is kept in memory: no second file beside it.
    db.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.round(waitMs))}`);
    db.exec('PRAGMA locking_mode = EXCLUSIVE');
    db.exec('PRAGMA journal_mode = MEMORY');
    db.exec('BEGIN EXCLUSIVE');
    db.exec('CREATE TABLE IF NOT EXISTS holder (pid INTEGER NOT NULL)');
    db.exec('DELETE FROM holder');
    db.prepare('INSERT INTO holder (pid) VALUES (?)').run(process.pid);
    db.exec('COMMIT');
  } catch (error) {
    db.close();
    if (/locked|busy/i.test((error as Error)?.message ?? '')) throw new DataDirInUse(dir);
    throw new Error(
      `The data directory's lock file ${file} cannot be written: ${(error as Error).message}`,
      { cause: error },
    );
  }
  chmodSync(file, 0o600);
  let held = true;
  return {
    dir,
    release() {
      if (!held) return;
      held = false;
      db.close();
    },
  };
}
