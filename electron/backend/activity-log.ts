// This session's HTTP exchanges for the activity panel: method, URL, status, ETag, If-Match and
// time. URLs are redacted before they are stored; header values other than the two tags never are.
import type { ActivityEntry } from '../../shared/api/types';
import { redactUrl } from './redact';

const LIMIT = 1000;

export function createActivityLog() {
  const entries: ActivityEntry[] = [];
  const listeners = new Set<(entry: ActivityEntry) => void>();
  let nextId = 1;
  return {
    add(entry: Omit<ActivityEntry, 'id' | 'at' | 'url'> & { url: string }): ActivityEntry {
      const full: ActivityEntry = {
        ...entry,
        id: nextId++,
        at: new Date().toISOString(),
        url: redactUrl(entry.url),
      };
      entries.push(full);
      if (entries.length > LIMIT) entries.splice(0, entries.length - LIMIT);
      for (const listener of listeners) listener(full);
      return full;
    },
    since(afterId = 0): ActivityEntry[] {
      return entries.filter((e) => e.id > afterId);
    },
    subscribe(listener: (entry: ActivityEntry) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export type ActivityLog = ReturnType<typeof createActivityLog>;
