// Framed strings sent as deltas of texts the receiver holds (wire.ts, text-delta.ts): the value
// that arrives is the value sent, whatever base is named; a base the receiver does not hold, or
// holds otherwise, is refused with a TextBaseError before anything reads the message.
import { describe, expect, it } from 'vitest';
import { DELTA_MIN_CHARS, likeness, textCheck, textDelta } from './text-delta';
import { decodeBodyWith, encodeBody, FRAMES_TYPE, TextBaseError } from './wire';

const lines = (n: number, word: string) =>
  Array.from({ length: n }, (_, i) => `  "${word} ${i}": ${i},\n`).join('');
const base = `{\n${lines(20_000, 'key')}  "end": true\n}\n`;
const edited = base
  .replace('"key 500": 500', '"key 500": "changed"')
  .replace('"key 19000"', '"renamed"');

let count = 0;
const newId = () => `t-${++count}`;

describe('framed deltas', () => {
  it('send a long text as the ranges of a base the receiver holds, and give back the same value', () => {
    const value = { ref: { id: 'a' }, text: edited, small: 'x'.repeat(40_000) };
    const body = encodeBody(value, true, { newId, bases: [['b-1', base]] });
    expect(body.type).toBe(FRAMES_TYPE);
    expect(body.text.length).toBeLessThan(value.small.length + edited.length / 20);
    expect(body.framed.map(([, text]) => text)).toEqual([edited, value.small]);
    const held = new Map([['b-1', base]]);
    const decoded = decodeBodyWith(body.text, body.type, (id) => held.get(id));
    expect(decoded.value).toEqual(value);
    expect(decoded.framed).toEqual(body.framed);
  });

  it('choose the base most like the text, past another document of the same layout', () => {
    // The same keys and layout, other values: what a page holds after opening a second document.
    const other = base.replace(/": (\d+),/g, '": "$1x",');
    expect(other.length).toBeGreaterThan(base.length);
    expect(likeness(edited, base)).toBeGreaterThanOrEqual(0.9);
    expect(likeness(edited, other)).toBeLessThan(0.5);
    // Text put at the start (a seventh of it, so a sample or two falls there) moves every other
    // place: those are still found, within the length change.
    expect(likeness(lines(5000, 'new') + base, base)).toBeGreaterThanOrEqual(0.75);
    // An older version, one line in fifty since changed: a delta of it would send more.
    const older = base.replace(/": (\d*[05]0),/g, (line, n: string) =>
      Number(n) % 50 === 0 ? `": -${n},` : line,
    );
    expect(textDelta(edited, older)).toBeDefined();
    expect(likeness(edited, older)).toBeLessThan(likeness(edited, base));
    const body = encodeBody({ text: edited }, true, {
      newId,
      bases: [
        ['other', other],
        ['older', older],
        ['base', base],
      ],
    });
    const header = JSON.parse(body.text.slice(0, body.text.indexOf('\n'))) as {
      frames: Array<{ delta?: { base: string } }>;
    };
    expect(header.frames[0]!.delta?.base).toBe('base');
    const held = new Map([['base', base]]);
    expect(decodeBodyWith(body.text, body.type, (id) => held.get(id)).value).toEqual({
      text: edited,
    });
  });

  it('send a text whole when no base is like it, or it is short, or no base is named', () => {
    const other = `[\n${lines(20_000, 'other')}]\n`;
    for (const [text, bases] of [
      [edited, [['b-1', other]]],
      [edited.slice(0, DELTA_MIN_CHARS - 1), [['b-1', base]]],
      [edited, []],
    ] as const) {
      const body = encodeBody({ text }, true, { newId, bases });
      expect(body.text.length).toBeGreaterThan(text.length);
      expect(decodeBodyWith(body.text, body.type).value).toEqual({ text });
    }
  });

  it('refuse a delta of a text not held, or held otherwise, or whose parts do not fit', () => {
    // An older version, one line in fifty since changed: a delta of it would send more.
    const older = base.replace(/": (\d*[05]0),/g, (line, n: string) =>
      Number(n) % 50 === 0 ? `": -${n},` : line,
    );
    expect(textDelta(edited, older)).toBeDefined();
    expect(likeness(edited, older)).toBeLessThan(likeness(edited, base));
    const body = encodeBody({ text: edited }, true, { newId, bases: [['b-1', base]] });
    const header = JSON.parse(body.text.slice(0, body.text.indexOf('\n'))) as {
      frames: Array<{ delta: { parts: unknown[]; check: string } }>;
    };
    const rest = body.text.slice(body.text.indexOf('\n'));
    const withDelta = (change: (d: { parts: unknown[]; check: string }) => void) => {
      const copy = structuredClone(header);
      change(copy.frames[0]!.delta);
      return JSON.stringify(copy) + rest;
    };
    const refused = (text: string, held: string | undefined) =>
      expect(() => decodeBodyWith(text, body.type, () => held)).toThrow(TextBaseError);
    refused(body.text, undefined);
    // The same id for another text (one line different): the rebuilt text is not the one sent.
    refused(body.text, base.replace('"key 7": 7', '"key 7": 8'));
    refused(
      withDelta((d) => (d.check = '0'.repeat(16))),
      base,
    );
    refused(
      withDelta((d) => d.parts.push([0, base.length + 1])),
      base,
    );
    refused(
      withDelta((d) => d.parts.push(5)),
      base,
    );
    expect(decodeBodyWith(body.text, body.type, () => base).value).toEqual({ text: edited });
  });

  it('refuse a delta naming its base over and over, size and check agreeing', () => {
    // 100 bytes of parts rebuilt 64 copies of the base (hundreds of megabytes from a held
    // document) before anything was checked, and the text was taken.
    const whole = base.repeat(64);
    const parts = Array.from({ length: 64 }, () => [0, base.length]);
    const delta = { base: 'b-1', size: whole.length, check: textCheck(whole), parts };
    const frames = [{ path: ['text'], length: 0, id: 'p-1', delta }];
    const text = `${JSON.stringify({ frames })}\n{"text":null}\n`;
    expect(() => decodeBodyWith(text, FRAMES_TYPE, () => base)).toThrow(/more than the/);
  });

  it('refuse frames whose strings add up to more than a body may carry, many naming one base', () => {
    // Each delta is held to its base, but 200 frames of the same delta (30 KB) rebuilt 200
    // copies: hundreds of megabytes from a 64 MiB body.
    const parts = [
      [0, 1000],
      [1000, base.length],
    ];
    const delta = { base: 'b-1', size: base.length, check: textCheck(base), parts };
    const frames = Array.from({ length: 200 }, (_, i) => ({ path: [i], length: 0, delta }));
    const text = `${JSON.stringify({ frames })}\n${JSON.stringify(Array(200).fill(null))}\n`;
    const refused = () => decodeBodyWith(text, FRAMES_TYPE, () => base, 100 * base.length);
    expect(refused).toThrow(TextBaseError);
    expect(refused).toThrow(/add up to more than/);
    const within = decodeBodyWith(text, FRAMES_TYPE, () => base, 200 * base.length);
    expect(within.value).toEqual(Array(200).fill(base));
  });
});
