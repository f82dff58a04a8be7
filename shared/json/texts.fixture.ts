// Test fixtures: JSON texts as servers and operators write them, for the fast strict roads and
// the jsonc-parser roads they fall back to.
import fc from 'fast-check';

// Texts written by hand as a server or an operator might: any whitespace, odd lexemes, escaped
// and repeated member names, JSON inside strings; and texts that are not strict JSON at all.
const space = fc.constantFrom('', ' ', '\n', '\r\n  ', '\t');
const name = fc.constantFrom('a', 'b', '0', 'x/y', 't~1', 'caf\\u00e9', 'q\\"', 'a');
const leaf = fc.constantFrom(
  '0',
  '-0',
  '1.50',
  '-2.5E+3',
  '1e-400',
  '12345678901234567890',
  'true',
  'false',
  'null',
  '""',
  '"\\u00e9\\n"',
  '"{\\"a\\": [1, {\\"b\\": 2}]}"',
);
export const handText: fc.Arbitrary<string> = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('array'), tie('object')),
  array: fc
    .tuple(fc.array(tie('value') as fc.Arbitrary<string>, { maxLength: 4 }), space, space)
    .map(([items, s, t]) => `[${s}${items.join(`${t},${s}`)}${t}]`),
  object: fc
    .tuple(
      fc.array(fc.tuple(name, tie('value') as fc.Arbitrary<string>), { maxLength: 4 }),
      space,
      space,
    )
    .map(
      ([members, s, t]) =>
        `{${s}${members.map(([k, v]) => `"${k}"${t}:${s}${v}`).join(`${t},${s}`)}${t}}`,
    ),
})).value as fc.Arbitrary<string>;
export const spoiled = fc
  .tuple(handText, fc.constantFrom(' // note\n', ',', '/* c */', '}', '\u0001', '01', '"open'))
  .chain(([text, junk]) =>
    fc.nat(text.length).map((at) => text.slice(0, at) + junk + text.slice(at)),
  );
