// The structural merge failing outright (a defect, an exhausted stack) must not end the command
// with nothing written: git would keep mine's file as the merge, and theirs' side would be lost on
// `git add`. The failure is simulated here (no known input causes one): merge-text throws.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import type * as MergeText from '../shared/json/merge-text';
import { runMerge } from './merge';

vi.mock('../shared/json/merge-text', async (importOriginal) => ({
  ...(await importOriginal<typeof MergeText>()),
  mergeText: () => {
    throw new RangeError('Maximum call stack size exceeded');
  },
}));

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'merge-failure-'));
  const doc = (a: number, b: number, c: number) =>
    JSON.stringify({ a, pad: 'p', b, more: 'q', c }, null, 2) + '\n';
  writeFileSync(join(dir, 'base.json'), doc(1, 1, 1));
  writeFileSync(join(dir, 'mine.json'), doc(2, 1, 5));
  writeFileSync(join(dir, 'theirs.json'), doc(1, 3, 6));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function merge(...extra: string[]) {
  let stderr = '';
  const files = ['base.json', 'mine.json', 'theirs.json'].map((f) => join(dir, f));
  const code = await runMerge([...files, '-o', join(dir, 'out.json'), ...extra], {
    stdout: () => {},
    stderr: (text) => (stderr += text),
  });
  return { code, stderr };
}

it('merges line by line with markers, saying why, when the structural merge fails', async () => {
  const run = await merge();
  expect(run.code).toBe(1);
  expect(run.stderr).toContain('the structural merge failed: Maximum call stack size exceeded');
  expect(run.stderr).toContain('merged line by line');
  const out = readFileSync(join(dir, 'out.json'), 'utf8');
  // Both sides' changes are there: mine's a, theirs' b, and the c both changed between markers.
  expect(out).toContain('"a": 2');
  expect(out).toContain('"b": 3');
  expect(out).toMatch(/<<<<<<< [^\n]*\n {2}"c": 5\n[^]*=======\n {2}"c": 6\n>>>>>>> /);
});

it('with --report-only exits 2 naming the failure, writing nothing', async () => {
  const run = await merge('--report-only');
  expect(run.code).toBe(2);
  expect(run.stderr).toContain('the structural merge failed');
  expect(existsSync(join(dir, 'out.json'))).toBe(false);
});
