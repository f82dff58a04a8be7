import { describe, expect, it } from 'vitest';
import { parseJson, PRETTY, stringifyJson } from '../../../shared/json';
import { KEEP_FROM, parseText } from './parsed-texts';

/** A document of at least `bytes` characters whose items say `tag`. */
const big = (tag: string, bytes = KEEP_FROM) => {
  const items = Array.from({ length: Math.ceil(bytes / 40) }, (_, i) => ({ i, tag }));
  return stringifyJson({ tag, items }, PRETTY);
};

describe('parseText', () => {
  it('answers what parseJson answers, for kept, evicted, small and invalid texts', () => {
    const texts = [
      big('a'),
      big('b'),
      '{"small": true}',
      big('c'),
      big('d'),
      `${big('e')}x`,
      big('a'),
    ];
    for (let round = 0; round < 3; round++)
      for (const text of [...texts].reverse().concat(texts))
        expect(parseText(text)).toEqual(parseJson(text));
  });

  it('keeps the parse of a large text: the same text (or an equal copy) is not parsed again', () => {
    const text = big('kept');
    const first = parseText(text);
    expect(parseText(text)).toBe(first);
    expect(parseText(text.slice(0, 10) + text.slice(10))).toBe(first);
    expect(parseText('[1]')).not.toBe(parseText('[1]'));
  });

  it('holds the last three large texts only', () => {
    const [a, b, c, d] = ['p', 'q', 'r', 's'].map((tag) => big(tag));
    const first = parseText(a!);
    parseText(b!);
    parseText(c!);
    expect(parseText(a!)).toBe(first);
    parseText(d!);
    parseText(c!);
    // a was used after b: b went first, then a.
    parseText(big('t'));
    expect(parseText(a!)).not.toBe(first);
  });

  it('answers "not JSON" for a typed edit that turned an object into a list, though a kept text holds its members', () => {
    const notes: Record<string, string> = {};
    for (let n = 0; n < KEEP_FROM / 20; n++) notes[`k${n}`] = `value ${n}`;
    const text = stringifyJson({ tag: 'notes', notes }, PRETTY);
    expect(parseText(text).ok).toBe(true);
    const turned = text
      .replace('"notes": {', '"notes": [')
      .replace(/\n {2}\}\n\}\n$/, '\n  ]\n}\n');
    expect(turned).not.toBe(text);
    expect(parseJson(turned).ok).toBe(false);
    expect(parseText(turned)).toEqual(parseJson(turned));
  });
});
