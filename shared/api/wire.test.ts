import { describe, expect, it } from 'vitest';
import { decodeFrames, decodeWire, encodeFrames, encodeWire } from './wire';

describe('wire encoding', () => {
  it('round-trips bigint exactly and leaves everything else as JSON', () => {
    const value = {
      id: 12345678901234567890n,
      list: [1, -98765432109876543210n, 'x'],
      nested: { ok: true, n: null },
    };
    const text = encodeWire(value);
    expect(text).not.toContain('12345678901234567890,');
    expect(decodeWire(text)).toEqual(value);
    expect(decodeWire(encodeWire({ a: 1 }))).toEqual({ a: 1 });
  });
  it('does not turn look-alike objects with other keys into bigint', () => {
    expect(decodeWire('{"$conflictDeskBigInt":"12","other":1}')).toEqual({
      $conflictDeskBigInt: '12',
      other: 1,
    });
    expect(decodeWire('{"$conflictDeskBigInt":"1e3"}')).toEqual({ $conflictDeskBigInt: '1e3' });
  });
  it('refuses a plain integer a double cannot hold exactly, rather than rounding it', () => {
    // A script's batch value 9007199254740993 came out as 9007199254740992, written as such.
    expect(() => decodeWire('{"value":9007199254740993}')).toThrow(
      /9007199254740993 is beyond .*2\^53.*\$conflictDeskBigInt/,
    );
    expect(() => decodeWire('[-123456789012345678901]')).toThrow(/beyond/);
    expect(() => decodeWire(`[${'9'.repeat(400)}]`)).toThrow(/beyond/);
    // Exact ones pass: what encodeWire writes of any double, digits inside strings, and tags.
    expect(decodeWire('{"a":9007199254740992,"b":1152921504606846976}')).toEqual({
      a: 2 ** 53,
      b: 2 ** 60,
    });
    expect(decodeWire('{"a":"9007199254740993","b":12.5}')).toEqual({
      a: '9007199254740993',
      b: 12.5,
    });
    const value = { n: 9007199254740993n, d: 2 ** 70, e: 123456789012345680000, f: 1e22 };
    expect(decodeWire(encodeWire(value))).toEqual(value);
  });
});

