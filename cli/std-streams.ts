// Writing to the process's stdout and stderr for a command that runs once per file git merges.
// `process.stderr` is made on first use, and making it loads Node's stream and socket modules:
// about 2.5 ms, as long as a 1 KB merge itself. A conflict report is a few lines, so it is
// written to the file descriptor directly (on Windows only when that is a pipe or a file: a
// console gets the stream, which writes it as UTF-16). A pipe a parent made non-blocking may
// refuse some of a long text (EAGAIN): the rest then goes through the stream, which waits for the
// reader, and so does everything after it, so that nothing overtakes what is queued.
import { fstatSync, writeSync } from 'node:fs';

export type StdWriter = {
  write(text: string | Uint8Array): void;
  /** Whether everything written has reached the descriptor (nothing waits in the stream). */
  flushed(): boolean;
};

export function stdWriter(fd: 1 | 2, stream: () => NodeJS.WriteStream): StdWriter {
  let queued: NodeJS.WriteStream | undefined;
  let checked = false;
  return {
    write(text) {
      if (!checked) {
        checked = true;
        if (process.platform === 'win32' && isTerminal(fd)) queued = stream();
      }
      if (queued) {
        queued.write(text);
        return;
      }
      const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
      let done = 0;
      try {
        while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
        queued = stream();
        queued.write(bytes.subarray(done));
      }
    },
    flushed: () => queued === undefined || queued.writableLength === 0,
  };
}

/** Whether `fd` is a terminal (a character device), or cannot be asked. */
function isTerminal(fd: number): boolean {
  try {
    return fstatSync(fd).isCharacterDevice();
  } catch {
    return true;
  }
}
