import { describe, expect, it } from 'vitest';
import { textCache } from './text-cache';

describe('textCache', () => {
  it('finds a value by an equal text, not only the same string', () => {
    const cache = textCache<number>(2);
    const text = 'x'.repeat(1000) + 'end';
    cache.set(text, 1);
    expect(cache.get(['x'.repeat(1000), 'end'].join(''))).toBe(1);
    // As long as a kept text, different content: not found.
    expect(cache.get('x'.repeat(1000) + 'eNd')).toBeUndefined();
    expect(cache.get('y')).toBeUndefined();
  });

  it('keeps the most recently used texts, and a text set again once', () => {
    const cache = textCache<string>(2);
    cache.set('a', 'A');
    cache.set('b', 'B');
    expect(cache.get('a')).toBe('A'); // a is now the most recent: b goes first
    cache.set('c', 'C');
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe('A');
    cache.set('a', 'A2');
    cache.set('d', 'D');
    expect([cache.get('a'), cache.get('c'), cache.get('d')]).toEqual(['A2', undefined, 'D']);
  });
});
