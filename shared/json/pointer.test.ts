import { describe, expect, it } from 'vitest';
import { decodePointer, encodePointer, getAt, setAt } from './pointer';

describe('JSON Pointer', () => {
  it('round-trips tokens with ~ and / (RFC 6901)', () => {
    expect(encodePointer(['a/b', 'm~n', ''])).toBe('/a~1b/m~0n/');
    expect(decodePointer('/a~1b/m~0n/')).toEqual({ ok: true, value: ['a/b', 'm~n', ''] });
    expect(decodePointer('a')).toMatchObject({ ok: false });
    expect(decodePointer('/a~2')).toMatchObject({ ok: false });
  });

  it('gets values, including through strings that hold JSON', () => {
    const doc = { tasks: [{ sid: 'WT1', attributes: '{"customer":{"name":"Ana"}}' }] };
    expect(getAt(doc, '')).toBe(doc);
    expect(getAt(doc, '/tasks/0/sid')).toBe('WT1');
    expect(getAt(doc, '/tasks/0/attributes/customer/name')).toBe('Ana');
    expect(getAt(doc, '/tasks/1')).toBeUndefined();
    expect(getAt(doc, '/tasks/01')).toBeUndefined();
    expect(getAt({ a: 1 }, '/toString')).toBeUndefined();
  });

  it('sets and removes without mutating, keeping key order and string layout', () => {
    const doc = { a: 1, b: { c: [1, 2] }, s: '{"x": 1, "y": 2}' };
    expect(setAt(doc, '/a', 5)).toEqual({ ok: true, value: { a: 5, b: { c: [1, 2] }, s: doc.s } });
    expect(setAt(doc, '/b/c/-', 3)).toMatchObject({ ok: true, value: { b: { c: [1, 2, 3] } } });
    expect(setAt(doc, '/b/c/0', undefined)).toMatchObject({ ok: true, value: { b: { c: [2] } } });
    expect(setAt(doc, '/s/y', 3)).toMatchObject({ ok: true, value: { s: '{"x": 1, "y": 3}' } });
    expect(setAt(doc, '/a/b', 3)).toMatchObject({ ok: false });
    expect(doc.b.c).toEqual([1, 2]);
  });
});
