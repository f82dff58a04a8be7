// Hang guards: what the merge view asks of a session once per conflict card, or once per decision,
// over tens of thousands of conflicts. Each looked through every conflict (or every element of the
// conflicts' list) for its own, and a render took minutes. Speed itself is the bench's.
import { describe, expect, it } from 'vitest';
import { sessionOf } from './merge-session.fixture';
import {
  allConflicts,
  carriedInto,
  choose,
  chooseAllRemaining,
  decisionOverwritten,
  editResult,
  resultText,
  type MergeSession,
} from './merge-session';
import { parseJson } from '../../../shared/json';

/** A list of `n` elements with ids, each changed one way by the operator and another by the server. */
const list = (n: number, v: string) => ({
  items: Array.from({ length: n }, (_, i) => ({ id: `i${i}`, v: `${v}${i}` })),
});

/** A merge of `n` conflicts, every one decided for mine. */
function allDecided(n: number): MergeSession {
  const all = chooseAllRemaining(sessionOf(list(n, 'b'), list(n, 'm'), list(n, 't')), 'mine');
  if (!all.ok) throw new Error(all.error);
  return all.session;
}

describe('a merge of tens of thousands of conflicts', () => {
  it('says, card by card, which decisions the hand edits typed over', () => {
    // 64,000 cards took about 4.5 minutes (a second at 4,000, growing 4× per doubling).
    const n = 64_000;
    const decided = allDecided(n);
    const s = editResult(decided, resultText(decided).replace('"m7"', '"typed"'));
    const parse = parseJson(s.manualText!);
    const overwritten = allConflicts(s)
      .filter((c) => decisionOverwritten(s, c.id, parse))
      .map((c) => c.path);
    expect(overwritten).toEqual(['/items/7/v']);
  }, 20_000);

  it('carries every decision into a new merge of the same conflicts', () => {
    // 128,000 decisions took over a minute and a half (6 s at 32,000, 2.2 s at 16,000).
    const n = 128_000;
    const old = allDecided(n);
    const fresh = sessionOf(list(n, 'b'), list(n, 'm'), list(n, 't'));
    const carried = carriedInto(old, fresh);
    expect(carried.resolution.choices).toEqual(old.resolution.choices);
    expect(carried.notice).toContain(`${n} of your ${n} decisions kept`);
  }, 20_000);

  it('settles every conflict with one side over a hand-edited Result, as choosing each in turn does', () => {
    // Each choice parsed and printed the whole hand-edited Result and copied every choice made:
    // 2,000 conflicts took 2.4 s, 16,000 over two minutes.
    const n = 16_000;
    const open = sessionOf(list(n, 'b'), list(n, 'm'), list(n, 't'));
    const edited = editResult(open, resultText(open).replace('"m7"', '"typed"'));
    const all = chooseAllRemaining(edited, 'theirs');
    if (!all.ok) throw new Error(all.error);
    const result = JSON.parse(all.session.manualText!) as { items: Array<{ v: string }> };
    expect(result.items[7]!.v).toBe('t7');
    expect(result.items[n - 1]!.v).toBe(`t${n - 1}`);
    expect(Object.keys(all.session.resolution.choices)).toHaveLength(n);
    // The same session as choosing each in turn (on a size that road takes in time).
    const small = editResult(
      sessionOf(list(40, 'b'), list(40, 'm'), list(40, 't')),
      resultText(sessionOf(list(40, 'b'), list(40, 'm'), list(40, 't'))).replace('"m7"', '"x"'),
    );
    let oneByOne = small;
    for (const c of allConflicts(small)) {
      const next = choose(oneByOne, c.id, 'theirs');
      if (!next.ok) throw new Error(next.error);
      oneByOne = next.session;
    }
    const atOnce = chooseAllRemaining(small, 'theirs');
    if (!atOnce.ok) throw new Error(atOnce.error);
    expect(atOnce.session.manualText).toBe(oneByOne.manualText);
    expect(atOnce.session.resolution).toEqual(oneByOne.resolution);
  }, 20_000);
});
