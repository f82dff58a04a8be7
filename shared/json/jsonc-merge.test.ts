import { describe, expect, it } from 'vitest';
import { mergeJsonc } from './jsonc-merge';

/** The merge of mine's change of "a" (1 → 2) into theirs is theirs' text with that change. */
const expectTheirsWithMine = (base: string, mine: string, theirs: string) =>
  expect(mergeJsonc(base, mine, theirs)).toEqual({
    ok: true,
    text: theirs.replace('"a": 1', '"a": 2'),
  });

describe('mergeJsonc', () => {
  it("merges into mine's text, keeping its comments", () => {
    const base = '{\n  // target\n  "a": 1,\n  "b": 1,\n}\n';
    expect(
      mergeJsonc(base, base.replace('"a": 1', '"a": 2'), base.replace('"b": 1', '"b": 2')),
    ).toEqual({
      ok: true,
      text: '{\n  // target\n  "a": 2,\n  "b": 2,\n}\n',
    });
  });

  it("writes theirs' changed numbers and strings as theirs wrote them, not as printed values", () => {
    // jsonc-parser writes values: theirs' 2.50 came out as 2.5, "caf\u00e9" as "café".
    const base =
      '{\n  // keep\n  "a": 1,\n  "b": 1,\n  "c": "x",\n  "list": [1, 2],\n  "d": "y"\n}\n';
    const mine = base.replace('"a": 1', '"a": 2');
    const theirs = base
      .replace('"b": 1', '"b": 2.50')
      .replace('"c": "x"', '"c": "caf\\u00e9 \\/"')
      .replace('[1, 2]', '[1, 2E+1]')
      // `$&` and `$'` are text, not a replacement's patterns.
      .replace('"d": "y"', () => '"d": "costs $& or $\' \\u20ac"');
    expect(theirs).toContain('"d": "costs $& or $\' \\u20ac"');
    expectTheirsWithMine(base, mine, theirs);
  });

  it("keeps theirs' spelling when a side's text already holds the string the literal stands in for", () => {
    // The stand-in was checked against mine only: theirs' value written first took the literal
    // meant for the later edit, the merge no longer read back alike, and a clean merge fell back to
    // a line merge with markers (or two spellings traded places).
    const base = '{\n  // c\n  "a": 1,\n  "b": "x",\n  "c": 1\n}\n';
    const mine = base.replace('"a": 1', '"a": 2');
    for (const spelling of ['"\\u0000conflict-desk literal"', '"\\u0000conflict-desk literal 1"']) {
      const collides = base.replace('"b": "x"', `"b": ${spelling}`).replace('"c": 1', '"c": 2.50');
      expectTheirsWithMine(base, mine, collides);
      const respelt = base
        .replace('"b": "x"', `"b": ${spelling}`)
        .replace('"c": 1', `"c": ${spelling.replace('literal', 'liter\\u0061l')}`);
      expectTheirsWithMine(base, mine, respelt);
    }
  });

  it('declines numbers a double cannot hold, whose changes it would lose or round', () => {
    // jsonc-parser reads 12345678901234567891 and ...893 as one double: theirs' edit vanished
    // from a clean merge; one that did not read the same was written rounded (22345678901234570000).
    const base = '{\n  // ids\n  "n": 12345678901234567891,\n  "a": 1\n}\n';
    const mine = base.replace('"a": 1', '"a": 2');
    for (const n of ['12345678901234567893', '22345678901234567893'])
      expect(mergeJsonc(base, mine, base.replace('12345678901234567891', n))).toMatchObject({
        ok: false,
      });
    const decimal = base.replace('12345678901234567891', '0.10000000000000000001');
    expect(
      mergeJsonc(
        decimal,
        decimal,
        decimal.replace('0.10000000000000000001', '0.10000000000000000002'),
      ),
    ).toMatchObject({ ok: false });
    const huge = base.replace('12345678901234567891', '1e400');
    expect(mergeJsonc(huge, huge, huge.replace('1e400', '2e400'))).toMatchObject({ ok: false });
    // Numbers a double holds, however written, still merge.
    const plain = base.replace('12345678901234567891', '1.50e3');
    expect(mergeJsonc(plain, plain.replace('"a": 1', '"a": 2'), plain)).toMatchObject({ ok: true });
  });

  it("declines when writing the merge would drop a comment of mine's inside a value it replaces", () => {
    // Theirs lengthened the array, which is replaced whole: mine's new comment went with it, from
    // a clean merge whose note said mine's comments were kept.
    const base = '{\n  "include": [\n    "src",\n    "test"\n  ]\n}\n';
    const mine = base.replace('    "src"', '    // app sources\n    "src"');
    const theirs = base.replace('"test"', '"test",\n    "scripts"');
    expect(mergeJsonc(base, mine, theirs)).toMatchObject({ ok: false });
  });

  it('declines a member named __proto__, which its reader would take for a prototype', () => {
    // jsonc-parser assigns members to a plain object: theirs' new member vanished, exit 0.
    const base = '{\n  // c\n  "a": 1\n}\n';
    const theirs = base.replace('"a": 1', '"__proto__": {"x": 1},\n  "a": 1');
    expect(mergeJsonc(base, base.replace('"a": 1', '"a": 2'), theirs)).toMatchObject({ ok: false });
  });

  it('declines text nested too deeply for its reader instead of throwing', () => {
    // The command crashed (exit 1, nothing written): git kept mine's file as the merge.
    const deep = (leaf: string) => '['.repeat(20000) + leaf + ']'.repeat(20000) + '\n';
    expect(mergeJsonc(deep('1'), deep('2'), deep('1') + '// c\n')).toMatchObject({ ok: false });
  });
});
