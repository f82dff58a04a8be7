import { describe, expect, it } from 'vitest';
import { eventReader } from './event-stream';

/** What the reader delivers of `text` cut into `chunks`. */
function read(chunks: readonly string[]): string[] {
  const got: string[] = [];
  const push = eventReader((data) => got.push(data));
  for (const chunk of chunks) push(chunk);
  return got;
}

/** `text` cut at the given lengths, over and over. */
function cut(text: string, sizes: readonly number[]): string[] {
  const out: string[] = [];
  for (let at = 0, n = 0; at < text.length; n++) {
    const size = sizes[n % sizes.length]!;
    out.push(text.slice(at, at + size));
    at += size;
  }
  return out;
}

const STREAM =
  ': connected\n\ndata: {"a":1}\n\n: keep-alive\n\ndata: one\ndata: two\nid: 3\n\n\n\ndata: last\n\ndata: unfinished';

describe('eventReader', () => {
  it('delivers each event’s data however the text is cut', () => {
    const whole = read([STREAM]);
    expect(whole).toEqual(['{"a":1}', 'one\ntwo', 'last']);
    for (const sizes of [[1], [2], [3], [1, 2], [5, 1, 1], [7], [13, 1]])
      expect(read(cut(STREAM, sizes))).toEqual(whole);
    // Empty chunks, and a blank line split across chunks.
    expect(read(['data: x\n', '', '\n', 'data: y\n', '\ndata: z', '\n\n'])).toEqual([
      'x',
      'y',
      'z',
    ]);
  });

  it('reads an event of 32 MB in 4 KB chunks', () => {
    // Appended to one buffer searched from its start, this took over a minute (4.5 s for 16 MB in
    // 16 KB chunks, four times as long for each doubling of the event or halving of the chunks).
    const body = 'x'.repeat(32 * 1024 * 1024);
    const got = read(cut(`data: ${body}\n\ndata: after\n\n`, [4096]));
    expect(got.length).toBe(2);
    expect(got[0] === body).toBe(true);
    expect(got[1]).toBe('after');
  }, 20_000);
});
