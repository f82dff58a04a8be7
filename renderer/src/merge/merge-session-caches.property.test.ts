// What the merge view skips on the strength of identities, checked against doing the work, over
// random merges and random sequences of every transition the view and the store make:
// - keepsSameDraft says "same" only where savedMergeOf is the same (else a decision is never
//   written to the draft, and a reload loses it);
// - resultText (cached per resolution and reverted paths) is the text derived afresh, for the
//   session just made and for every one before it;
// - ChangeList skips a redraw only where its rows would be drawn the same.
import fc from 'fast-check';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ChangeList } from '../components/ChangeList';
import { snapshotFixture } from '../session/snapshot.fixture';
import {
  allConflicts,
  autoChanges,
  choose,
  chooseAllRemaining,
  createMergeSession,
  editResult,
  keepsSameDraft,
  moveFocus,
  rebaseSession,
  resetHandEdits,
  restoreChange,
  restoreMergeSession,
  restoreSetAside,
  resultText,
  revertChange,
  unresolved,
  savedMergeOf,
  undoChoice,
  type MergeSession,
} from './merge-session';

const ref = { connectionId: 'c', id: 'r' };
const text = (doc: unknown) => JSON.stringify(doc, null, 2);

const value = fc.integer({ min: 0, max: 3 });
const doc = fc.record(
  {
    a: value,
    b: value,
    c: value,
    status: fc.constantFrom('open', 'done'),
    n: fc.record({ x: value, y: value }, { requiredKeys: [] }),
    list: fc.uniqueArray(fc.record({ id: fc.constantFrom('p', 'q', 'r'), v: value }), {
      selector: (item) => item.id,
      maxLength: 3,
    }),
  },
  { requiredKeys: [] },
);

type Step =
  | { op: 'focus'; delta: 1 | -1 }
  | { op: 'choose'; at: number; choice: 'mine' | 'theirs' | 'base' | 'both' | 'custom' }
  | { op: 'undo'; at: number }
  | { op: 'all'; side: 'mine' | 'theirs' }
  | { op: 'revert' | 'restore'; at: number }
  | { op: 'edit'; how: 'own' | 'broken' | 'derived' }
  | { op: 'reset' | 'bringBack' | 'reload' | 'same' }
  | { op: 'rebase'; theirs: object; status: number; lost: boolean };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ op: fc.constant('focus' as const), delta: fc.constantFrom(1 as const, -1 as const) }),
  fc.record({
    op: fc.constant('choose' as const),
    at: fc.nat(5),
    choice: fc.constantFrom(
      'mine' as const,
      'theirs' as const,
      'base' as const,
      'both' as const,
      'custom' as const,
    ),
  }),
  fc.record({ op: fc.constant('undo' as const), at: fc.nat(5) }),
  fc.record({
    op: fc.constant('all' as const),
    side: fc.constantFrom('mine' as const, 'theirs' as const),
  }),
  fc.record({ op: fc.constantFrom('revert' as const, 'restore' as const), at: fc.nat(8) }),
  fc.record({
    op: fc.constant('edit' as const),
    how: fc.constantFrom('own' as const, 'broken' as const, 'derived' as const),
  }),
  fc.record({
    op: fc.constantFrom('reset' as const, 'bringBack' as const, 'reload' as const, 'same' as const),
  }),
  fc.record({
    op: fc.constant('rebase' as const),
    theirs: doc,
    status: fc.constantFrom(409, 412),
    lost: fc.boolean(),
  }),
);

let journal = 10;

function apply(s: MergeSession, st: Step): MergeSession {
  const conflicts = allConflicts(s);
  const changes = autoChanges(s);
  switch (st.op) {
    case 'focus':
      return moveFocus(s, st.delta);
    case 'choose': {
      const conflict = conflicts[st.at % Math.max(1, conflicts.length)];
      if (!conflict) return s;
      const next = choose(s, conflict.id, st.choice === 'custom' ? { custom: st.at } : st.choice);
      return next.ok ? next.session : s;
    }
    case 'undo': {
      const conflict = conflicts[st.at % Math.max(1, conflicts.length)];
      return conflict ? undoChoice(s, conflict.id) : s;
    }
    case 'all': {
      const next = chooseAllRemaining(s, st.side);
      return next.ok ? next.session : s;
    }
    case 'revert':
    case 'restore': {
      const change = changes[st.at % Math.max(1, changes.length)];
      if (!change) return s;
      return st.op === 'revert' ? revertChange(s, change.path) : restoreChange(s, change.path);
    }
    case 'edit': {
      const derived = resultText({ ...s, manualText: null });
      if (st.how === 'derived') return editResult(s, derived);
      if (st.how === 'broken') return editResult(s, `${derived.slice(0, -1)},`);
      return editResult(s, `${derived.slice(0, -1)}, "own": ${journal++}}`);
    }
    case 'reset':
      return resetHandEdits(s);
    case 'bringBack':
      return restoreSetAside(s);
    case 'same':
      return { ...s };
    case 'reload': {
      // What a reload brings back: the draft's merge over the same two revisions.
      const draftText = s.mineText;
      const saved = JSON.parse(JSON.stringify(savedMergeOf(s, draftText))) as ReturnType<
        typeof savedMergeOf
      >;
      return restoreMergeSession(saved, s.base, s.theirs, draftText);
    }
    case 'rebase': {
      const id = journal++;
      return rebaseSession(s, {
        theirs: snapshotFixture(ref, id, String(id), text(st.theirs)),
        status: st.status,
        afterLostAnswer: st.lost,
        mergeOptions: s.options,
      });
    }
  }
}

