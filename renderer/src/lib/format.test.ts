import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../../../shared/json';
import { friendlyPath } from './format';

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
