// Drafts: what the operator typed, autosaved per resource, so a crash or restart loses nothing.
import type { DatabaseSync } from 'node:sqlite';
import type { Draft } from '../../../shared/api/types';

type Row = { text: string; base_revision: string | null; base_journal_id: number | null; updated_at: string; merge: string | null };

export function createDrafts(db: DatabaseSync) {
  const upsert = db.prepare(`
    INSERT INTO drafts (connection_id, resource_path, text, base_revision, base_journal_id, updated_at, merge) VALUES (?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (connection_id, resource_path) DO UPDATE SET text = excluded.text, base_revision = excluded.base_revision,
      base_journal_id = excluded.base_journal_id, updated_at = excluded.updated_at, merge = excluded.merge`);
  const get = db.prepare('SELECT * FROM drafts WHERE connection_id = ? AND resource_path = ?');
  const remove = db.prepare('DELETE FROM drafts WHERE connection_id = ? AND resource_path = ?');
  const removeAll = db.prepare('DELETE FROM drafts WHERE connection_id = ?');
  return {
    save(connectionId: string, resourceId: string, draft: Omit<Draft, 'updatedAt'>): Draft {
      const updatedAt = new Date().toISOString();
      upsert.run(connectionId, resourceId, draft.text, draft.baseRevision, draft.baseJournalId, updatedAt, draft.merge);
      return { ...draft, updatedAt };
    },
    get(connectionId: string, resourceId: string): Draft | null {
      const row = get.get(connectionId, resourceId) as Row | undefined;
      return row ? { text: row.text, baseRevision: row.base_revision, baseJournalId: row.base_journal_id, updatedAt: row.updated_at, merge: row.merge } : null;
    },
    discard(connectionId: string, resourceId: string): void {
      remove.run(connectionId, resourceId);
    },
    discardConnection(connectionId: string): void {
      removeAll.run(connectionId);
    },
  };
}

export type Drafts = ReturnType<typeof createDrafts>;
