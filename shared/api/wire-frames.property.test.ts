// Review of 6ea40dd (framed bodies): on generated messages, a framed body carried as UTF-8 bytes
// cut into arbitrary network chunks decodes to exactly what the plain JSON wire gives. The texts
// put awkward characters at the frame boundaries (astral pairs, lone surrogates, U+2028, NUL,
// BOM, quotes, newlines), sit around the 32 K threshold, inside arrays and under member names
// that are Object.prototype's (__proto__, constructor, toString), next to bigints.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeFrames, decodeWire, encodeFrames, encodeWire, FRAME_MIN_CHARS } from './wire';

const PIECES = ['a', '"', '\\', '\n', '\r', '\u2028', '\u2029', '\u0000', '\uFEFF', '🎉', 'é'];
const LONE = ['\uD800', '\uDFFF'];
const piece = fc.constantFrom(...PIECES, ...LONE);
const edge = fc.array(piece, { maxLength: 4 }).map((parts) => parts.join(''));
/** A string of about FRAME_MIN_CHARS UTF-16 units (either side of it), awkward at both ends. */
const long = fc.tuple(fc.integer({ min: -3, max: 3 }), edge, edge).map(([delta, head, tail]) => {
  const fill = Math.max(0, FRAME_MIN_CHARS + delta - head.length - tail.length);
  return head + 'x\n"'.repeat(Math.ceil(fill / 3)).slice(0, fill) + tail;
});
const text = fc.oneof(edge, long);
const KEYS = ['__proto__', 'constructor', 'toString', 'text', '0', '', 'a\nb'];

const { value } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    text,
    fc.integer(),
    fc.bigInt(),
    fc.constant(null),
    fc.boolean(),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.array(fc.tuple(fc.constantFrom(...KEYS), tie('value')), { maxLength: 4 }).map(toObject),
  ),
}));

function toObject(entries: Array<[string, unknown]>): Record<string, unknown> {
  // Own data members, as JSON.parse makes them (a member named __proto__ included).
  const out: Record<string, unknown> = {};
  for (const [key, member] of entries)
    Object.defineProperty(out, key, {
      value: member,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  return out;
}

/** UTF-8 over the network: encoded, cut at the given byte offsets, decoded chunk by chunk. */
function overNetwork(body: string, cuts: number[]): string {
  const bytes = new TextEncoder().encode(body);
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  let out = '';
  let at = 0;
  for (const cut of [...cuts.map((c) => c % (bytes.length + 1))].sort((x, y) => x - y)) {
    out += decoder.decode(bytes.subarray(at, cut), { stream: true });
    at = cut;
  }
  return out + decoder.decode(bytes.subarray(at));
}

describe('framed bodies, generated', () => {
  it('decode to what the plain JSON wire carries, whatever the chunking', () => {
    let framedCount = 0;
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...KEYS), value), { maxLength: 5 }).map(toObject),
        fc.array(fc.nat(), { maxLength: 6 }),
        (message, cuts) => {
          const plain = decodeWire(overNetwork(encodeWire(message), cuts));
          const framed = encodeFrames(message);
          if (framed === undefined) return;
          framedCount++;
          const decoded = decodeFrames(overNetwork(framed, cuts));
          expect(encodeWire(decoded)).toBe(encodeWire(plain));
          // Members stay own data members with the ordinary prototype.
          expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype);
        },
      ),
      { numRuns: 800 },
    );
    // The generator must actually exercise the framed road.
    expect(framedCount).toBeGreaterThan(40);
  });
});
