// The local store: one database file holding connections, the journal, drafts and the audit log.
import path from 'node:path';
import type { SecretBox } from '../secrets';
import { createAudit } from './audit';
import { createBatchStore } from './batches';
import { createConnections } from './connections';
import { openDatabase, type Database } from './database';
import { createDrafts } from './drafts';
import { createJournal } from './journal';

export function openStore(dataDir: string | ':memory:', box: SecretBox) {
  const db: Database = openDatabase(
    dataDir === ':memory:' ? ':memory:' : path.join(dataDir, 'conflict-desk.sqlite'),
  );
  return {
    db,
    connections: createConnections(db, box),
    journal: createJournal(db),
    drafts: createDrafts(db),
    audit: createAudit(db),
    batches: createBatchStore(db),
    close: () => db.close(),
  };
}

export type Store = ReturnType<typeof openStore>;
