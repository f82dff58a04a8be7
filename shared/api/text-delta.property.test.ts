// A delta must rebuild exactly the text it was made from, whatever the base holds: on generated
// texts (lines of awkward characters, astral pairs at every place a chunk or the shared start and
// end could cut) edited in generated ways, against their own base and against unrelated ones.
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { applyTextDelta, textCheck, textDelta, type TextDelta } from './text-delta';

// Astral characters sharing their first half (🎉 🎊) or their second (🎉 U+1F789): texts that
// differ in one half only put the shared start or end, or a chunk's end, between the halves.
const PIECES = [
  'a',
  'bc',
  ' ',
  '"',
  '\\',
  '\n',
  '\r\n',
  '🎉',
  '🎊',
  '\u{1F789}',
  '😀',
  'é',
  '{',
  '}',
  '\u2028',
];
const ASTRAL = ['🎉', '🎊', '\u{1F789}', '😀', 'a'];
const line = fc.oneof(
  fc.array(fc.constantFrom(...PIECES), { maxLength: 40 }).map((parts) => parts.join('') + '\n'),
  // A line longer than several chunks, of astral characters: chunks are cut inside it.
  fc.array(fc.constantFrom(...ASTRAL), { minLength: 600, maxLength: 3000 }).map((p) => p.join('')),
);
/** Texts of up to about 30 KB: long enough for many chunks, short enough for many runs. */
const document = fc.array(line, { minLength: 0, maxLength: 300 }).map((lines) => lines.join(''));

const edit = fc.record({
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  remove: fc.nat({ max: 3000 }),
  insert: fc
    .array(fc.constantFrom(...PIECES, ...ASTRAL), { maxLength: 200 })
    .map((p) => p.join('')),
});

