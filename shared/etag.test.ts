import { describe, expect, it } from 'vitest';
import {
  formatEntityTag,
  parseEntityTag,
  parseEntityTagList,
  strongMatch,
  weakMatch,
} from './etag';

describe('entity tags', () => {
  it('parses quoted, weak and bare (Twilio) tags', () => {
    expect(parseEntityTag('"abc"')).toEqual({ ok: true, value: { opaque: 'abc', weak: false } });
    expect(parseEntityTag('W/"4c-6abdcf72"')).toEqual({
      ok: true,
      value: { opaque: '4c-6abdcf72', weak: true },
    });
    expect(parseEntityTag('3')).toEqual({ ok: true, value: { opaque: '3', weak: false } });
    expect(parseEntityTag(' 1a ')).toEqual({ ok: true, value: { opaque: '1a', weak: false } });
  });

  it('names what is wrong with a malformed tag', () => {
    expect(parseEntityTag('"abc')).toMatchObject({
      ok: false,
      error: expect.stringContaining('unterminated'),
    });
    expect(parseEntityTag('W/abc')).toMatchObject({
      ok: false,
      error: expect.stringContaining('weak entity-tag must be quoted'),
    });
    expect(parseEntityTag('')).toMatchObject({ ok: false, error: 'empty entity-tag' });
    expect(parseEntityTag('"a"b"')).toMatchObject({ ok: false });
  });

  it('parses If-Match lists and the wildcard', () => {
    expect(parseEntityTagList('*')).toEqual({ ok: true, value: '*' });
    expect(parseEntityTagList('"a", W/"b" ,3')).toEqual({
      ok: true,
      value: [
        { opaque: 'a', weak: false },
        { opaque: 'b', weak: true },
        { opaque: '3', weak: false },
      ],
    });
    expect(parseEntityTagList('"a,b"')).toEqual({
      ok: true,
      value: [{ opaque: 'a,b', weak: false }],
    });
    expect(parseEntityTagList('  ')).toMatchObject({ ok: false });
  });

  it('refuses If-Match lists whose tags are not separated by commas (RFC 9110 §13.1.1 #entity-tag)', () => {
    // "0 1" is not a list of two tags: the grammar separates list members with commas only.
    expect(parseEntityTagList('0 1')).toMatchObject({ ok: false });
    expect(parseEntityTagList('"0" "1"')).toMatchObject({ ok: false });
    expect(parseEntityTagList('"0""1"')).toMatchObject({ ok: false });
    expect(parseEntityTagList('"0";x')).toMatchObject({ ok: false });
    // Empty list elements are ignored (RFC 9110 §5.6.1.2), a lone comma list is empty.
    expect(parseEntityTagList('"0", ,"1"')).toEqual({
      ok: true,
      value: [
        { opaque: '0', weak: false },
        { opaque: '1', weak: false },
      ],
    });
    expect(parseEntityTagList(' , ')).toMatchObject({ ok: false });
  });

  it('compares strongly for If-Match and weakly for If-None-Match (RFC 9110 §8.8.3.2)', () => {
    const strong = { opaque: '1', weak: false };
    const weak = { opaque: '1', weak: true };
    expect(strongMatch(strong, strong)).toBe(true);
    expect(strongMatch(strong, weak)).toBe(false);
    expect(strongMatch(weak, weak)).toBe(false);
    expect(weakMatch(weak, strong)).toBe(true);
    expect(weakMatch(weak, { opaque: '2', weak: true })).toBe(false);
  });

  it('formats tags as quoted header values', () => {
    expect(formatEntityTag({ opaque: 'x', weak: true })).toBe('W/"x"');
    expect(formatEntityTag({ opaque: '3', weak: false })).toBe('"3"');
  });
});
