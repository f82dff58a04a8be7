// Spawns the real CLI (through the package's bin) on temporary files, and runs a real `git merge`
// with the driver configured.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

const BIN = resolve(import.meta.dirname, '../bin/conflict-desk.mjs');
let dir: string;

// The bin runs the bundled CLI (dist/cli.mjs): build it from the sources under test first.
beforeAll(() => {
  const build = spawnSync(process.execPath, [resolve(import.meta.dirname, '../scripts/build-cli.mjs')], { encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`building the CLI failed: ${build.stderr}`);
});

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'conflict-desk-cli-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function files(sides: Record<string, string>): void {
  for (const [name, text] of Object.entries(sides)) writeFileSync(join(dir, name), text);
}

function cli(...args: string[]) {
  const run = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8' });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

const base = '{\n  "sid": "WT1",\n  "priority": 1,\n  "status": "pending",\n  "attributes": "{\\"skills\\":[\\"es\\"]}"\n}\n';

describe('conflict-desk merge', () => {
  it('exits 0 and writes the merged document to stdout when clean', () => {
    files({
      base: base,
      mine: base.replace('"priority": 1', '"priority": 5'),
      theirs: base.replace('"pending"', '"assigned"').replace('[\\"es\\"]', '[\\"es\\",\\"vip\\"]'),
    });
    const run = cli('merge', 'base', 'mine', 'theirs');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ sid: 'WT1', priority: 5, status: 'assigned', attributes: '{"skills":["es","vip"]}' });
    expect(run.stdout).toBe(base.replace('"priority": 1', '"priority": 5').replace('"pending"', '"assigned"').replace('[\\"es\\"]', '[\\"es\\",\\"vip\\"]'));
  });

  it('exits 1 with a report naming each path and its three values, still writing -o', () => {
    files({ base, mine: base.replace('"priority": 1', '"priority": 5'), theirs: base.replace('"priority": 1', '"priority": 9') });
    const run = cli('merge', 'base', 'mine', 'theirs', '-o', 'out');
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('/priority  (both-modified)');
    expect(run.stderr).toMatch(/base: {3}1\n {4}mine: {3}5\n {4}theirs: 9/);
    expect(JSON.parse(readFileSync(join(dir, 'out'), 'utf8'))).toMatchObject({ priority: 5 });
  });

  it('exits 2 naming the file and position of invalid JSON or duplicate keys, writing nothing', () => {
    files({ base, mine: base, theirs: '{\n  "a": 1,\n  "a": 2\n}' });
    const dup = cli('merge', 'base', 'mine', 'theirs', '-o', 'out');
    expect(dup.code).toBe(2);
    expect(dup.stderr).toContain('theirs:3:3: duplicate key "a"');
    expect(() => readFileSync(join(dir, 'out'))).toThrow();
    files({ theirs: '{"a": [1, 2,]}' });
    const bad = cli('merge', 'base', 'mine', 'theirs');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('theirs:1:13:');
  });

  it('exits 2 on bad usage and missing files', () => {
    expect(cli('merge', 'base').code).toBe(2);
    expect(cli('frobnicate').code).toBe(2);
    expect(cli('merge', 'x', 'y', 'z').stderr).toContain('cannot read x');
  });

  it('works as a git merge driver in a real `git merge`', () => {
    const git = (...args: string[]) => {
      const run = spawnSync('git', args, { cwd: dir, encoding: 'utf8' });
      return { code: run.status, out: run.stdout + run.stderr };
    };
    git('init', '-q', '-b', 'main');
    git('config', 'user.email', 'test@example.com');
    git('config', 'user.name', 'Test');
    git('config', 'merge.conflict-desk.name', 'Conflict Desk structural JSON merge');
    git('config', 'merge.conflict-desk.driver', `"${process.execPath}" "${BIN}" merge %O %A %B -o %A`);
    files({ '.gitattributes': '*.json merge=conflict-desk\n', 'task.json': base });
    git('add', '.');
    git('commit', '-q', '-m', 'base');
    git('tag', 'base');
    git('checkout', '-q', '-b', 'theirs');
    files({ 'task.json': base.replace('"pending"', '"assigned"') });
    git('commit', '-q', '-am', 'theirs: status');
    git('checkout', '-q', 'main');
    files({ 'task.json': base.replace('"priority": 1', '"priority": 5') });
    git('commit', '-q', '-am', 'mine: priority (the adjacent line)');
    const merge = git('merge', '--no-edit', 'theirs');
    expect(merge.code, merge.out).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'task.json'), 'utf8'))).toMatchObject({ priority: 5, status: 'assigned' });

    // A real conflict: git stops, the file holds the merged document with mine's value.
    git('checkout', '-q', '-b', 'other', 'base');
    files({ 'task.json': base.replace('"priority": 1', '"priority": 9') });
    git('commit', '-q', '-am', 'other: priority');
    git('checkout', '-q', 'main');
    const conflicted = git('merge', '--no-edit', 'other');
    expect(conflicted.code).not.toBe(0);
    expect(conflicted.out).toContain('/priority');
    expect(JSON.parse(readFileSync(join(dir, 'task.json'), 'utf8'))).toMatchObject({ priority: 5, status: 'assigned' });
  });
});

describe('conflict-desk merge: inputs git can hand it', () => {
  it('takes an empty ancestor (both branches added the file) as "nothing", and a byte-order mark as no content', () => {
    files({ base: '', mine: '\uFEFF{"a": 1, "b": 2}\n', theirs: '{"a": 1, "c": 3}\n', out: 'untouched' });
    const run = cli('merge', 'base', 'mine', 'theirs', '-o', 'out');
    expect(run.code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'out'), 'utf8'))).toEqual({ a: 1, b: 2, c: 3 });
  });

  it('refuses "-" (standard input) with a clear message, writing nothing', () => {
    files({ base: '{}', mine: '{}' });
    const run = cli('merge', 'base', 'mine', '-');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('standard input is not supported');
  });
});