/** The text derived afresh: a copy of the session shares no object a cache could be keyed by. */
const freshText = (s: MergeSession) => resultText(structuredClone(s));
const kept = (s: MergeSession, draftText?: string) => JSON.stringify(savedMergeOf(s, draftText));

type Props = Parameters<typeof ChangeList>[0];
const memoised = ChangeList as unknown as {
  type: (props: Props) => ReturnType<typeof createElement>;
  compare: (before: Props, after: Props) => boolean;
};
const onUpdate = () => undefined;
const rows = (s: MergeSession) =>
  renderToStaticMarkup(createElement(memoised.type, { session: s, onUpdate }));

const merges = fc.record({
  base: doc,
  mine: doc,
  theirs: doc,
  idKeys: fc.boolean(),
  steps: fc.array(step, { minLength: 1, maxLength: 12 }),
});

function run(
  input: {
    base: object;
    mine: object;
    theirs: object;
    idKeys: boolean;
    steps: Step[];
  },
  check: (before: MergeSession, after: MergeSession) => void,
): MergeSession[] {
  let s = createMergeSession({
    status: 412,
    base: snapshotFixture(ref, 1, '1', text(input.base)),
    theirs: snapshotFixture(ref, 2, '2', text(input.theirs)),
    mine: text(input.mine),
    mergeOptions: input.idKeys ? { idKeys: ['id'] } : {},
    afterLostAnswer: false,
  });
  const seen = [s];
  for (const st of input.steps) {
    const next = apply(s, st);
    check(s, next);
    seen.push(next);
    s = next;
  }
  return seen;
}

describe('what the merge view skips, against doing the work', () => {
  it('keepsSameDraft says "same" only where the draft would keep the same', () => {
    fc.assert(
      fc.property(merges, (input) => {
        run(input, (before, after) => {
          if (!keepsSameDraft(before, after)) return;
          expect(kept(after)).toBe(kept(before));
          expect(kept(after, after.mineText)).toBe(kept(before, after.mineText));
        });
      }),
      { numRuns: 300 },
    );
  });

  it('resultText is the text derived afresh, for each session and every one before it', () => {
    fc.assert(
      fc.property(merges, (input) => {
        const seen = run(input, (_before, after) => {
          expect(resultText(after)).toBe(freshText(after));
        });
        for (const s of seen) expect(resultText(s)).toBe(freshText(s));
      }),
      { numRuns: 300 },
    );
  });

  it('the change list is redrawn wherever its rows would differ', () => {
    fc.assert(
      fc.property(merges, (input) => {
        run(input, (before, after) => {
          if (memoised.compare({ session: before, onUpdate }, { session: after, onUpdate }))
            expect(rows(after)).toBe(rows(before));
        });
      }),
      { numRuns: 200 },
    );
  });

  it('"all remaining" makes what choosing each open conflict in turn makes, hand edits or not', () => {
    // It settles them at once (one parse of a hand-edited Result, one print); choose is the
    // reference.
    fc.assert(
      fc.property(merges, fc.constantFrom('mine' as const, 'theirs' as const), (input, side) => {
        for (const s of run(input, () => undefined)) {
          const atOnce = chooseAllRemaining(s, side);
          let oneByOne: MergeSession = s;
          let refused: string | undefined;
          for (const { id } of unresolved(s)) {
            const next = choose(oneByOne, id, side);
            if (!next.ok) {
              refused = next.error;
              break;
            }
            oneByOne = next.session;
          }
          if (refused !== undefined) {
            expect(atOnce).toEqual({ ok: false, error: refused });
            continue;
          }
          if (!atOnce.ok) throw new Error(atOnce.error);
          expect(atOnce.session.manualText).toBe(oneByOne.manualText);
          expect(atOnce.session.resolution.choices).toEqual(oneByOne.resolution.choices);
          expect(atOnce.session.resolution.reopened).toEqual(oneByOne.resolution.reopened);
          expect(resultText(atOnce.session)).toBe(resultText(oneByOne));
        }
      }),
      { numRuns: 300 },
    );
  });
});