/** `text` with each edit applied at its share of the length (never inside a surrogate pair). */
function edited(
  text: string,
  edits: ReadonlyArray<{ at: number; remove: number; insert: string }>,
) {
  let out = text;
  for (const e of edits) {
    let at = Math.floor(e.at * out.length);
    if (at > 0 && /[\uDC00-\uDFFF]/.test(out[at] ?? '')) at--;
    let end = Math.min(out.length, at + e.remove);
    if (end > 0 && /[\uDC00-\uDFFF]/.test(out[end] ?? '')) end++;
    out = out.slice(0, at) + e.insert + out.slice(end);
  }
  return out;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The rebuilt text, checking that no sent run starts or ends inside a surrogate pair. */
function rebuilt(base: string, delta: TextDelta): string {
  let taken = 0;
  for (const part of delta.parts) {
    if (typeof part !== 'number') continue;
    expect(delta.sent.slice(taken, taken + part)).not.toMatch(LONE_SURROGATE);
    taken += part;
  }
  // No size to hold it to: what is checked is that no part of the base is named twice over.
  const out = applyTextDelta(base, delta.parts, delta.sent, Number.MAX_SAFE_INTEGER);
  if (!out.ok) throw new Error(out.error);
  return out.value;
}

describe('textDelta', () => {
  it('rebuilds the edited text exactly from its base', () => {
    fc.assert(
      fc.property(document, fc.array(edit, { maxLength: 6 }), (base, edits) => {
        const text = edited(base, edits);
        const delta = textDelta(text, base);
        if (delta !== undefined) expect(rebuilt(base, delta)).toBe(text);
      }),
      { numRuns: 3000 },
    );
  });

  it('rebuilds a text from an unrelated base when it answers at all', () => {
    fc.assert(
      fc.property(document, document, (text, base) => {
        const delta = textDelta(text, base);
        if (delta !== undefined) expect(rebuilt(base, delta)).toBe(text);
      }),
      { numRuns: 1000 },
    );
  });

  it('sends little more than the edits of a long text edited in a few places', () => {
    const lines = Array.from(
      { length: 20_000 },
      (_, n) => `    "item ${n}": "${'v'.repeat(n % 40)}",\n`,
    );
    const base = `{\n${lines.join('')}  "end": true\n}\n`;
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 5 }), (edits) => {
        const small = edits.map((e) => ({ ...e, remove: e.remove % 200 }));
        const text = edited(base, small);
        const delta = textDelta(text, base)!;
        expect(rebuilt(base, delta)).toBe(text);
        const inserted = small.reduce((sum, e) => sum + e.insert.length, 0);
        // Each edit costs at most the chunks it touches (about 1 KB each, a line at most longer).
        expect(delta.sent.length).toBeLessThanOrEqual(inserted + small.length * 3 * 1100);
      }),
      { numRuns: 300 },
    );
  });

  it('names one range for the same text, and nothing for a text with nothing in common', () => {
    const base = 'line of text\n'.repeat(5000);
    expect(textDelta(base, base)).toEqual({ parts: [[0, base.length]], sent: '' });
    expect(textDelta('other words\n'.repeat(5000), base)).toBeUndefined();
    expect(textDelta('', base)).toEqual({ parts: [], sent: '' });
  });

  it('finds the lines after a deletion longer than its window, and gives up on another text soon', () => {
    const base = Array.from({ length: 40_000 }, (_, n) => `line ${n}\n`).join('');
    // An edit near the end too, so that the shared end does not reach back to the deletion.
    const text =
      base.slice(0, 50_000) + base.slice(250_000, 400_000) + 'edit\n' + base.slice(400_000);
    const delta = textDelta(text, base)!;
    expect(rebuilt(base, delta)).toBe(text);
    expect(delta.sent.length).toBeLessThan(32 * 300);
    // Another document of the same length, sharing its first lines: not worth a delta.
    const other = base.slice(0, 1000) + base.slice(1000).replace(/line/g, 'LINE');
    expect(textDelta(other, base)).toBeUndefined();
  });

  it('finds lines moved by text inserted or deleted before them', () => {
    const base = Array.from({ length: 4000 }, (_, n) => `line ${n}\n`).join('');
    const text = 'x'.repeat(3000) + base.slice(0, 10_000) + base.slice(12_000) + 'tail\n';
    const delta = textDelta(text, base)!;
    expect(rebuilt(base, delta)).toBe(text);
    expect(delta.sent.length).toBeLessThan(3000 + 2 * 1100 + 'tail\n'.length);
  });
});

describe('applyTextDelta', () => {
  const base = 'abcdefghij';
  it('refuses parts that do not fit the base or the sent characters', () => {
    expect(applyTextDelta(base, [[0, 3], 2, [8, 10]], 'XY', 7)).toEqual({
      ok: true,
      value: 'abcXYij',
    });
    for (const parts of [
      [[0, 11]],
      [[-1, 2]],
      [[3, 3]],
      [[4, 2]],
      [[0.5, 2]],
      ['a'],
      [null],
      [[1]],
    ])
      expect(applyTextDelta(base, parts, '', 100).ok).toBe(false);
    expect(applyTextDelta(base, [3], 'XY', 100).ok).toBe(false);
    expect(applyTextDelta(base, [1], 'XY', 100).ok).toBe(false);
    expect(applyTextDelta(base, [0], '', 100).ok).toBe(false);
  });

  it('refuses parts that take more than the size, or more than the base and the sent characters hold', () => {
    // A few bytes naming the base again and again rebuilt hundreds of megabytes before the size
    // was checked.
    expect(applyTextDelta(base, [[0, 10], 1, [0, 10]], 'X', 100)).toEqual({
      ok: false,
      error: 'the parts take more than the 11 characters they may',
    });
    const twice = Array.from({ length: 2 }, () => [0, 5]);
    expect(applyTextDelta(base, twice, '', 8).ok).toBe(false);
    expect(applyTextDelta(base, twice, '', 10)).toEqual({ ok: true, value: 'abcdeabcde' });
  });
});

