import { describe, expect, it } from 'vitest';
import type { ApiEvent } from '../../../shared/api/types';
import { eventReader, followEvents } from './event-stream';

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

describe('followEvents', () => {
  /**
   * Runs followEvents over scripted streams: each step opens (and delivers its events) or fails
   * before the host answers, or fails after it. Returns what listeners got and the pauses taken.
   */
  async function follow(
    steps: ReadonlyArray<{ opens: boolean; events?: ApiEvent[]; then?: 'ends' | 'fails' }>,
  ) {
    const got: string[] = [];
    const pauses: number[] = [];
    let step = 0;
    const deliver = (event: ApiEvent) =>
      got.push(event.type === 'activity' ? `activity ${event.entry.id}` : event.type);
    const stop = new Error('no more steps');
    const ran = followEvents(
      async (opened) => {
        const now = steps[step++]!;
        if (!now.opens) throw new Error('the host did not answer');
        opened();
        for (const event of now.events ?? []) deliver(event);
        if (now.then === 'fails') throw new Error('the host closed the stream');
      },
      deliver,
      async (ms) => {
        pauses.push(ms);
        if (step >= steps.length) throw stop;
      },
    );
    await expect(ran).rejects.toBe(stop);
    return { got, pauses };
  }
  const event = (id: number) => ({ type: 'activity', entry: { id } }) as unknown as ApiEvent;

  it('tells listeners that events may be lost when a stream that was open opens again, first', async () => {
    const { got } = await follow([
      { opens: true, events: [event(1)], then: 'fails' },
      { opens: true, events: [event(2)], then: 'ends' },
      { opens: true, events: [event(3)] },
    ]);
    expect(got).toEqual([
      'activity 1',
      'events-missed',
      'activity 2',
      'events-missed',
      'activity 3',
    ]);
  });

  it('says nothing was missed when the first stream opens only after failures', async () => {
    const { got, pauses } = await follow([
      { opens: false },
      { opens: false },
      { opens: false },
      { opens: true, events: [event(1)] },
    ]);
    expect(got).toEqual(['activity 1']);
    // Longer after each failure in a row; short again after a stream that was open.
    expect(pauses).toEqual([500, 1000, 2000, 500]);
  });

  it('waits at most ten seconds between tries, and tells of lost events once it is back', async () => {
    const { got, pauses } = await follow([
      { opens: true, then: 'fails' },
      ...Array.from({ length: 8 }, () => ({ opens: false })),
      { opens: true, events: [event(9)] },
    ]);
    expect(pauses).toEqual([500, 500, 1000, 2000, 4000, 8000, 10_000, 10_000, 10_000, 500]);
    expect(got).toEqual(['events-missed', 'activity 9']);
  });
});
