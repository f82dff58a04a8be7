import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergeLines } from './line-merge';

/** What `git merge-file --diff3` writes for the same three texts, labelled like ours. */
function gitMergeFile(
  base: string,
  mine: string,
  theirs: string,
): { text: string; conflicts: number } {
  const dir = mkdtempSync(join(tmpdir(), 'line-merge-'));
  try {
    writeFileSync(join(dir, 'base'), base);
    writeFileSync(join(dir, 'mine'), mine);
    writeFileSync(join(dir, 'theirs'), theirs);
    const run = spawnSync(
      'git',
      [
        'merge-file',
        '-p',
        '--diff3',
        '-L',
        'ours',
        '-L',
        'base',
        '-L',
        'theirs',
        'mine',
        'base',
        'theirs',
      ],
      { cwd: dir, encoding: 'utf8' },
    );
    return { text: run.stdout, conflicts: run.status ?? -1 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('mergeLines', () => {
  it('takes changes to separate lines from each side', () => {
    const base = 'a\nb\nc\nd\ne\n';
    expect(mergeLines(base, 'A\nb\nc\nd\ne\n', 'a\nb\nc\nd\nE\n')).toEqual({
      text: 'A\nb\nc\nd\nE\n',
      conflicts: 0,
    });
  });

  it('writes a diff3 block where both sides changed the same lines differently, with %L-long markers', () => {
    const merged = mergeLines('a\nb\nc\n', 'a\nB1\nc\n', 'a\nB2\nc\n', { markerSize: 9 });
    expect(merged).toEqual({
      text: 'a\n<<<<<<<<< ours\nB1\n||||||||| base\nb\n=========\nB2\n>>>>>>>>> theirs\nc\n',
      conflicts: 1,
    });
  });

  it('accepts the same change made on both sides', () => {
    expect(mergeLines('a\nb\n', 'a\nX\n', 'a\nX\n')).toEqual({ text: 'a\nX\n', conflicts: 0 });
  });

  it('ends a side that lacks a final newline before the next marker', () => {
    const merged = mergeLines('a\nb', 'a\nc', 'a\nd');
    expect(merged.text).toBe('a\n<<<<<<< ours\nc\n||||||| base\nb\n=======\nd\n>>>>>>> theirs\n');
  });

  it('gives the changed side when only one side changed, and either when both changed alike', () => {
    const lines = fc
      .array(fc.constantFrom('a\n', 'b\n', 'c\n', '{\n', '}\n'), { maxLength: 12 })
      .map((l) => l.join(''));
    fc.assert(
      fc.property(lines, lines, (b, x) => {
        expect(mergeLines(b, x, b)).toEqual({ text: x, conflicts: 0 });
        expect(mergeLines(b, b, x)).toEqual({ text: x, conflicts: 0 });
        expect(mergeLines(b, x, x)).toEqual({ text: x, conflicts: 0 });
      }),
      { numRuns: 300 },
    );
  });

  it('writes what git merge-file --diff3 writes for a JSON file with comments edited on both sides', () => {
    const base =
      '{\n  // editor settings\n  "tabSize": 2,\n  "wrap": true,\n  "theme": "light",\n  "font": "mono",\n}\n';
    const mine = base
      .replace('"tabSize": 2', '"tabSize": 4')
      .replace('"font": "mono"', '"font": "serif"');
    const theirs = base
      .replace('"tabSize": 2', '"tabSize": 8')
      .replace('// editor settings', '// editor settings (shared)');
    const ours = mergeLines(base, mine, theirs);
    const git = gitMergeFile(base, mine, theirs);
    expect(ours.text).toBe(git.text);
    expect(ours.conflicts).toBe(git.conflicts);
  });

  it('keeps both sides’ edits to separate lines, as git merge-file does', () => {
    // Distinct lines, so the alignment is not in doubt; the sides' edited lines are at least one
    // unchanged line apart (git merge-file takes edits to adjacent lines as one conflict).
    const plan = fc
      .record({
        size: fc.integer({ min: 1, max: 40 }),
        edits: fc.array(fc.record({ at: fc.nat(), side: fc.constantFrom('mine', 'theirs') }), {
          maxLength: 12,
        }),
      })
      .map(({ size, edits }) => {
        const owner = new Map<number, string>();
        for (const { at, side } of edits) {
          const line = at % size;
          const near = [line - 1, line, line + 1].map((n) => owner.get(n));
          if (near.every((o) => o === undefined || o === side)) owner.set(line, side);
        }
        return { size, owner };
      });
    fc.assert(
      fc.property(plan, ({ size, owner }) => {
        const base = Array.from({ length: size }, (_, n) => `line ${n}\n`);
        const edited = (side: string) =>
          base.map((line, n) => (owner.get(n) === side ? `${side} ${n}\n` : line)).join('');
        const both = base
          .map((line, n) => (owner.has(n) ? `${owner.get(n)} ${n}\n` : line))
          .join('');
        const ours = mergeLines(base.join(''), edited('mine'), edited('theirs'));
        expect(ours).toEqual({ text: both, conflicts: 0 });
        expect(gitMergeFile(base.join(''), edited('mine'), edited('theirs'))).toEqual(ours);
      }),
      { numRuns: 40 },
    );
  });

  // Myers' diff costs lines × edits: these took 26 s, a minute and minutes. A regression shows as
  // this test's time limit, not as a timing assertion (speed targets live in the bench).
  it('merges files of tens of thousands of lines that each side edited all over', () => {
    const n = 30_000;
    const base = Array.from({ length: n }, (_, i) => `  "key${i}": ${i},\n`);
    const edit = (side: string, every: number, from: number) =>
      base.map((line, i) => (i % every === from ? `  "key${i}": "${side}",\n` : line));
    const mine = edit('mine', 4, 0);
    const theirs = edit('theirs', 4, 2);
    const merged = mergeLines(base.join(''), mine.join(''), theirs.join(''));
    expect(merged.conflicts).toBe(0);
    expect(merged.text).toBe(base.map((_, i) => [mine, theirs][i % 4 === 2 ? 1 : 0]![i]).join(''));

    // Every line rewritten on both sides: one conflict, each side written whole.
    const rewrite = (side: string) =>
      base.map((line) => line.replace(':', ` /* ${side} */:`)).join('');
    const both = mergeLines(base.join(''), rewrite('mine'), rewrite('theirs'));
    expect(both.conflicts).toBe(1);
    expect(both.text).toContain(rewrite('mine'));
    expect(both.text).toContain(rewrite('theirs'));

    // The same lines in another order: past the diff's bound the middle is one change, coarser
    // but never wrong (theirs changed nothing, so the merge is mine).
    const reversed = [...base].reverse().join('');
    expect(mergeLines(base.join(''), reversed, base.join(''))).toEqual({
      text: reversed,
      conflicts: 0,
    });
    const appended = base.join('') + '  "end": true\n';
    const coarse = mergeLines(base.join(''), reversed, appended);
    expect(coarse.conflicts).toBe(1);
    expect(coarse.text).toContain(reversed);
  }, 20_000);
});

describe('mergeLines on a long file both sides rewrote', () => {
  it('writes a conflict of 300,000 lines per side (spread as arguments, they overflowed the stack)', () => {
    const n = 300_000;
    const lines = (f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i) + '\n');
    const base = lines((i) => `b${i}`);
    const mine = lines((i) => `m${i}`);
    const theirs = lines((i) => `t${i}`);
    const merged = mergeLines(base.join(''), mine.join(''), theirs.join(''));
    expect(merged.conflicts).toBe(1);
    expect(merged.text).toBe(
      ['<<<<<<< ours\n', ...mine, '||||||| base\n', ...base, '=======\n', ...theirs].join('') +
        '>>>>>>> theirs\n',
    );
  }, 20_000);
});
