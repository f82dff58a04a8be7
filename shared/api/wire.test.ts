import { describe, expect, it } from 'vitest';
import { decodeWire, encodeWire } from './wire';

describe('wire encoding', () => {
  it('round-trips bigint exactly and leaves everything else as JSON', () => {
    const value = {
      id: 12345678901234567890n,
      list: [1, -98765432109876543210n, 'x'],
      nested: { ok: true, n: null },
    };
    const text = encodeWire(value);
    expect(text).not.toContain('12345678901234567890,');
    expect(decodeWire(text)).toEqual(value);
    expect(decodeWire(encodeWire({ a: 1 }))).toEqual({ a: 1 });
  });
  it('does not turn look-alike objects with other keys into bigint', () => {
    expect(decodeWire('{"$conflictDeskBigInt":"12","other":1}')).toEqual({
      $conflictDeskBigInt: '12',
      other: 1,
    });
    expect(decodeWire('{"$conflictDeskBigInt":"1e3"}')).toEqual({ $conflictDeskBigInt: '1e3' });
  });
});
