import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { changedSpan, editFor } from './changed-span';

const isHigh = (code: number) => code >= 0xd800 && code <= 0xdbff;

/**
 * What Monaco does with the span as an edit: its model widens a range whose edge falls just after
 * a high surrogate (inside a pair) to take in the whole pair (TextModel.validateRange), or moves an
 * empty range there one back, while the replacement text stays the span's.
 */
const applyAsMonaco = (before: string, after: string) => {
  const span = changedSpan(before, after);
  if (span === null) return before;
  let from = span.start;
  let to = span.endBefore;
  const inside = (at: number) => at > 0 && at < before.length && isHigh(before.charCodeAt(at - 1));
  if (from === to) {
    if (inside(from)) from = to = from - 1;
  } else {
    if (inside(from)) from--;
    if (inside(to)) to++;
  }
  return before.slice(0, from) + after.slice(span.start, span.endAfter) + before.slice(to);
};

const apply = (before: string, after: string) => {
  const span = changedSpan(before, after);
  if (span === null) return before;
  return (
    before.slice(0, span.start) +
    after.slice(span.start, span.endAfter) +
    before.slice(span.endBefore)
  );
};

describe('changedSpan', () => {
  it('replacing its span of the old text with the new text’s gives the new text', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 60 }),
        fc.string({ maxLength: 12 }),
        fc.string({ maxLength: 12 }),
        fc.string({ maxLength: 60 }),
        (head, a, b, tail) => {
          expect(apply(head + a + tail, head + b + tail)).toBe(head + b + tail);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('is the smallest span: the characters just inside it differ, or it is empty on one side', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.string({ maxLength: 40 }), (before, after) => {
        const span = changedSpan(before, after);
        if (span === null) {
          expect(before).toBe(after);
          return;
        }
        if (span.start < span.endBefore && span.start < span.endAfter)
          expect(before[span.start]).not.toBe(after[span.start]);
        expect(before.slice(0, span.start)).toBe(after.slice(0, span.start));
        expect(before.slice(span.endBefore)).toBe(after.slice(span.endAfter));
        expect(span.endBefore).toBeGreaterThanOrEqual(span.start);
        expect(span.endAfter).toBeGreaterThanOrEqual(span.start);
      }),
      { numRuns: 2000 },
    );
  });

  it('never ends inside a surrogate pair, so the editor replaces exactly the span', () => {
    // An emoji changed for another: both start with the same high surrogate.
    expect(applyAsMonaco('{"mood": "😀"}', '{"mood": "😁"}')).toBe('{"mood": "😁"}');
    expect(applyAsMonaco('"😀"', '"😁😀"')).toBe('"😁😀"');
    const unit = fc.constantFrom('a', '"', '\n', '😀', '😁', '🌍', '\ud83d', '\ude00');
    const text = fc.array(unit, { maxLength: 12 }).map((units) => units.join(''));
    fc.assert(
      fc.property(text, text, text, text, (head, a, b, tail) => {
        expect(applyAsMonaco(head + a + tail, head + b + tail)).toBe(head + b + tail);
      }),
      { numRuns: 3000 },
    );
  });

  it('finds one changed word in megabytes of equal text, across chunk edges and repeats', () => {
    const unit = '{"tier": "gold", "n": 1},\n';
    const big = unit.repeat(200_000);
    for (const at of [0, 4095, 4096, 4097, 1_000_000, big.length - 7, big.length - 1]) {
      const after = `${big.slice(0, at)}platinum${big.slice(at + 4)}`;
      const span = changedSpan(big, after)!;
      expect(apply(big, after)).toBe(after);
      expect(span.endAfter - span.start).toBeLessThanOrEqual(8);
    }
    expect(changedSpan(big, big + 'x')).toEqual({
      start: big.length,
      endBefore: big.length,
      endAfter: big.length + 1,
    });
    expect(changedSpan(`x${big}`, big)).toEqual({ start: 0, endBefore: 1, endAfter: 0 });
    expect(changedSpan(big, big)).toBe(null);
  });
});

// Monaco's own text buffer (the one behind every editor model), loaded from its ESM sources.
const monacoCommon = '../../../node_modules/monaco-editor/esm/vs/editor/common/';
const { PieceTreeTextBufferBuilder } = await import(
  /* @vite-ignore */ `${monacoCommon}model/pieceTreeTextBuffer/pieceTreeTextBufferBuilder.js`
);
const { Range } = await import(/* @vite-ignore */ `${monacoCommon}core/range.js`);

type Buffer = {
  getEOL(): string;
  setEOL(eol: string): void;
  getLinesContent(): string[];
  getPositionAt(offset: number): { lineNumber: number; column: number };
  applyEdits(edits: unknown[], recordTrimmed: boolean, computeUndo: boolean): unknown;
};

/** An editor model's buffer holding `text` with line breaks `eol` (a model keeps one kind). */
function buffer(text: string, eol: '\n' | '\r\n'): Buffer {
  const builder = new PieceTreeTextBufferBuilder();
  builder.acceptChunk(text);
  const made = builder.finish(true).create(1).textBuffer as Buffer;
  made.setEOL(eol);
  return made;
}
const textOf = (b: Buffer) => b.getLinesContent().join(b.getEOL());

/** JsonEditor's step: the edit from what the model shows to `value`, applied to the model. */
function applyToModel(model: Buffer, value: string): string {
  const edit = editFor(textOf(model), model.getEOL(), value);
  if (edit !== null) {
    const from = model.getPositionAt(edit.start);
    const to = model.getPositionAt(edit.end);
    model.applyEdits(
      [
        {
          range: new Range(from.lineNumber, from.column, to.lineNumber, to.column),
          text: edit.text,
          forceMoveMarkers: true,
        },
      ],
      false,
      false,
    );
  }
  return textOf(model);
}

describe('editFor (the edit an editor model makes for a new text)', () => {
  it('gives an editor whose lines end in LF a text with CRLF without adding blank lines', () => {
    const model = buffer('{\n  "a": 1\n}', '\n');
    expect(applyToModel(model, '{\r\n  "a": 2\r\n}')).toBe('{\n  "a": 2\n}');
  });

  it('leaves the model holding the new text with its own line breaks, whatever either used', () => {
    const unit = fc.constantFrom('a', 'b', '"', ' ', '\n', '\r\n', '😀');
    const text = fc.array(unit, { maxLength: 14 }).map((units) => units.join(''));
    fc.assert(
      fc.property(
        text,
        text,
        text,
        text,
        fc.constantFrom('\n' as const, '\r\n' as const),
        (head, a, b, tail, eol) => {
          const model = buffer(head + a + tail, eol);
          const after = head + b + tail;
          expect(applyToModel(model, after)).toBe(after.replace(/\r\n|\n/g, eol));
        },
      ),
      { numRuns: 3000 },
    );
  });
});
