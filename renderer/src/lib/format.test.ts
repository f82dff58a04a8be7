import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodePointer,
  encodePointer,
  getAt,
  isJsonObject,
  parseJson,
  type JsonValue,
} from '../../../shared/json';
import { friendlyPath, pathLabel } from './format';

const doc: JsonValue = {
  items: [
    { sid: 'WT1', tags: ['a', 'b'] },
    { label: 'no id', 'a/b': { '~x': 1 } },
  ],
  'x/y': [[{ id: 7 }]],
};

describe('friendlyPath', () => {
  it('names array elements by their id, else by their position from 1', () => {
    expect(friendlyPath(doc, '/items/0/tags/1')).toBe('items › item WT1 › tags › item 2');
    expect(friendlyPath(doc, '/items/1/label')).toBe('items › item 2 › label');
    expect(friendlyPath(doc, '/x~1y/0/0/id')).toBe('x/y › item 1 › item 7 › id');
  });

  it('reads escaped names at every depth', () => {
    expect(friendlyPath(doc, '/items/1/a~1b/~0x')).toBe('items › item 2 › a/b › ~x');
  });

  it('goes on by position where the document has nothing (an added element)', () => {
    expect(friendlyPath(doc, '/items/5/sid')).toBe('items › item 6 › sid');
    expect(friendlyPath(doc, '/missing/0/x')).toBe('missing › 0 › x');
    expect(friendlyPath(doc, '')).toBe('(whole document)');
  });
});

/** friendlyPath as it was before it walked one step per token (from the root for every prefix). */
function friendlyPathFromTheRoot(doc: JsonValue | undefined, pointer: string): string {
  if (pointer === '') return '(whole document)';
  const tokens = decodePointer(pointer);
  if (!tokens.ok) return pathLabel(pointer);
  const parts: string[] = [];
  let current: JsonValue | undefined = doc;
  tokens.value.forEach((token, i) => {
    const prefix = `/${tokens.value
      .slice(0, i + 1)
      .map((t) => t.replace(/~/g, '~0').replace(/\//g, '~1'))
      .join('/')}`;
    if (Array.isArray(current) && /^\d+$/.test(token)) {
      const item = current[Number(token)];
      const idKey = isJsonObject(item)
        ? ['id', 'sid', 'key', 'name'].find(
            (k) => typeof item[k] === 'string' || typeof item[k] === 'number',
          )
        : undefined;
      parts.push(
        idKey && isJsonObject(item) ? `item ${String(item[idKey])}` : `item ${Number(token) + 1}`,
      );
    } else {
      parts.push(token);
    }
    current = getAt(doc, prefix);
  });
  return parts.join(' › ');
}

// Names with the characters a pointer escapes, ids of every kind, and strings that hold JSON (a
// pointer continues through them): the documents where one step and a walk from the root could part.
const name = fc.constantFrom('a', 'id', 'sid', 'name', 'x/y', '~0', 'a~b/', '0', '01', '-', '');
const leaf = fc.oneof(
  fc.integer({ min: -1, max: 3 }),
  fc.constantFrom('w1', '', null, true, '{', '[1,2]', '{"id":"in","a":[{"sid":"S"}]}'),
);
const { json } = fc.letrec<{ json: JsonValue }>((tie) => ({
  json: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('json'), { maxLength: 4 }),
    fc.dictionary(name, tie('json'), { maxKeys: 4 }),
    tie('json').map((inner) => JSON.stringify(inner)),
  ),
}));

/** A pointer that follows `doc` where `picks` say so, and strays (a missing name or index) where not. */
function walk(doc: JsonValue, picks: readonly number[], strays: readonly string[]): string {
  const tokens: string[] = [];
  let current: JsonValue | undefined = doc;
  picks.forEach((pick, i) => {
    if (typeof current === 'string') {
      const inner = parseJson(current);
      current = inner.ok ? inner.value : undefined;
    }
    const keys = Array.isArray(current)
      ? current.map((_, index) => String(index))
      : isJsonObject(current)
        ? Object.keys(current)
        : [];
    const token = pick < keys.length ? keys[pick]! : strays[i % strays.length]!;
    tokens.push(token);
    current = getAt(current, encodePointer([token]));
  });
  return encodePointer(tokens);
}

describe('friendlyPath, one step per token', () => {
  it('says what the walk from the root said, on generated documents and pointers', () => {
    fc.assert(
      fc.property(
        json,
        fc.array(fc.nat(5), { maxLength: 6 }),
        fc.array(fc.oneof(name, fc.constantFrom('7', '00', '2')), { minLength: 1 }),
        (doc, picks, strays) => {
          const pointer = walk(doc, picks, strays);
          expect(friendlyPath(doc, pointer)).toBe(friendlyPathFromTheRoot(doc, pointer));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('says what it said for pointers that are not well formed, and for no document', () => {
    fc.assert(
      fc.property(
        fc.option(json, { nil: undefined }),
        fc.stringMatching(/^(\/[-a-z0-9~]{0,3}){0,4}$/),
        (doc, pointer) => {
          expect(friendlyPath(doc, pointer)).toBe(friendlyPathFromTheRoot(doc, pointer));
        },
      ),
      { numRuns: 1000 },
    );
  });
});
