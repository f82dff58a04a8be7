// The revision journal: every snapshot of a resource the app has seen, deduplicated by revision
// and body hash, so history exists even for APIs that keep none.
import { createHash } from 'node:crypto';
import type { DatabaseSync } from 'node:sqlite';
import type { HistoryEntry, JournalSource } from '../../../shared/api/types';

export type JournalRow = HistoryEntry & { body: string };

export const hashBody = (body: string) => createHash('sha256').update(body).digest('hex');

type Row = {
  id: number;
  revision: string | null;
  source: string;
  seen_at: string;
  last_seen_at: string;
  body_hash: string;
  body: string;
};

/** A row as a history lists it: everything but its body. */
const toHistoryEntry = (row: Omit<Row, 'body'>): HistoryEntry => ({
  journalId: row.id,
  revision: row.revision,
  source: row.source as JournalSource,
  seenAt: row.seen_at,
  lastSeenAt: row.last_seen_at,
  bodyHash: row.body_hash,
});

const toEntry = (row: Row): JournalRow => ({ ...toHistoryEntry(row), body: row.body });

export function createJournal(db: DatabaseSync) {
  const find = db.prepare(
    'SELECT * FROM journal WHERE connection_id = ? AND resource_path = ? AND revision IS ? AND body_hash = ?',
  );
  const insert = db.prepare(
    'INSERT INTO journal (connection_id, resource_path, revision, body_hash, body, source, seen_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  // Never back: a read answered late is journalled as seen when it was sent, which may be earlier
  // than a later read of the same revision already recorded.
  const touch = db.prepare(
    'UPDATE journal SET last_seen_at = MAX(last_seen_at, ?) WHERE id = ? RETURNING last_seen_at',
  );
  const markSaved = db.prepare(`UPDATE journal SET source = 'saved' WHERE id = ?`);
  // Every column but the body: a history lists entries, and a row's body (up to the read limit,
  // megabytes) is read only when that revision is asked for (get). The history view lists again on
  // each new revision it hears of, and a team store lists twice.
  const list = db.prepare(
    'SELECT id, revision, source, seen_at, last_seen_at, body_hash FROM journal WHERE connection_id = ? AND resource_path = ? ORDER BY id',
  );
  const get = db.prepare(
    'SELECT * FROM journal WHERE id = ? AND connection_id = ? AND resource_path = ?',
  );
  // "Latest" is the last one seen: content that went A → B → A is A again, not B.
  const latest = db.prepare(
    'SELECT * FROM journal WHERE connection_id = ? AND resource_path = ? ORDER BY last_seen_at DESC, id DESC LIMIT 1',
  );

  return {
    /**
     * Records a snapshot; a revision already seen with the same content only updates last_seen_at.
     * `hash` identifies the content (the caller hashes what the operator edits, so volatile
     * server fields such as a task's `age` do not make every read a new entry). `seenAgain`: the
     * row was there already and only its last_seen_at moved (a watch's poll does that each time).
     */
    record(
      connectionId: string,
      resourceId: string,
      revision: string | null,
      body: string,
      source: JournalSource,
      hash = hashBody(body),
      at = new Date().toISOString(),
    ): JournalRow & { seenAgain: boolean } {
      const existing = find.get(connectionId, resourceId, revision, hash) as Row | undefined;
      if (existing) {
        const { last_seen_at: lastSeen } = touch.get(at, existing.id) as { last_seen_at: string };
        // A revision first read back to verify a write becomes "saved" once the write is proven.
        const becomesSaved = source === 'saved' && existing.source !== 'saved';
        if (becomesSaved) markSaved.run(existing.id);
        return {
          ...toEntry({
            ...existing,
            last_seen_at: lastSeen,
            source: becomesSaved ? 'saved' : existing.source,
          }),
          seenAgain: !becomesSaved,
        };
      }
      const info = insert.run(connectionId, resourceId, revision, hash, body, source, at, at);
      return {
        journalId: Number(info.lastInsertRowid),
        revision,
        source,
        seenAt: at,
        lastSeenAt: at,
        bodyHash: hash,
        body,
        seenAgain: false,
      };
    },
    /** The entries of a resource's history, oldest first, without their bodies (see `list`). */
    history(connectionId: string, resourceId: string): HistoryEntry[] {
      return (list.all(connectionId, resourceId) as Omit<Row, 'body'>[]).map(toHistoryEntry);
    },
    get(connectionId: string, resourceId: string, journalId: number): JournalRow | null {
      const row = get.get(journalId, connectionId, resourceId) as Row | undefined;
      return row ? toEntry(row) : null;
    },
    latest(connectionId: string, resourceId: string): JournalRow | null {
      const row = latest.get(connectionId, resourceId) as Row | undefined;
      return row ? toEntry(row) : null;
    },
  };
}

export type Journal = ReturnType<typeof createJournal>;