describe("a document's own objects that look like the wire's tags", () => {
  it('come back as the same objects, not as bigints, next to real bigints', () => {
    const value = {
      lookalike: { $conflictDeskBigInt: '12' },
      wrapperLookalike: { $conflictDeskEscaped: [['a', 1]] },
      nested: [{ $conflictDeskBigInt: '7', inner: { $conflictDeskBigInt: '8' } }],
      real: 12345678901234567890n,
      text: 'mentions $conflictDeskBigInt in a string',
    };
    const decoded = decodeWire(encodeWire(value));
    expect(decoded).toEqual(value);
    // A member named __proto__ inside one stays an own member.
    const proto = JSON.parse('{"$conflictDeskBigInt":"1","__proto__":{"x":1}}') as object;
    const back = decodeWire(encodeWire({ proto })) as { proto: object };
    expect(Object.hasOwn(back.proto, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(back.proto)).toBe(Object.prototype);
    expect(back).toEqual({ proto });
  });

  it('survive the framed road as well', () => {
    const value = { text: 'x'.repeat(40_000), conflict: { mine: { $conflictDeskBigInt: '5' } } };
    expect(decodeFrames(encodeFrames(value)!)).toEqual(value);
  });
});

describe('framed bodies', () => {
  // A document text as the editor holds it: quotes, newlines, backslashes, accents and an emoji.
  const doc = (n: number) =>
    JSON.stringify(
      {
        items: Array.from({ length: n }, (_, i) => ({ id: `é-${i}`, note: 'say "hi"\\n 🎉' })),
      },
      null,
      2,
    );
  const big = doc(2000);
  /** What the page and the host exchange: the framed text as UTF-8 bytes, decoded again. */
  const overUtf8 = (text: string) => Buffer.from(text, 'utf8').toString('utf8');

  it('carries long strings after the JSON and gives back the same value, through UTF-8', () => {
    const first = doc(1500);
    const value = {
      kind: 'conflict',
      theirs: { text: big, revision: 'W/"1"', journalId: 7 },
      mine: big.replace('é-0', 'é-zero'),
      list: [{ text: first }, 'short'],
      n: 12345678901234567890n,
    };
    const framed = encodeFrames(value)!;
    expect(framed).toBeDefined();
    const [header, message] = framed.split('\n', 2);
    expect(JSON.parse(header!)).toEqual({
      frames: [
        { path: ['theirs', 'text'], length: big.length },
        { path: ['mine'], length: value.mine.length },
        { path: ['list', 0, 'text'], length: first.length },
      ],
    });
    expect(message!.length).toBeLessThan(300);
    expect(decodeFrames(overUtf8(framed))).toEqual(value);
    // The caller's value is not touched.
    expect(value.theirs.text).toBe(big);
  });

  it('frames nothing when no string is long enough, none sits near the top, or one has a lone surrogate', () => {
    expect(encodeFrames({ text: 'short', list: [1, 2] })).toBeUndefined();
    expect(encodeFrames({ a: { b: { c: { d: { e: big } } } } })).toBeUndefined();
    const lone = big + '\uD800';
    expect(encodeFrames({ text: lone })).toBeUndefined();
    // JSON's escape carries it exactly; UTF-8 could not.
    expect(decodeWire(overUtf8(encodeWire({ text: lone })))).toEqual({ text: lone });
  });

  it('keeps a member named __proto__ an own data member on both sides', () => {
    const value = JSON.parse(`{"__proto__": ${JSON.stringify(big)}, "x": 1}`) as Record<
      string,
      unknown
    >;
    const decoded = decodeFrames(encodeFrames(value)!) as Record<string, unknown>;
    expect(Object.hasOwn(decoded, '__proto__')).toBe(true);
    expect(decoded['__proto__']).toBe(big);
    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype);
  });

  it('refuses a malformed framed body with a message that names the problem', () => {
    const ok = encodeFrames({ text: big })!;
    const message = '{"text":null}';
    const body = (header: unknown, msg = message, rest = big) =>
      `${JSON.stringify(header)}\n${msg}\n${rest}`;
    const frame = (path: unknown, length: unknown = big.length) => ({ frames: [{ path, length }] });
    expect(decodeFrames(ok)).toEqual({ text: big });
    const cases: Array<[string, RegExp]> = [
      ['{"frames":[]}', /header line and a message line/],
      [body({ frames: [] }), /must list its frames/],
      [body({ nope: 1 }), /must list its frames/],
      [body(frame([])), /path of keys and a length/],
      [body(frame(['text'], -1)), /path of keys and a length/],
      [body(frame(['text'], 1.5)), /path of keys and a length/],
      [body(frame([{}])), /path of keys and a length/],
      [body(frame(['text'], big.length - 1)), /add up to \d+ characters but \d+ follow/],
      [body(frame(['other'])), /no member at \/other/],
      [body(frame(['text', 'deeper'])), /no member at \/text\/deeper/],
      [body(frame(['constructor'])), /no member at \/constructor/],
      [body(frame(['__proto__'])), /no member at \/__proto__/],
      [body(frame([0]), '[]'), /no member at \/0/],
      [body(frame(['text']), '{"text":"taken"}'), /no null placeholder at \/text/],
      [
        body(
          {
            frames: [
              { path: ['text'], length: 1 },
              { path: ['text'], length: 1 },
            ],
          },
          message,
          'ab',
        ),
        /no null placeholder at \/text/,
      ],
      [body(frame(['text']), '{"text":nul}'), /JSON/],
    ];
    for (const [text, error] of cases)
      expect(() => decodeFrames(text), text.slice(0, 80)).toThrow(error);
  });
});
