// A decision made in a hand-edited Result is written at the conflict's path. Hand edits that add
// or remove elements before it move the element that path names: the value must not land in
// another element.
import { describe, expect, it } from 'vitest';
import { docSnapshot as snap } from './merge-session.fixture';
import {
  allConflicts,
  choose,
  createMergeSession,
  decisionOverwritten,
  editResult,
  resultText,
} from './merge-session';
import { parseJson } from '../../../shared/json';

const e = (id: number, v: number) => ({ id, v });

describe('a decision in a Result whose hand edits moved the list’s elements', () => {
  it('never writes the value into another element', () => {
    const s = createMergeSession({
      base: snap(1, { xs: [e(1, 1), e(2, 1), e(3, 1)] }),
      theirs: snap(2, { xs: [e(1, 1), e(2, 1), e(3, 3)] }),
      mine: JSON.stringify({ xs: [e(1, 1), e(2, 1), e(3, 2)] }, null, 2),
      status: 412,
      mergeOptions: {},
      afterLostAnswer: false,
    });
    // An element typed in at the top of the list, by hand.
    const hand = editResult(
      s,
      JSON.stringify({ xs: [e(0, 0), e(1, 1), e(2, 1), e(3, 2)] }, null, 2),
    );
    const next = choose(hand, allConflicts(s)[0]!.id, 'theirs');
    if (next.ok) {
      // Written at /xs/2/v, it changed element 2 and left element 3 at mine's value.
      const xs = (JSON.parse(resultText(next.session)) as { xs: { id: number; v: number }[] }).xs;
      expect(xs.find((x) => x.id === 2)!.v).toBe(1);
      expect(xs.find((x) => x.id === 3)!.v).toBe(3);
      // And the card does not say the decision was typed over: it is there, in its element.
      const id = allConflicts(s)[0]!.id;
      const parse = parseJson(resultText(next.session));
      expect(decisionOverwritten(next.session, id, parse)).toBe(false);
    } else expect(next.error).toMatch(/hand edits/);
  });
});