describe('textCheck', () => {
  it('tells texts apart that differ in one character, and is the same for the same text', () => {
    const text = 'x'.repeat(10_000);
    expect(textCheck(text)).toBe(textCheck('x'.repeat(10_000)));
    expect(textCheck(text)).toMatch(/^[0-9a-f]{16}$/);
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i++) seen.add(textCheck(text.slice(0, i) + 'y' + text.slice(i + 1)));
    expect(seen.size).toBe(1000);
  });

  it('tells apart one changed character anywhere in a long text, at and across the slices it encodes', () => {
    // Longer than a slice (16K characters), with multi-byte characters so slices end mid-word.
    const text = 'aé€😀\n'.repeat(9_000);
    const check = textCheck(text);
    const seen = new Set<string>([check]);
    let tried = 0;
    for (let i = 16_370; i < 16_400; i++) {
      // Not half of a pair: replacing one half would leave the other alone.
      if (text.charCodeAt(i) >= 0xd800 && text.charCodeAt(i) <= 0xdfff) continue;
      for (const swap of ['b', 'é', '\u0000']) {
        if (text[i] === swap) continue;
        seen.add(textCheck(text.slice(0, i) + swap + text.slice(i + 1)));
        tried++;
      }
    }
    // The last character and the first, too.
    seen.add(textCheck(text.slice(0, -1) + 'x'));
    seen.add(textCheck('x' + text.slice(1)));
    expect(tried).toBeGreaterThan(40);
    expect(seen.size).toBe(tried + 3);
  });

  it('is the same for the same text however the string was built', () => {
    const text = '{"a": "é😀"}\n'.repeat(5_000);
    const built = Array.from({ length: 5_000 }, () => '{"a": "é😀"}\n').join('');
    expect(textCheck(built)).toBe(textCheck(text));
    expect(textCheck(('x' + text).slice(1))).toBe(textCheck(text));
  });

  it('fingerprints a large text checked again (a draft, then the save of it) once', () => {
    // A text no other test checks: the kept fingerprints outlive a test.
    const text = `${'{"a": "é😀"}\n'.repeat(30_000)}${Math.random()}`;
    const encoded = vi.spyOn(TextEncoder.prototype, 'encodeInto');
    try {
      const check = textCheck(text);
      const once = encoded.mock.calls.length;
      expect(once).toBeGreaterThan(0);
      expect(textCheck(text)).toBe(check);
      // The same characters in another string are the same text.
      expect(textCheck(text.slice(0, 10) + text.slice(10))).toBe(check);
      expect(encoded.mock.calls.length).toBe(once);
    } finally {
      encoded.mockRestore();
    }
  });

  it('tells large texts of one length apart whichever was checked first, however many came between', () => {
    const text = '{"a": "é😀"}\n'.repeat(30_000);
    const last = `${text.slice(0, -1)}x`;
    const first = `x${text.slice(1)}`;
    const checks = [text, last, first].map(textCheck);
    expect(new Set(checks).size).toBe(3);
    for (const round of [0, 1])
      for (const [i, t] of [first, text, last, first].entries()) {
        const fresh = [text, last, first].indexOf(t);
        expect(textCheck(t), `round ${round}, text ${i}`).toBe(checks[fresh]);
      }
  });

  it('tells a lone surrogate from the U+FFFD that UTF-8 would write for it', () => {
    const body = 'y'.repeat(20_000);
    expect(textCheck(`${body}\ud800${body}`)).not.toBe(textCheck(`${body}\ufffd${body}`));
    expect(textCheck(`${body}\udc00`)).not.toBe(textCheck(`${body}\ufffd`));
    // A pair cut by where a slice would end is encoded whole, not as two U+FFFD.
    const at = 'z'.repeat(16 * 1024 - 1);
    expect(textCheck(`${at}😀`)).not.toBe(textCheck(`${at}\ufffd\ufffd`));
    expect(textCheck(`${at}😀`)).not.toBe(textCheck(`${at}\ufffd`));
  });
});
