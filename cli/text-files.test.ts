import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readTexts, writeText } from './text-files';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'conflict-desk-text-files-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const file = (name: string, bytes: string | Buffer) => {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
};

describe('readTexts', () => {
  it('reads each file through one buffer without the bytes of a larger file before it', () => {
    const large = file('large.json', `{"a": "${'x'.repeat(100_000)}"}\n`);
    const small = file('small.json', '{"b": 1}\n');
    const empty = file('empty.json', '');
    const read = readTexts([large, small, empty]);
    expect(read).toEqual({
      ok: true,
      texts: [readFileSync(large, 'utf8'), '{"b": 1}\n', ''],
      encoding: 'utf8',
    });
  });

  it('decodes UTF-8 as Buffer#toString does: several bytes per character, a mark', () => {
    const bytes = [
      Buffer.from('\ufeff{"name": "Zoë 😀 ünïcödé"}\n', 'utf8'),
      Buffer.from('{"ascii": true}', 'latin1'),
    ];
    const paths = bytes.map((b, i) => file(`side-${i}.json`, b));
    expect(readTexts(paths)).toEqual({
      ok: true,
      texts: bytes.map((b) => b.toString('utf8')),
      encoding: 'utf8',
    });
  });

  it('reads every side byte for byte when one is not UTF-8, so its bytes can be written back', () => {
    const bytes = [
      Buffer.from('{"name": "Zoë"}\n', 'utf8'),
      // Not UTF-8: a lone continuation byte and a truncated sequence.
      Buffer.from([0x7b, 0x22, 0x80, 0x22, 0x3a, 0xe2, 0x82, 0x7d]),
      Buffer.from('{"ascii": true}', 'latin1'),
    ];
    const paths = bytes.map((b, i) => file(`side-${i}.json`, b));
    const read = readTexts(paths);
    expect(read).toEqual({
      ok: true,
      texts: bytes.map((b) => b.toString('latin1')),
      encoding: 'latin1',
    });
    const out = join(dir, 'out.json');
    writeText(out, read.ok ? read.texts[1]! : '', 'latin1');
    expect(readFileSync(out).equals(bytes[1]!)).toBe(true);
  });

  // procfs reports a size of 0 for files that read as text: the buffer is too small for them.
  it.runIf(existsSync('/proc/version'))('reads whole a file longer than its measured size', () => {
    const small = file('small.json', '{}');
    expect(readTexts(['/proc/version', small])).toEqual({
      ok: true,
      texts: [readFileSync('/proc/version', 'utf8'), '{}'],
      encoding: 'utf8',
    });
  });

  it('names the file it could not read, and why', () => {
    const ok = file('ok.json', '{}');
    const folder = join(dir, 'folder');
    mkdirSync(folder);
    const missing = join(dir, 'missing.json');
    expect(readTexts([ok, missing, ok])).toMatchObject({ ok: false, file: missing });
    const notFile = readTexts([ok, ok, folder]);
    expect(notFile).toMatchObject({ ok: false, file: folder });
    expect(!notFile.ok && notFile.message).toMatch(/EISDIR/);
  });
});

describe('writeText', () => {
  const chunk = 1 << 18;
  const roundTrip = (text: string) => {
    const path = join(dir, 'out.json');
    writeText(path, text);
    return readFileSync(path);
  };

  it('writes the UTF-8 bytes of the text, whatever falls on a slice boundary', () => {
    const texts = [
      '',
      '{"a": 1}\n',
      // A surrogate pair across the first slice boundary (each half alone would be written as U+FFFD).
      'a'.repeat(chunk - 1) + '😀' + 'b'.repeat(10),
      // Slices of three-byte characters fill the buffer to its last byte.
      'é€'.repeat(chunk) + '😀'.repeat(chunk / 2 + 3),
    ];
    for (const text of texts) expect(roundTrip(text).equals(Buffer.from(text, 'utf8'))).toBe(true);
  });

  it('writes parts one after another, a pair never split where the buffer fills', () => {
    const path = join(dir, 'parts.json');
    // Small parts fill the buffer to every offset before a long part, astral and three-byte
    // characters, falls across its end.
    for (const lead of [0, 1, 2, 3, 5]) {
      const parts = [
        ...Array.from({ length: 1000 + lead }, (_, i) => (i % 3 === 0 ? '😀' : 'é,\n')),
        '€'.repeat(chunk) + '😀'.repeat(chunk / 2 + 1),
        '',
        'a',
        '😀'.repeat(chunk + 7),
      ];
      writeText(path, parts);
      expect(readFileSync(path).equals(Buffer.from(parts.join(''), 'utf8'))).toBe(true);
    }
  });

  it('replaces a file that was there, and fails on a folder that is not', () => {
    const path = file('out.json', 'x'.repeat(5000));
    writeText(path, '{}');
    expect(readFileSync(path, 'utf8')).toBe('{}');
    expect(() => writeText(join(dir, 'no-such-folder', 'out.json'), '{}')).toThrow(/ENOENT/);
  });
});
