import { describe, expect, it } from 'vitest';
import { diffPaths } from './diff-paths';
import { parseJson } from './parse';
import type { JsonValue } from './types';

const parse = (text: string): JsonValue => {
  const parsed = parseJson(text);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
};

describe('diffPaths', () => {
  it('names each change at the deepest level, with keys escaped as JSON Pointer tokens', () => {
    const a = parse('{"a/b": {"c~d": 1, "keep": [1, 2]}, "list": [{"x": 1}, {"x": 2}], "gone": 0}');
    const b = parse(
      '{"a/b": {"c~d": 2, "keep": [1, 2]}, "list": [{"x": 1}, {"x": 3, "y": 1}], "new": 1}',
    );
    expect(diffPaths(a, b)).toEqual([
      { path: '/a~1b/c~0d', op: 'replace' },
      { path: '/list/1/x', op: 'replace' },
      { path: '/list/1/y', op: 'add' },
      { path: '/gone', op: 'remove' },
      { path: '/new', op: 'add' },
    ]);
  });

  it('treats an array whose length changed as one change, and a kind change as a replace', () => {
    expect(diffPaths(parse('{"a": [1, 2], "b": {"c": 1}}'), parse('{"a": [1], "b": [1]}'))).toEqual(
      [
        { path: '/a', op: 'replace' },
        { path: '/b', op: 'replace' },
      ],
    );
  });

  it('reads __proto__ and constructor as data keys, and compares big integers by value', () => {
    const a = parse('{"__proto__": {"x": 1}, "constructor": 1, "n": 9007199254740993}');
    const b = parse('{"__proto__": {"x": 2}, "n": 9007199254740993}');
    expect(diffPaths(a, b)).toEqual([
      { path: '/__proto__/x', op: 'replace' },
      { path: '/constructor', op: 'remove' },
    ]);
  });

  it('finds nothing between a value and itself or an equal copy; the root is the empty pointer', () => {
    const a = parse('{"deep": [{"a": [1, {"b": null}]}]}');
    expect(diffPaths(a, a)).toEqual([]);
    expect(diffPaths(a, parse(JSON.stringify(a)))).toEqual([]);
    expect(diffPaths(1, 2)).toEqual([{ path: '', op: 'replace' }]);
    expect(diffPaths(undefined, 1)).toEqual([{ path: '', op: 'add' }]);
  });
});
