import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { holdsExactly, inexactNumber, inexactNumberEdits, inexactNumbers } from './exact-numbers';

describe('holdsExactly', () => {
  it('holds the shortest spelling of every double, however it is written', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (d) => {
        expect(holdsExactly(String(d))).toBe(true);
        expect(holdsExactly(d.toExponential())).toBe(true);
        // The same value written with trailing zeros is the same decimal.
        const [mantissa, exponent] = String(d).split('e') as [string, string | undefined];
        const padded = mantissa.includes('.') ? mantissa + '000' : mantissa + '.000';
        expect(holdsExactly(exponent === undefined ? padded : `${padded}e${exponent}`)).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });

  it('holds every decimal of fifteen significant digits or fewer', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 999_999_999_999_999n }),
        fc.integer({ min: -290, max: 290 }),
        fc.boolean(),
        (digits, power, negative) => {
          const literal = `${negative ? '-' : ''}${digits}e${power}`;
          expect(holdsExactly(literal)).toBe(true);
          const text = String(digits);
          const point = `${negative ? '-' : ''}${text.slice(0, 1)}.${text.slice(1) || '0'}`;
          expect(holdsExactly(point)).toBe(true);
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('does not hold a digit past what the double keeps, though the literal reads as that double', () => {
    fc.assert(
      fc.property(
        fc
          .double({ noNaN: true, noDefaultInfinity: true, min: -1e300, max: 1e300 })
          .filter((d) => d !== 0),
        fc.integer({ min: 1, max: 9 }),
        (d, digit) => {
          const shortest = d.toExponential(); // "m.mmme±x", or "me±x"
          const [mantissa, exponent] = shortest.split('e') as [string, string];
          const longer = `${mantissa.includes('.') ? mantissa : mantissa + '.'}00000000000000000000${digit}e${exponent}`;
          // The extra digit is far below the double's precision (unless the shortest spelling is a
          // tie between two doubles, where it tips the reading to the other one).
          fc.pre(Number(longer) === d);
          expect(holdsExactly(longer)).toBe(false);
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('does not hold numbers beyond the range of a double', () => {
    expect(holdsExactly('1.5e400')).toBe(false);
    expect(holdsExactly('1.5e-400')).toBe(false); // reads as 0
    expect(holdsExactly('0.0e-400')).toBe(true); // zero is zero
  });
});

describe('inexactNumber', () => {
  it('finds the first number token whose value a double does not hold, with its offset', () => {
    const text =
      '{\n  "a": 0.5,\n  "b": [1.25, -12345678901234567.5],\n  "c": 0.10000000000000000001\n}';
    expect(inexactNumber(text)).toEqual({
      offset: text.indexOf('-12345678901234567.5'),
      literal: '-12345678901234567.5',
    });
    expect(inexactNumber(text.replace('-12345678901234567.5', '2'))).toEqual({
      offset: text.replace('-12345678901234567.5', '2').indexOf('0.1000'),
      literal: '0.10000000000000000001',
    });
  });

  it('passes numbers a double holds, long or not, and digits inside strings', () => {
    const text = JSON.stringify({
      shortest: 0.30000000000000004,
      tiny: 5e-324,
      big: 1.7976931348623157e308,
      padded: 'x',
      version: 'v1.2345678901234567890',
      ip: '10.0.0.1',
      sentence: 'Total 3.50 due.',
    }).replace('"x"', '1.500000000000000000');
    expect(inexactNumber(text)).toBeUndefined();
    expect(inexactNumber('no numbers at all.')).toBeUndefined();
  });

  it('finds literals between escaped line breaks and after a byte order mark, not those with an exponent and no fraction', () => {
    // Not looked for (see inexactNumbers): 1e-400 and 2e-400 both read as 0.
    expect(inexactNumber('{"a": 1e-400}')).toBeUndefined();
    expect(inexactNumber('[1.5e-400]')?.literal).toBe('1.5e-400');
    // In order of offset.
    expect([...inexactNumbers('[1.0e-400, 0.10000000000000000001, 2.0e-400]')]).toEqual([
      { offset: 1, literal: '1.0e-400' },
      { offset: 11, literal: '0.10000000000000000001' },
      { offset: 35, literal: '2.0e-400' },
    ]);
    expect(inexactNumber('[1e5, 1E+2, -25e-1, 1.25e3, 0e0, 1.5e-300]')).toBeUndefined();
    // Inside a string holding JSON, between escaped line breaks or tabs (the merge merges such a
    // string's JSON as values too): missed, theirs' edit of the digits was lost with exit 0.
    const held = JSON.stringify({ attributes: '[\n  {"a": 1},\n\t0.10000000000000000001\n]' });
    expect(inexactNumber(held)?.literal).toBe('0.10000000000000000001');
    expect(inexactNumber(JSON.stringify({ a: '[\r\n1.0e-400\r\n]' }))?.literal).toBe('1.0e-400');
    // A document that is one number, after a byte order mark.
    expect(inexactNumber('\uFEFF0.10000000000000000001\n')?.literal).toBe('0.10000000000000000001');
  });

  it('agrees with a token-by-token reading of generated documents', () => {
    const number = fc.oneof(
      fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => String(d)),
      fc
        .tuple(fc.stringMatching(/^-?[1-9][0-9]{0,20}$/), fc.stringMatching(/^[0-9]{1,25}$/))
        .map(([whole, fraction]) => `${whole}.${fraction}`),
      fc
        .tuple(
          fc.stringMatching(/^-?(0|[1-9][0-9]{0,8})$/),
          fc.stringMatching(/^[0-9]{1,9}$/),
          fc.integer({ min: -330, max: 330 }),
        )
        .map(([whole, fraction, power]) => `${whole}.${fraction}E${power}`),
    );
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.stringMatching(/^[a-z]{0,6}$/), number), { maxLength: 8 }),
        (members) => {
          const text = `{${members.map(([k, v], i) => `${JSON.stringify(k + i)}: ${v}`).join(',\n')}}`;
          const expected = members.find(([, v]) => !holdsExactly(v))?.[1];
          expect(inexactNumber(text)?.literal).toBe(expected);
        },
      ),
      { numRuns: 3000 },
    );
  });
});

