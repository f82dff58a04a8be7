import { describe, expect, it } from 'vitest';
import { parseJson, PRETTY, stringifyJson } from '../../../shared/json';
import { parseText } from './parsed-texts';
import { LARGE_TEXT, shownParse } from './use-settled-parse';

const large = (tag: string) =>
  stringifyJson(
    { tag, items: Array.from({ length: Math.ceil(LARGE_TEXT / 10) }, (_, i) => ({ i })) },
    PRETTY,
  );

/** A parser that counts its calls. */
function counting() {
  const calls: string[] = [];
  return {
    calls,
    parse: (text: string) => {
      calls.push(text);
      return parseJson(text);
    },
  };
}

describe('shownParse', () => {
  it('is given large texts by these tests', () => {
    expect(large('x').length).toBeGreaterThanOrEqual(LARGE_TEXT);
  });

  it('parses a small text at once, valid or not', () => {
    const { calls, parse } = counting();
    expect(shownParse('{"a": 1}', null, parse)).toEqual({ ok: true, value: { a: 1 } });
    expect(shownParse('{"a": ', null, parse)?.ok).toBe(false);
    expect(calls).toHaveLength(2);
  });

  it('does not parse a large text while it is being typed; the last settled parse stands', () => {
    const { calls, parse } = counting();
    const before = large('before');
    const settled = parseJson(before);
    const typed = `${before.slice(0, -2)}x}\n`;
    expect(shownParse(typed, settled, parse)).toBe(settled);
    expect(shownParse(typed, null, parse)).toBe(null);
    expect(calls).toEqual([]);
  });

  it('shows the settled parse of the very text, and before any settles, a parse already known', () => {
    const { calls, parse } = counting();
    const broken = `${large('broken')}x`;
    const settled = parseJson(broken);
    expect(shownParse(broken, settled, parse)).toMatchObject({ ok: false });
    const known = large('known');
    const parsed = parseText(known);
    expect(shownParse(known, null, parse)).toBe(parsed);
    expect(shownParse(large('unknown'), null, parse)).toBe(null);
    expect(calls).toEqual([]);
  });
});
