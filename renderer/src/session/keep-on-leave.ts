// What survives a reload or a restart beside the backend's drafts: which tabs were open, and any
// text typed too recently for its draft write to have finished. The draft write is asynchronous, so
// on pagehide the newest text goes synchronously into local storage; the next open prefers it
// when it is newer than the backend's draft. Storage is injected so the rules are testable.
import type { ResourceRef } from '../../../shared/api/types';

export type KeptTab = { ref: ResourceRef; title: string };
export type Rescue = {
  text: string;
  merge: string | null;
  baseJournalId: number;
  baseRevision: string | null;
  at: string;
  /**
   * The backend draft the tab had last kept when the copy was made (its updatedAt, null: none), so
   * the restored text is written over that draft of its own window's and no other (absent in copies
   * made before drafts had versions).
   */
  draftVersion?: string | null;
  /** The tab that made the copy, as a writer of drafts (absent in older copies). */
  writer?: string;
};
export type KeyValueStore = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

const TABS = 'conflict-desk:open-tabs';
const RESCUE = 'conflict-desk:rescue:';
const rescueKey = (ref: ResourceRef) => `${RESCUE}${ref.connectionId}\u0000${ref.id}`;

function read<T>(store: KeyValueStore, key: string): T | null {
  try {
    const text = store.getItem(key);
    return text === null ? null : (JSON.parse(text) as T);
  } catch {
    return null;
  }
}

/** Storage can be full or refused (private mode); losing this copy is no worse than not having it. */
function write(store: KeyValueStore, key: string, value: unknown): boolean {
  try {
    store.setItem(key, JSON.stringify(value));
    return true;
  } catch {
    return false;
  }
}

export function keepOpenTabs(
  store: KeyValueStore,
  tabs: readonly KeptTab[],
  active: ResourceRef | null,
): void {
  write(store, TABS, { tabs: tabs.map((t) => ({ ref: t.ref, title: t.title })), active });
}

export function keptTabs(store: KeyValueStore): { tabs: KeptTab[]; active: ResourceRef | null } {
  const kept = read<{ tabs?: unknown; active?: unknown }>(store, TABS);
  const valid = (r: unknown): r is ResourceRef =>
    typeof r === 'object' &&
    r !== null &&
    typeof (r as ResourceRef).connectionId === 'string' &&
    typeof (r as ResourceRef).id === 'string';
  const tabs = Array.isArray(kept?.tabs)
    ? (kept.tabs as unknown[]).filter(
        (t): t is KeptTab =>
          typeof t === 'object' &&
          t !== null &&
          valid((t as KeptTab).ref) &&
          typeof (t as KeptTab).title === 'string',
      )
    : [];
  return { tabs, active: valid(kept?.active) ? kept.active : null };
}

export function rescueDraft(store: KeyValueStore, ref: ResourceRef, rescue: Rescue): boolean {
  return write(store, rescueKey(ref), rescue);
}

export function rescuedDraft(store: KeyValueStore, ref: ResourceRef): Rescue | null {
  const r = read<Rescue>(store, rescueKey(ref));
  return r &&
    typeof r.text === 'string' &&
    typeof r.at === 'string' &&
    typeof r.baseJournalId === 'number'
    ? r
    : null;
}

export function forgetRescue(store: KeyValueStore, ref: ResourceRef): void {
  try {
    store.removeItem(rescueKey(ref));
  } catch {
    // Nothing to forget.
  }
}

/** The rescued text wins over the backend's draft only when it is newer (or there is none). */
export function newerDraft<D extends { updatedAt: string }>(
  backend: D | null,
  rescue: Rescue | null,
): 'backend' | 'rescue' | null {
  if (rescue && (!backend || rescue.at > backend.updatedAt)) return 'rescue';
  return backend ? 'backend' : null;
}
