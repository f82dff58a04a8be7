import { describe, expect, it } from 'vitest';
import { evaluateIfMatch, evaluateIfNoneMatch } from './preconditions';

describe('evaluateIfMatch', () => {
  it('is absent without a header', () => {
    expect(evaluateIfMatch(undefined, '"a"', 'strong')).toEqual({ kind: 'absent' });
  });
  it('accepts bare and quoted Twilio values with strong comparison', () => {
    expect(evaluateIfMatch('3', '3', 'strong').kind).toBe('pass');
    expect(evaluateIfMatch('"3"', '3', 'strong').kind).toBe('pass');
    expect(evaluateIfMatch('2', '3', 'strong').kind).toBe('fail');
  });
  it('never matches a weak tag under strong comparison, but does under weak', () => {
    expect(evaluateIfMatch('W/"3"', '3', 'strong').kind).toBe('fail');
    expect(evaluateIfMatch('W/"a-b"', 'W/"a-b"', 'strong').kind).toBe('fail');
    expect(evaluateIfMatch('W/"a-b"', 'W/"a-b"', 'weak').kind).toBe('pass');
    expect(evaluateIfMatch('"a-b"', 'W/"a-b"', 'weak').kind).toBe('pass');
  });
  it('handles lists, * and missing resources', () => {
    expect(evaluateIfMatch('"x", "y", "3"', '3', 'strong').kind).toBe('pass');
    expect(evaluateIfMatch('*', '9', 'strong').kind).toBe('pass');
    expect(evaluateIfMatch('*', null, 'strong').kind).toBe('fail');
  });
  it('reports malformed values', () => {
    expect(evaluateIfMatch('"unterminated', '3', 'strong').kind).toBe('malformed');
  });
});

describe('evaluateIfNoneMatch', () => {
  it('fails (→ 304) when any tag matches weakly or for *', () => {
    expect(evaluateIfNoneMatch('W/"a"', '"a"').kind).toBe('fail');
    expect(evaluateIfNoneMatch('"b", W/"a"', 'W/"a"').kind).toBe('fail');
    expect(evaluateIfNoneMatch('*', 'W/"a"').kind).toBe('fail');
    expect(evaluateIfNoneMatch('"b"', 'W/"a"').kind).toBe('pass');
    expect(evaluateIfNoneMatch('*', null).kind).toBe('pass');
  });
});
