import { describe, expect, it } from 'vitest';
import { setAt, type JsonValue } from '../../../shared/json';
import { movedFields, serverFieldChanges } from './server-changes';

describe('serverFieldChanges', () => {
  it('names each changed field with what it was and what it is now', () => {
    const base = { status: 'pending', attributes: { tier: 'bronze', name: 'Ava' }, old: 1 };
    const now = { status: 'canceled', attributes: { tier: 'platinum', name: 'Ava' }, added: true };
    expect(serverFieldChanges(JSON.stringify(base), JSON.stringify(now))).toEqual([
      { path: '/status', before: 'pending', after: 'canceled' },
      { path: '/attributes/tier', before: 'bronze', after: 'platinum' },
      { path: '/old', before: 1, after: undefined },
      { path: '/added', before: undefined, after: true },
    ]);
  });

  it('never shows a before/after pair that did not happen: the changes account for the whole difference', () => {
    // The server inserted an element in front: element 0 was not changed from "a" to "z".
    const base = { list: ['a', 'b'], n: 1 };
    const now = { list: ['z', 'a', 'b'], n: 2 };
    const changes = serverFieldChanges(JSON.stringify(base), JSON.stringify(now))!;
    let doc: JsonValue = base;
    for (const change of changes) {
      const next = setAt(doc, change.path, change.after);
      if (!next.ok) throw new Error(next.error);
      doc = next.value!;
    }
    expect(doc).toEqual(now);
    expect(changes).not.toContainEqual({ path: '/list/0', before: 'a', after: 'z' });
  });

  it('is null when a text is not JSON', () => {
    expect(serverFieldChanges('{', '{}')).toBeNull();
  });
});

describe('movedFields', () => {
  const baseText = JSON.stringify({ status: 'pending', priority: 1, tier: 'bronze' });
  const first = {
    journalId: 4,
    text: JSON.stringify({ status: 'canceled', priority: 1, tier: 'bronze' }),
  };

  it('diffs the revision it announces once that revision is read', () => {
    const moved = { journalId: 4, changedPaths: ['/status'] };
    expect(movedFields(moved, null, baseText)).toEqual({ paths: ['/status'], diff: null });
    expect(movedFields(moved, first, baseText)).toEqual({
      paths: ['/status'],
      diff: [{ path: '/status', before: 'pending', after: 'canceled' }],
    });
  });

  it('does not describe a later move with the revision read for an earlier one', () => {
    // The server moved again (journal row 6: the tier) while a save was under way; revision 4 is
    // still the one read. Its diff would list only /status under revision 6's headline.
    const moved = { journalId: 6, changedPaths: ['/status', '/tier'] };
    expect(movedFields(moved, first, baseText)).toEqual({
      paths: ['/status', '/tier'],
      diff: null,
    });
  });
});
