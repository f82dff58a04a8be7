// The conflict in focus (F7 / Shift+F7) follows the conflict, not its place in the list, when
// another conflict is settled or reopened.
import { describe, expect, it } from 'vitest';
import { sessionOf as session } from './merge-session.fixture';
import { choose, focusedConflict, moveFocus, undoChoice, unresolved } from './merge-session';

describe('the conflict in focus when another one is settled or reopened', () => {
  const three = () => session({ a: 1, b: 1, c: 1 }, { a: 2, b: 2, c: 2 }, { a: 3, b: 3, c: 3 });

  it('stays on the conflict in focus when one before it is settled', () => {
    const s = moveFocus(three(), 1);
    expect(focusedConflict(s)?.path).toBe('/b');
    const a = unresolved(s)[0]!;
    const settled = choose(s, a.id, 'mine');
    if (!settled.ok) throw new Error(settled.error);
    expect(focusedConflict(settled.session)?.path).toBe('/b');
  });

  it('settling the one in focus moves on to the next open one', () => {
    const s = moveFocus(three(), 1);
    const settled = choose(s, unresolved(s)[1]!.id, 'mine');
    if (!settled.ok) throw new Error(settled.error);
    expect(focusedConflict(settled.session)?.path).toBe('/c');
  });

  it('stays on the conflict in focus when one before it is reopened', () => {
    let s = three();
    const a = unresolved(s)[0]!;
    const settled = choose(s, a.id, 'mine');
    if (!settled.ok) throw new Error(settled.error);
    s = moveFocus(settled.session, 1);
    expect(focusedConflict(s)?.path).toBe('/c');
    expect(focusedConflict(undoChoice(s, a.id))?.path).toBe('/c');
  });
});
