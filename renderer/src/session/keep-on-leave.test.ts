import { describe, expect, it } from 'vitest';
import {
  forgetRescue,
  keepOpenTabs,
  keptTabs,
  newerDraft,
  rescueDraft,
  rescuedDraft,
  type KeyValueStore,
} from './keep-on-leave';

// A key-value store with Storage's contract (strings in, strings out, null when absent).
function memoryStore(limit = Infinity): KeyValueStore & { size(): number } {
  const map = new Map<string, string>();
  return {
    getItem: (k) => map.get(k) ?? null,
    setItem: (k, v) => {
      if (v.length > limit) throw new Error('QuotaExceededError');
      map.set(k, v);
    },
    removeItem: (k) => void map.delete(k),
    size: () => map.size,
  };
}

const ref = { connectionId: 'c1', id: 'WT1' };

describe('keep on leave', () => {
  it('remembers which tabs were open and which was active', () => {
    const store = memoryStore();
    keepOpenTabs(
      store,
      [
        { ref, title: 'One' },
        { ref: { connectionId: 'c1', id: 'WT2' }, title: 'Two' },
      ],
      ref,
    );
    expect(keptTabs(store)).toEqual({
      tabs: [
        { ref, title: 'One' },
        { ref: { connectionId: 'c1', id: 'WT2' }, title: 'Two' },
      ],
      active: ref,
    });
  });

  it('ignores what it cannot read', () => {
    const store = memoryStore();
    store.setItem('conflict-desk:open-tabs', '{not json');
    expect(keptTabs(store)).toEqual({ tabs: [], active: null });
    store.setItem(
      'conflict-desk:open-tabs',
      JSON.stringify({ tabs: [{ ref: { id: 1 } }, { ref, title: 'ok' }], active: 'x' }),
    );
    expect(keptTabs(store)).toEqual({ tabs: [{ ref, title: 'ok' }], active: null });
  });

  it('keeps a rescued draft per resource until forgotten', () => {
    const store = memoryStore();
    const rescue = {
      text: '{"a":1}',
      merge: null,
      baseJournalId: 3,
      baseRevision: '3',
      at: '2026-01-01T00:00:05.000Z',
    };
    expect(rescueDraft(store, ref, rescue)).toBe(true);
    expect(rescuedDraft(store, ref)).toEqual(rescue);
    expect(rescuedDraft(store, { connectionId: 'c1', id: 'other' })).toBeNull();
    forgetRescue(store, ref);
    expect(rescuedDraft(store, ref)).toBeNull();
  });

  it('a full store refuses quietly: the backend draft is still the safety net', () => {
    const store = memoryStore(10);
    expect(
      rescueDraft(store, ref, {
        text: 'x'.repeat(100),
        merge: null,
        baseJournalId: 1,
        baseRevision: null,
        at: 'now',
      }),
    ).toBe(false);
    expect(store.size()).toBe(0);
  });

  it('prefers the rescued text only when newer than the backend draft', () => {
    const rescue = {
      text: 'r',
      merge: null,
      baseJournalId: 1,
      baseRevision: null,
      at: '2026-01-01T00:00:05.000Z',
    };
    expect(newerDraft(null, rescue)).toBe('rescue');
    expect(newerDraft({ updatedAt: '2026-01-01T00:00:04.000Z' }, rescue)).toBe('rescue');
    expect(newerDraft({ updatedAt: '2026-01-01T00:00:06.000Z' }, rescue)).toBe('backend');
    expect(newerDraft(null, null)).toBeNull();
  });
});
