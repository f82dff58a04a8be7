import { describe, expect, it } from 'vitest';
import { setAt, type JsonValue } from '../../../shared/json';
import { serverFieldChanges } from './server-changes';

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
