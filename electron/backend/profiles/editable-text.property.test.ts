import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  COMPACT,
  compactText,
  getAt,
  jsonEqual,
  parseJson,
  patchText,
  PRETTY,
  prettyText,
  rawAt,
  stringifyJson,
  type JsonValue,
} from '../../../shared/json';
import { SNAPSHOT_INDENT } from '../../../shared/api/types';
import { printedRanges } from '../../../shared/json/printed-ranges';
import { strictRanges } from '../../../shared/json/strict-ranges';
import { encodePointer } from '../../../shared/json/pointer';
import type { EditableSpec } from '../../../shared/profiles/spec';
import { editableText, toEditable } from './editable';

/** The road editableText took before its canonical fast path: cut the text, compact, compare. */
function slowText(spec: EditableSpec, rawText: string, body: JsonValue, editable: JsonValue) {
  let source: string | undefined;
  if (spec.kind === 'whole') {
    source = rawText;
    for (const pointer of spec.hidden) {
      if (getAt(body, pointer) === undefined) continue;
      const next = patchText(source, source, [{ path: pointer, op: 'remove' }]);
      if (!next.ok) {
        source = undefined;
        break;
      }
      source = next.value;
    }
  } else if (spec.kind === 'member') source = rawAt(rawText, spec.pointer);
  if (source === undefined) return stringifyJson(editable, PRETTY);
  const compact = compactText(source);
  if (compact === stringifyJson(editable, COMPACT)) return stringifyJson(editable, PRETTY);
  return prettyText(compact);
}

// Texts written token by token: other lexemes for the same values, escapes, any spacing, and
// strings that hold JSON (getAt reads inside them).
const space = fc.constantFrom('', '', ' ', '\n  ', '\t');
const number = fc.constantFrom('1', '1.0', '1e2', '100', '-0', '0', '12345678901234567890', '-1.5');
const string = fc.constantFrom(
  '"a"',
  '"\\u0061"',
  '"/"',
  '"\\/"',
  '"é"',
  '"\\u00e9"',
  '"x\\\\"',
  '"{\\"a\\":1,\\"b\\":[2]}"',
  '"[1, {\\"a\\": 2}]"',
);
const key = fc.constantFrom('"a"', '"b"', '"0"', '"\\u0062"', '"c"');
const text: fc.Arbitrary<string> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    number,
    string,
    fc.constantFrom('true', 'null'),
    fc
      .array(fc.tuple(space, tie('value'), space), { maxLength: 3 })
      .map((items) => `[${items.map(([a, v, b]) => a + v + b).join(',')}]`),
    fc
      .array(fc.tuple(space, key, space, tie('value'), space), { maxLength: 3 })
      .map((ms) => `{${ms.map(([a, k, b, v, c]) => `${a}${k}${b}:${v}${c}`).join(',')}}`),
  ),
})).value as fc.Arbitrary<string>;
const pointer = fc
  .array(fc.constantFrom('a', 'b', '0', '1', 'c'), { minLength: 1, maxLength: 3 })
  .map((t) => '/' + t.join('/'));
const spec: fc.Arbitrary<EditableSpec> = fc.oneof(
  fc.array(pointer, { maxLength: 3 }).map((hidden) => ({ kind: 'whole' as const, hidden })),
  pointer.map((p) => ({ kind: 'member' as const, pointer: p })),
);

describe('editableText', () => {
  it('answers what the road without its canonical fast path answers', () => {
    fc.assert(
      fc.property(text, spec, fc.boolean(), (raw, s, compact) => {
        const parsed = parseJson(raw);
        if (!parsed.ok) return;
        // The server's text as it came, or its plain serialisation (the fast path's own case).
        const rawText = compact ? stringifyJson(parsed.value, COMPACT) : raw;
        const editable = toEditable(s, parsed.value);
        const fast = editableText(s, rawText, parsed.value, editable);
        const slow = slowText(s, rawText, parsed.value, editable);
        // Where the old road showed the operator's document, the fast one shows the same text;
        // elsewhere (a JSON-holding string left as sent, a null body) it shows that text or the document.
        const shows = (t: string) => {
          const back = parseJson(t);
          return back.ok && jsonEqual(back.value, editable);
        };
        if (shows(slow) || !shows(fast)) expect(fast).toBe(slow);
      }),
      { numRuns: 20000 },
    );
  });

  // The renderer finds highlights in a snapshot's text by its layout (printed-ranges), which the
  // contract promises (Snapshot.text): this holds editableText to it, whatever the server wrote.
  it('lays every text out as JSON.stringify does with the snapshot indent', () => {
    const pointersIn = (value: JsonValue, tokens: string[] = [], out: string[] = []) => {
      out.push(encodePointer(tokens));
      if (typeof value === 'string') out.push(encodePointer([...tokens, 'a']));
      if (typeof value === 'object' && value !== null)
        for (const [k, v] of Object.entries(value)) pointersIn(v, [...tokens, k], out);
      return out;
    };
    fc.assert(
      fc.property(text, spec, fc.boolean(), (raw, s, compact) => {
        const parsed = parseJson(raw);
        if (!parsed.ok) return;
        const rawText = compact ? stringifyJson(parsed.value, COMPACT) : raw;
        const out = editableText(s, rawText, parsed.value, toEditable(s, parsed.value));
        const shown = parseJson(out);
        if (!shown.ok) throw new Error(`not JSON: ${out}`);
        const asked = pointersIn(shown.value);
        const wanted = new Map(asked.map((p) => [p, true]));
        const onPath = new Set<string>();
        for (const p of asked) {
          const parts = p.split('/');
          for (let n = 1; n < parts.length; n++) onPath.add(parts.slice(0, n).join('/'));
        }
        expect(printedRanges(out, SNAPSHOT_INDENT, wanted, onPath)).toEqual(
          strictRanges(out, wanted, onPath),
        );
      }),
      { numRuns: 20000 },
    );
  });
});
