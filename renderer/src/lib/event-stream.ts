// Server-sent events cut out of a stream's text as it arrives. A large event (the changed paths of
// a rewritten document, megabytes) comes in many chunks: each chunk is searched alone for the
// blank line that ends an event, and the chunks are joined once, when it is found. Appended to one
// buffer searched from its start, every chunk copied and searched the whole event again (16 MB in
// 16 KB chunks took 4.5 s; 32 MB in 4 KB chunks over a minute).

import type { ApiEvent } from '../../../shared/api/types';

/**
 * A reader of server-sent event text: `push` each chunk as it comes; `deliver` gets each event's
 * data (its `data: ` lines, joined by line breaks), when there is any.
 */
export function eventReader(deliver: (data: string) => void): (chunk: string) => void {
  // The text of the event under way, in the chunks it came in (none of them holds a blank line).
  let pieces: string[] = [];
  const emit = (text: string) => {
    const data = text
      .split('\n')
      .filter((line) => line.startsWith('data: '))
      .map((line) => line.slice(6))
      .join('\n');
    if (data) deliver(data);
  };
  return (chunk) => {
    let text = chunk;
    for (;;) {
      // A blank line split between the last chunk and this one.
      const last = pieces.length > 0 ? pieces[pieces.length - 1]! : '';
      if (last.endsWith('\n') && text.startsWith('\n')) {
        const event = pieces.join('');
        pieces = [];
        emit(event.slice(0, -1));
        text = text.slice(1);
        continue;
      }
      const end = text.indexOf('\n\n');
      if (end === -1) {
        if (text !== '') pieces.push(text);
        return;
      }
      const event = pieces.join('') + text.slice(0, end);
      pieces = [];
      emit(event);
      text = text.slice(end + 2);
    }
  };
}

/** The first pause before a stream is opened again; it doubles with each failure in a row. */
const FIRST_PAUSE_MS = 500;
const LONGEST_PAUSE_MS = 10_000;

/**
 * Keeps one event stream open for as long as the page lives. `open` reads one stream to its end,
 * calling `opened` once the host has answered; it is called again after a pause that grows with
 * each failure in a row (the host restarting), and is short after a stream that was open. A
 * stream opened after another had been tells `deliver` first that events may have been lost in
 * between (`events-missed`): the host closes the stream of a page that stopped reading it.
 */
export async function followEvents(
  open: (opened: () => void) => Promise<void>,
  deliver: (event: ApiEvent) => void,
  pause: (ms: number) => Promise<void>,
): Promise<never> {
  let everOpened = false;
  let failures = 0;
  for (;;) {
    let opened = false;
    try {
      await open(() => {
        opened = true;
        if (everOpened) deliver({ type: 'events-missed' });
        everOpened = true;
      });
    } catch {
      // Opened again below, after a pause.
    }
    failures = opened ? 0 : failures + 1;
    await pause(Math.min(FIRST_PAUSE_MS * 2 ** Math.max(0, failures - 1), LONGEST_PAUSE_MS));
  }
}
