// The audit log: every write the app sent, who sent it, against which revision, what changed,
// and — for an overwrite — what it replaced.
import os from 'node:os';
import type { DatabaseSync } from 'node:sqlite';
import type { AuditEntry } from '../../../shared/api/types';

type Row = {
  id: number; at: string; os_user: string; connection_id: string; resource_path: string; mode: string;
  from_revision: string | null; to_revision: string | null; outcome: string; paths_json: string; replaced_json: string | null;
};

export function osUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return process.env['USER'] ?? process.env['USERNAME'] ?? 'unknown';
  }
}

export function createAudit(db: DatabaseSync) {
  const insert = db.prepare(`INSERT INTO audit (at, os_user, connection_id, resource_path, mode, from_revision, to_revision, outcome, paths_json, replaced_json)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const byResource = db.prepare('SELECT * FROM audit WHERE connection_id = ? AND resource_path = ? ORDER BY id');
  const all = db.prepare('SELECT * FROM audit ORDER BY id DESC LIMIT 500');
  const toEntry = (r: Row): AuditEntry => ({
    id: r.id,
    at: r.at,
    osUser: r.os_user,
    connectionId: r.connection_id,
    resourceId: r.resource_path,
    mode: r.mode as AuditEntry['mode'],
    fromRevision: r.from_revision,
    toRevision: r.to_revision,
    outcome: r.outcome,
    paths: JSON.parse(r.paths_json) as string[],
    replaced: r.replaced_json === null ? null : (JSON.parse(r.replaced_json) as unknown),
  });
  return {
    record(entry: Omit<AuditEntry, 'id' | 'at' | 'osUser'>): void {
      insert.run(
        new Date().toISOString(), osUser(), entry.connectionId, entry.resourceId, entry.mode, entry.fromRevision, entry.toRevision,
        entry.outcome, JSON.stringify(entry.paths), entry.replaced === null || entry.replaced === undefined ? null : JSON.stringify(entry.replaced, bigintToString),
      );
    },
    list(connectionId?: string, resourceId?: string): AuditEntry[] {
      const rows = connectionId && resourceId ? byResource.all(connectionId, resourceId) : all.all();
      return (rows as Row[]).map(toEntry);
    },
  };
}

const bigintToString = (_: string, v: unknown) => (typeof v === 'bigint' ? v.toString() : v);

export type Audit = ReturnType<typeof createAudit>;
