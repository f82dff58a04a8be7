// What the merge view derives from a session is not derived again for a session that differs only
// in focus: serialising a 5 MB result on every F7 blocked the page for about 100 ms per key press.
// The serialiser is counted, so a cache keyed by the session object (a new one per focus move) fails.
import { describe, expect, it, vi } from 'vitest';
import type * as Json from '../../../shared/json';

const serialised = vi.hoisted(() => ({ count: 0 }));
vi.mock('../../../shared/json', async (original) => {
  const json = await original<typeof Json>();
  return {
    ...json,
    stringifyJson: (...args: Parameters<typeof json.stringifyJson>) => {
      serialised.count++;
      return json.stringifyJson(...args);
    },
  };
});

const {
  choose,
  createMergeSession,
  editResult,
  keepsSameDraft,
  moveFocus,
  resultText,
  revertChange,
  saveBlocker,
  saveBlockerWith,
  autoChanges,
} = await import('./merge-session');
const { snapshotFixture } = await import('../session/snapshot.fixture');

const snap = (journalId: number, doc: unknown) =>
  snapshotFixture(
    { connectionId: 'c', id: 'r' },
    journalId,
    String(journalId),
    JSON.stringify(doc, null, 2),
  );

const session = () =>
  createMergeSession({
    status: 412,
    base: snap(1, { a: 1, b: 1, c: 1, d: 1 }),
    theirs: snap(2, { a: 2, b: 2, c: 1, d: 2 }),
    mine: JSON.stringify({ a: 3, b: 3, c: 3, d: 1 }, null, 2),
    mergeOptions: {},
    afterLostAnswer: false,
  });

describe('the result text of a merge', () => {
  it('is serialised once for every session that has the same decisions and reverts', () => {
    const first = session();
    serialised.count = 0;
    const text = resultText(first);
    const moved = moveFocus(moveFocus(first, 1), 1);
    expect(moved).not.toBe(first);
    expect(resultText(moved)).toBe(text);
    expect(resultText(moveFocus(moved, -1))).toBe(text);
    expect(serialised.count).toBe(1);
  });

  it('is serialised again when a decision or a revert changes it, and says so', () => {
    const first = session();
    const before = resultText(first);
    const chosen = choose(first, '/a', 'theirs');
    if (!chosen.ok) throw new Error(chosen.error);
    expect(JSON.parse(resultText(chosen.session)).a).toBe(2);
    const change = autoChanges(first).find((c) => c.path === '/d')!;
    const reverted = revertChange(first, change.path);
    expect(JSON.parse(resultText(reverted)).d).toBe(1);
    // The first session's text is still its own.
    expect(resultText(first)).toBe(before);
    expect(JSON.parse(before)).toMatchObject({ a: 3, d: 2 });
  });

  it('judges each hand-edited text by itself, never by the one checked before it', () => {
    let decided = session();
    for (const id of ['/a', '/b']) {
      const next = choose(decided, id, 'mine');
      if (!next.ok) throw new Error(next.error);
      decided = next.session;
    }
    const broken = editResult(decided, '{ "a": ');
    expect(saveBlocker(broken)).toMatch(/^The result is not valid JSON: line 1/);
    expect(saveBlocker(moveFocus(broken, 1))).toBe(saveBlocker(broken));
    expect(saveBlocker(editResult(decided, '{ "a": 1 }'))).toBe(null);
    expect(saveBlocker(broken)).toMatch(/^The result is not valid JSON/);
  });
});

describe('saveBlockerWith (the view, with the parse made when typing paused)', () => {
  it('says what saveBlocker says for the same parse, and blocks nothing before any parse', async () => {
    const { parseJson } = await import('../../../shared/json');
    let decided = session();
    expect(saveBlockerWith(decided, null)).toBe(saveBlocker(decided));
    for (const id of ['/a', '/b']) {
      const next = choose(decided, id, 'mine');
      if (!next.ok) throw new Error(next.error);
      decided = next.session;
    }
    for (const text of ['{ "a": ', '{ "a": 1 }', '[]']) {
      const edited = editResult(decided, text);
      expect(saveBlockerWith(edited, parseJson(text))).toBe(saveBlocker(edited));
    }
    expect(saveBlockerWith(editResult(decided, '{ "a": '), null)).toBe(null);
    expect(saveBlocker(editResult(decided, '{ "a": '))).not.toBe(null);
  });
});

describe('what a draft keeps of a merge', () => {
  it('is the same after a focus move, and differs after a decision, a revert or a hand edit', () => {
    const first = session();
    expect(keepsSameDraft(first, moveFocus(first, 1))).toBe(true);
    const chosen = choose(first, '/a', 'mine');
    if (!chosen.ok) throw new Error(chosen.error);
    expect(keepsSameDraft(first, chosen.session)).toBe(false);
    expect(keepsSameDraft(first, revertChange(first, '/d'))).toBe(false);
    expect(keepsSameDraft(first, editResult(first, '{}'))).toBe(false);
  });
});
