// Reading the three sides and writing the merge, for a command that runs once per file git merges.
// At megabyte sizes the cost is less the bytes than fresh memory: a new buffer per file is touched
// page by page, and writeFileSync encodes the whole text into another. One buffer, sized to the
// largest side, is read into three times; the merge is encoded and written a slice at a time.
import { isAscii, isUtf8 } from 'node:buffer';
import { closeSync, fstatSync, openSync, readFileSync, readSync, writeSync } from 'node:fs';

export type ReadTexts =
  | {
      readonly ok: true;
      readonly texts: string[];
      /**
       * 'utf8': every file is UTF-8 text. 'latin1': one is not (a Latin-1 file, stray bytes), and
       * every text holds its file's bytes one character each, to be written back as bytes.
       */
      readonly encoding: 'utf8' | 'latin1';
    }
  | { readonly ok: false; readonly file: string; readonly message: string };

/**
 * The files' texts, decoded as UTF-8 (a file of ASCII bytes is copied, not decoded: the same
 * text), or the first file that could not be read and why. When a file is not UTF-8, decoding
 * would turn its bytes into U+FFFD, and a merge would write that over them: every file is then
 * read byte for byte instead (`encoding: 'latin1'`).
 */
export function readTexts(files: readonly string[]): ReadTexts {
  const fds: number[] = [];
  let file = files[0] ?? '';
  try {
    const sizes: number[] = [];
    for (file of files) {
      fds.push(openSync(file, 'r'));
      sizes.push(fstatSync(fds[fds.length - 1]!).size);
    }
    // One byte more than the largest: a file that fills it has grown since it was measured.
    const buffer = Buffer.allocUnsafeSlow(Math.max(...sizes) + 1);
    const texts: string[] = [];
    for (let i = 0; i < files.length; i++) {
      file = files[i]!;
      const text = readText(file, fds[i]!, buffer);
      if (text === undefined) {
        const bytes: string[] = [];
        for (file of files) bytes.push(readFileSync(file).toString('latin1'));
        return { ok: true, texts: bytes, encoding: 'latin1' };
      }
      texts.push(text);
    }
    return { ok: true, texts, encoding: 'utf8' };
  } catch (err) {
    return { ok: false, file, message: (err as Error).message };
  } finally {
    for (const fd of fds) closeSync(fd);
  }
}

/** The file's text, or undefined when its bytes are not UTF-8. */
function readText(file: string, fd: number, buffer: Buffer): string | undefined {
  let length = 0;
  for (;;) {
    const read = readSync(fd, buffer, length, buffer.length - length, null);
    if (read === 0) break;
    length += read;
    // Full: the file grew (or is not a regular file, measured as empty); read it whole instead.
    if (length === buffer.length) return utf8Text(readFileSync(file));
  }
  return utf8Text(buffer.subarray(0, length));
}

function utf8Text(bytes: Buffer): string | undefined {
  if (isAscii(bytes)) return bytes.toString('latin1');
  return isUtf8(bytes) ? bytes.toString('utf8') : undefined;
}

/** Characters encoded per write: at most 3 bytes each in UTF-8, so the buffer below holds them. */
const CHUNK = 1 << 18;

/**
 * Writes `text` (a string, or parts written one after another, none splitting a surrogate pair)
 * to a new file `file` as UTF-8 (or one byte per character, for texts read that way), through one small buffer: parts are not joined into one string
 * first, and a long one is encoded a slice at a time.
 */
export function writeText(
  file: string,
  text: string | readonly string[],
  encoding: 'utf8' | 'latin1' = 'utf8',
): void {
  const parts = typeof text === 'string' ? [text] : text;
  const fd = openSync(file, 'w');
  try {
    const buffer = Buffer.allocUnsafe(CHUNK * 3);
    let used = 0;
    const flush = () => {
      for (let written = 0; written < used;)
        written += writeSync(fd, buffer, written, used - written);
      used = 0;
    };
    for (let p = 0; p < parts.length; p++) {
      const part = parts[p]!;
      for (let at = 0; at < part.length;) {
        // Characters that surely fit in what is left (two at least, so a pair always fits).
        if (buffer.length - used < 6) flush();
        let end = Math.min(part.length, at + Math.floor((buffer.length - used) / 3));
        // A surrogate pair is never split: each half alone would be written as U+FFFD.
        const last = part.charCodeAt(end - 1);
        if (end < part.length && last >= 0xd800 && last <= 0xdbff) end--;
        used += buffer.write(
          at === 0 && end === part.length ? part : part.slice(at, end),
          used,
          encoding,
        );
        at = end;
      }
    }
    flush();
  } finally {
    closeSync(fd);
  }
}