describe('inexactNumberEdits', () => {
  const before =
    '{"a": 0.10000000000000000001, "list": [1, {"x": -2.00000000000000000001}], "b": 7}';

  it('names the numbers whose digits changed past what a double keeps', () => {
    const after = before
      .replace('0.10000000000000000001', '0.10000000000000000002')
      .replace('-2.00000000000000000001', '-2.00000000000000000009');
    expect(inexactNumberEdits(before, after)).toEqual(['/a', '/list/1/x']);
  });

  it('names an edit of a number with an exponent that reads as the same double', () => {
    expect(inexactNumberEdits('{"a": 1.0e-400}', '{"a": 2.0e-400}')).toEqual(['/a']);
  });

  it('does not count the same number spelled alike or with trailing zeros, a printed double, or a new member', () => {
    expect(inexactNumberEdits(before, before)).toEqual([]);
    expect(inexactNumberEdits(before, before.replace('01,', '0100,'))).toEqual([]);
    // 0.1 is what printing the value gives: text the program printed is no edit of the digits.
    expect(inexactNumberEdits(before, before.replace('0.10000000000000000001', '0.1'))).toEqual([]);
    expect(
      inexactNumberEdits(before, before.replace('"b": 7', '"b": 7, "c": 0.30000000000000000001')),
    ).toEqual([]);
    // A value a double reads differently is an edit a diff of the values sees already.
    expect(
      inexactNumberEdits(
        before,
        before.replace('0.10000000000000000001', '0.20000000000000000001'),
      ),
    ).toEqual([]);
  });
});
