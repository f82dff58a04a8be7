// Drafts: what the operator typed, autosaved per resource, so a crash or restart loses nothing.
import type { DatabaseSync } from 'node:sqlite';
import type { Draft, DraftSummary } from '../../../shared/api/types';

type Row = {
  text: string;
  base_revision: string | null;
  base_journal_id: number | null;
  updated_at: string;
  merge: string | null;
};

export function createDrafts(db: DatabaseSync) {
  const upsert = db.prepare(`
    INSERT INTO drafts (connection_id, resource_path, text, base_revision, base_journal_id, updated_at, merge, writer) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (connection_id, resource_path) DO UPDATE SET text = excluded.text, base_revision = excluded.base_revision,
      base_journal_id = excluded.base_journal_id, updated_at = excluded.updated_at, merge = excluded.merge, writer = excluded.writer`);
  const get = db.prepare('SELECT * FROM drafts WHERE connection_id = ? AND resource_path = ?');
  const remove = db.prepare('DELETE FROM drafts WHERE connection_id = ? AND resource_path = ?');
  const version = db.prepare(
    'SELECT updated_at, writer FROM drafts WHERE connection_id = ? AND resource_path = ?',
  );
  const removeAll = db.prepare('DELETE FROM drafts WHERE connection_id = ?');
  const byConnection = db.prepare(
    'SELECT resource_path, updated_at, merge IS NOT NULL AS has_merge FROM drafts WHERE connection_id = ? ORDER BY updated_at DESC',
  );
  return {
    save(
      connectionId: string,
      resourceId: string,
      draft: Omit<Draft, 'updatedAt'>,
      writer: string | null = null,
    ): Draft {
      // Always later than the draft it replaces, even within a millisecond: a window compares it
      // with the one it last kept to tell whether another window wrote in between.
      const stored = this.version(connectionId, resourceId)?.updatedAt ?? null;
      let updatedAt = new Date().toISOString();
      if (stored !== null && updatedAt <= stored)
        updatedAt = new Date(Date.parse(stored) + 1).toISOString();
      upsert.run(
        connectionId,
        resourceId,
        draft.text,
        draft.baseRevision,
        draft.baseJournalId,
        updatedAt,
        draft.merge,
        writer,
      );
      return { ...draft, updatedAt };
    },
    get(connectionId: string, resourceId: string): Draft | null {
      const row = get.get(connectionId, resourceId) as Row | undefined;
      return row
        ? {
            text: row.text,
            baseRevision: row.base_revision,
            baseJournalId: row.base_journal_id,
            updatedAt: row.updated_at,
            merge: row.merge,
          }
        : null;
    },
    discard(connectionId: string, resourceId: string): void {
      remove.run(connectionId, resourceId);
    },
    /** When the resource's draft was last kept and by which writer (a window's tab), if it has one. */
    version(
      connectionId: string,
      resourceId: string,
    ): { updatedAt: string; writer: string | null } | null {
      const row = version.get(connectionId, resourceId) as
        { updated_at: string; writer: string | null } | undefined;
      return row ? { updatedAt: row.updated_at, writer: row.writer } : null;
    },
    list(connectionId: string): DraftSummary[] {
      return (
        byConnection.all(connectionId) as Array<{
          resource_path: string;
          updated_at: string;
          has_merge: number;
        }>
      ).map((r) => ({ id: r.resource_path, updatedAt: r.updated_at, hasMerge: r.has_merge === 1 }));
    },
    discardConnection(connectionId: string): void {
      removeAll.run(connectionId);
    },
  };
}

export type Drafts = ReturnType<typeof createDrafts>;
