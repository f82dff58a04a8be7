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
});
