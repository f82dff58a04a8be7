// Test fixture: generated JSON documents for the property tests of the roads that read printed
// texts (printed-ranges, parse-alike): nested containers, names and strings that hold escapes,
// quotes, line breaks, layout and JSON, `__proto__`, and integers beyond 2^53 (bigint).
import fc from 'fast-check';
import type { JsonValue } from './types';

const names = fc.oneof(
  fc.string({ maxLength: 6 }),
  fc.constantFrom(
    'a',
    'b',
    '0',
    '1',
    'x/y',
    'm~n',
    'q"uote',
    'back\\slash',
    'line\nbreak',
    '{',
    '__proto__',
    ': ',
  ),
);
const leaf = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.constantFrom(
    '{"a":1}',
    '[1,2]',
    '"\\"',
    'comma, here',
    'comma,',
    'brace }',
    'bracket ]',
    '\n  }',
    '",\n  "',
    'tab\t',
  ),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.bigInt({ min: 2n ** 60n, max: 2n ** 70n }),
  fc.boolean(),
  fc.constant(null),
);

/** Any document, small: containers five deep and wide at most. */
export const documents = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(names, tie('value'), { maxKeys: 5 }),
  ),
})).value as fc.Arbitrary<JsonValue>;

/** A document whose root is a container with at least one member or element. */
export const containers = fc.oneof(
  fc.array(documents, { minLength: 1, maxLength: 6 }),
  fc.dictionary(names, documents, { minKeys: 1, maxKeys: 6 }),
) as fc.Arbitrary<JsonValue>;
