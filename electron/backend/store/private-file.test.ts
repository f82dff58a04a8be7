// Store files are the user's alone (0600): the app's database with its -wal and -shm files and the
// sandbox's database.
import { chmodSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startSandbox } from '../../../sandbox/index';
import { keyFileSecretBox } from '../secrets';
import { openStore } from './index';

const modeOf = (file: string) => statSync(file).mode & 0o777;

describe('store files are 0600', () => {
  it('the app database and its WAL files, even under a permissive umask', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cd-perm-'));
    const previous = process.umask(0o022);
    try {
      const store = openStore(dir, keyFileSecretBox(dir));
      store.drafts.save('c', 'r', {
        text: '{}',
        baseRevision: null,
        baseJournalId: null,
        merge: null,
      });
      const files = readdirSync(dir).filter((f) => f.startsWith('conflict-desk.sqlite'));
      expect(files).toEqual(
        expect.arrayContaining([
          'conflict-desk.sqlite',
          'conflict-desk.sqlite-wal',
          'conflict-desk.sqlite-shm',
        ]),
      );
      for (const file of files) expect(modeOf(path.join(dir, file)), file).toBe(0o600);
      store.close();
    } finally {
      process.umask(previous);
    }
  });

  it('tightens a database an older version left 0644', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cd-perm-'));
    const file = path.join(dir, 'conflict-desk.sqlite');
    writeFileSync(file, '');
    chmodSync(file, 0o644);
    const store = openStore(dir, keyFileSecretBox(dir));
    expect(modeOf(file)).toBe(0o600);
    store.close();
  });

  it('the sandbox database', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cd-perm-'));
    const sandbox = await startSandbox({ data: path.join(dir, 'sandbox.sqlite') });
    try {
      for (const file of readdirSync(dir)) expect(modeOf(path.join(dir, file)), file).toBe(0o600);
    } finally {
      await sandbox.close();
    }
  });
});
