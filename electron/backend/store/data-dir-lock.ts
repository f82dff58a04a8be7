// One running app per data directory. Two hosts on one directory (two `npm run web` in two
// terminals) each took the other's writes in flight for writes left by a host that stopped, and
// its running batch for an interrupted one, which resuming wrote a second time. The lock is the
// OS's own (an SQLite file held in EXCLUSIVE locking mode): it goes with the process however that
// ends, kill -9 included, so no stale lock is ever left to clear by hand.
import { DatabaseSync } from 'node:sqlite';
import path from 'node:path';

export const LOCK_FILE = 'conflict-desk.lock';

export type DataDirLock = { readonly dir: string; release(): void };

/** Thrown when another process (or another desk in this one) holds the directory. */
export class DataDirInUse extends Error {
  constructor(readonly dir: string) {
    super(
      `The data directory ${dir} is in use by another Conflict Desk (another window of the app, or another \`npm run web\` or \`npm start\`). Close that one first, or start this one with its own directory (--data <dir>).`,
    );
    this.name = 'DataDirInUse';
  }
}

/**
 * Holds `dir` for this process until `release()`. `waitMs`: how long to wait for a holder that is
 * closing (a restart's old process still on its way out).
 */
export function lockDataDir(dir: string, waitMs = 2000): DataDirLock {
  const db = new DatabaseSync(path.join(dir, LOCK_FILE));
  try {
    // Written once in EXCLUSIVE mode, the file stays locked until the connection closes.
    db.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.round(waitMs))}`);
    db.exec('PRAGMA locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
    db.exec('CREATE TABLE IF NOT EXISTS holder (pid INTEGER NOT NULL)');
    db.exec('DELETE FROM holder');
    db.prepare('INSERT INTO holder (pid) VALUES (?)').run(process.pid);
    db.exec('COMMIT');
  } catch (error) {
    db.close();
    if (/locked|busy/i.test((error as Error)?.message ?? '')) throw new DataDirInUse(dir);
    throw error;
  }
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
