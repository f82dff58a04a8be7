import { describe, expect, it } from 'vitest';
import { overwriteReverts, restoreQuestion, restoreReverts } from './reverts';

const t = (doc: unknown) => JSON.stringify(doc, null, 2);

describe('what an overwrite reverts', () => {
  it('lists every change by the server that mine puts back, conflicting or not', () => {
    const base = { priority: 1, status: 'open', note: 'a' };
    const theirs = { priority: 2, status: 'closed', note: 'a' };
    const mine = { priority: 5, status: 'open', note: 'b' };
    // The colleague's non-conflicting `status` change is reverted too, and is listed.
    expect(overwriteReverts(t(base), t(theirs), t(mine))).toEqual([
      'priority: 2 → 5',
      'status: "closed" → "open"',
    ]);
  });

  it('lists nothing when mine already holds the server’s changes', () => {
    const base = { a: 1, b: 1 };
    expect(overwriteReverts(t(base), t({ a: 2, b: 1 }), t({ a: 2, b: 3 }))).toEqual([]);
  });

  it('restore lists every field the latest revision loses, added fields included', () => {
    expect(restoreReverts(t({ a: 2, tags: ['x'], added: true }), t({ a: 1, tags: ['x'] }))).toEqual(
      ['a: 2 → 1', 'added: true is removed'],
    );
    expect(restoreReverts(t({}), t({ gone: 1 }))).toEqual(['gone: added back as 1']);
  });
});

describe('the question a restore asks', () => {
  const restored = { revision: '1', text: t({ a: 1 }) };

  it('lists what saving would undo on the latest revision seen', () => {
    expect(restoreQuestion(restored, { revision: '3', text: t({ a: 3 }) }, false)).toMatchObject({
      title: 'Restore revision 1?',
      items: ['a: 3 → 1'],
      danger: true,
    });
    const same = restoreQuestion(restored, { revision: '3', text: t({ a: 1 }) }, false);
    expect(same.body).toContain('It differs from the latest revision in no field.');
    expect(same.danger).toBe(false);
  });

  it('never says "no field differs" when the latest revision is not read (yet, or at all)', () => {
    // The latest revision's text still loading, or refused: nothing was compared.
    const unread = restoreQuestion(restored, null, false);
    expect(unread.body).not.toContain('in no field');
    expect(unread.body).toContain('could not be compared');
    expect(unread.items).toEqual([]);
    expect(unread.danger).toBe(true);
  });
});
