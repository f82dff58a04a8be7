// A real `git merge` with the driver configured exactly as the README says (its lines are read from
// README.md and run by the shell), for each kind of input git can hand the driver; each conflicted
// file is then resolved to each side, as an editor's "Accept Current/Incoming" would.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse as parseJsonc } from 'jsonc-parser';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
let dir: string;

/** The README's driver set-up: the sh block after "As a git merge driver". */
function readmeDriverLines(): string[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const block = /As a git merge driver:\s*```sh\n([\s\S]*?)```/.exec(readme);
  if (!block) throw new Error('README.md has no git merge driver block');
  return block[1]!
    .trim()
    .split('\n')
    .map((line) => line.replaceAll('/path/to/conflict-desk', ROOT));
}

beforeAll(() => {
  const build = spawnSync(process.execPath, [join(ROOT, 'scripts/build-cli.mjs')], {
    encoding: 'utf8',
  });
  if (build.status !== 0) throw new Error(`building the CLI failed: ${build.stderr}`);
});
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'conflict-desk-git-'));
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'test@example.com');
  git('config', 'user.name', 'Test');
  for (const line of readmeDriverLines()) {
    const run = spawnSync('sh', ['-c', line], { cwd: dir, encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`${line}: ${run.stderr}`);
  }
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function git(...args: string[]): { code: number | null; out: string } {
  const run = spawnSync('git', args, { cwd: dir, encoding: 'utf8' });
  return { code: run.status, out: run.stdout + run.stderr };
}

function write(name: string, text: string): void {
  writeFileSync(join(dir, name), text);
}

/** Commits `base`, then `theirs` on a branch and `mine` on main, and merges the branch. */
function mergeOf(
  name: string,
  sides: { base: string; mine: string; theirs: string },
): { code: number | null; out: string; file: string } {
  write(name, sides.base);
  git('add', '.');
  git('commit', '-q', '-m', 'base');
  git('checkout', '-q', '-b', 'theirs');
  write(name, sides.theirs);
  git('commit', '-q', '-am', 'theirs');
  git('checkout', '-q', 'main');
  write(name, sides.mine);
  git('commit', '-q', '-am', 'mine');
  const merge = git('merge', '--no-edit', 'theirs');
  return { ...merge, file: readFileSync(join(dir, name), 'utf8') };
}

/** Keeps one side of every marker block. */
function keep(text: string, side: 'ours' | 'theirs', size = 7): string {
  let state = 'out';
  const out: string[] = [];
  for (const line of text.split(/(?<=\n)/)) {
    if (line.startsWith('<'.repeat(size) + ' ')) state = 'ours';
    else if (line.startsWith('|'.repeat(size) + ' ')) state = 'base';
    else if (line.replace(/\n$/, '') === '='.repeat(size)) state = 'theirs';
    else if (line.startsWith('>'.repeat(size) + ' ')) state = 'out';
    else if (state === 'out' || state === side) out.push(line);
  }
  return out.join('');
}

function jsonc(text: string): unknown {
  const errors: unknown[] = [];
  const value: unknown = parseJsonc(text, errors as never, { allowTrailingComma: true });
  expect(errors, text).toEqual([]);
  return value;
}

const task = '{\n  "sid": "WT1",\n  "priority": 1,\n  "status": "pending",\n  "reason": null\n}\n';

describe('the git merge driver, set up as the README says', () => {
  it('merges edits to adjacent lines cleanly', () => {
    const merge = mergeOf('task.json', {
      base: task,
      mine: task.replace('"priority": 1', '"priority": 5'),
      theirs: task.replace('"pending"', '"assigned"'),
    });
    expect(merge.code, merge.out).toBe(0);
    expect(JSON.parse(merge.file)).toEqual({
      sid: 'WT1',
      priority: 5,
      status: 'assigned',
      reason: null,
    });
  });

  it('leaves a true conflict between markers around the member; either side resolves to valid JSON', () => {
    const merge = mergeOf('task.json', {
      base: task,
      mine: task
        .replace('"priority": 1', '"priority": 5')
        .replace('"reason": null', '"reason": "dup"'),
      theirs: task.replace('"priority": 1', '"priority": 9').replace('"pending"', '"assigned"'),
    });
    expect(merge.code).not.toBe(0);
    expect(merge.out).toContain('/priority');
    // The report names the file (git's %P), not the temporary copy git hands the driver.
    expect(merge.out).toContain('conflict-desk merge: task.json: 1 conflict(s)');
    expect(merge.file).toContain(
      '<<<<<<< ours\n  "priority": 5,\n||||||| base\n  "priority": 1,\n=======\n  "priority": 9,\n>>>>>>> theirs\n',
    );
    expect(JSON.parse(keep(merge.file, 'ours'))).toEqual({
      sid: 'WT1',
      priority: 5,
      status: 'assigned',
      reason: 'dup',
    });
    expect(JSON.parse(keep(merge.file, 'theirs'))).toEqual({
      sid: 'WT1',
      priority: 9,
      status: 'assigned',
      reason: 'dup',
    });
    expect(git('diff', '--name-only', '--diff-filter=U').out.trim()).toBe('task.json');
  });

  it("keeps a CRLF file's line breaks: after a clean merge git sees only the merged lines change", () => {
    const crlf = (text: string) => text.replace(/\n/g, '\r\n');
    // Stored as written (no autocrlf conversion), as a Windows checkout commits them.
    git('config', 'core.autocrlf', 'false');
    const merge = mergeOf('task.json', {
      base: crlf(task),
      mine: crlf(task.replace('"priority": 1', '"priority": 5')),
      theirs: crlf(task.replace('"pending"', '"assigned"')),
    });
    expect(merge.code, merge.out).toBe(0);
    expect(merge.file).toBe(
      crlf(task.replace('"priority": 1', '"priority": 5').replace('"pending"', '"assigned"')),
    );
    // Against mine's commit, the merge changed one line (theirs' status), not every line ending.
    const diff = git('diff', '--numstat', 'HEAD~1', 'HEAD', '--', 'task.json').out.trim();
    expect(diff).toBe('1\t1\ttask.json');
  });

  it('writes markers as long as git asks (%L, from the conflict-marker-size attribute)', () => {
    write(
      '.gitattributes',
      readFileSync(join(dir, '.gitattributes'), 'utf8') + 'wide.json conflict-marker-size=11\n',
    );
    const merge = mergeOf('wide.json', {
      base: task,
      mine: task.replace('"priority": 1', '"priority": 5'),
      theirs: task.replace('"priority": 1', '"priority": 9'),
    });
    expect(merge.code).not.toBe(0);
    expect(merge.file).toContain('<<<<<<<<<<< ours\n');
    expect(JSON.parse(keep(merge.file, 'theirs', 11))).toMatchObject({ priority: 9 });
  });

  const tsconfig =
    '{\n  // shared settings\n  "compilerOptions": {\n    "strict": true,\n    "target": "ES2022", // keep in step with Node\n    "module": "NodeNext",\n  },\n}\n';

  it('merges JSON with comments and trailing commas structurally, keeping the comments', () => {
    const merge = mergeOf('tsconfig.json', {
      base: tsconfig,
      mine: tsconfig.replace('"ES2022"', '"ES2023"'),
      theirs: tsconfig.replace('"strict": true', '"strict": false'),
    });
    expect(merge.code, merge.out).toBe(0);
    expect(merge.out).toContain('merged as JSON with comments');
    expect(merge.file).toBe(
      tsconfig.replace('"ES2022"', '"ES2023"').replace('"strict": true', '"strict": false'),
    );
  });

  it('merges conflicting JSON with comments line by line, with markers, each side valid', () => {
    const merge = mergeOf('tsconfig.json', {
      base: tsconfig,
      mine: tsconfig.replace('"ES2022"', '"ES2023"'),
      theirs: tsconfig
        .replace('"ES2022"', '"ES2024"')
        .replace('// shared settings', '// shared settings (v2)'),
    });
    expect(merge.code).not.toBe(0);
    expect(merge.out).toContain('merged line by line');
    expect(merge.file).toContain('<<<<<<< ours\n');
    expect(jsonc(keep(merge.file, 'ours'))).toMatchObject({
      compilerOptions: { target: 'ES2023' },
    });
    expect(keep(merge.file, 'ours')).toContain('// shared settings (v2)');
    expect(jsonc(keep(merge.file, 'theirs'))).toMatchObject({
      compilerOptions: { target: 'ES2024' },
    });
  });

  it("merges a file already holding conflict markers line by line, keeping theirs' changes", () => {
    const marked = task.replace(
      '  "priority": 1,\n',
      '<<<<<<< ours\n  "priority": 1,\n=======\n  "priority": 2,\n>>>>>>> theirs\n',
    );
    const merge = mergeOf('task.json', {
      base: task,
      mine: marked,
      theirs: task.replace('"reason": null', '"reason": "x"'),
    });
    expect(merge.out).toContain('merged line by line');
    expect(merge.file).toBe(marked.replace('"reason": null', '"reason": "x"'));
  });

  it('merges invalid JSON line by line rather than keeping one side', () => {
    const broken = task.replace('"status": "pending",', '"status": "pending",,');
    const merge = mergeOf('task.json', {
      base: task,
      mine: broken,
      theirs: task
        .replace('"priority": 1', '"priority": 3')
        .replace('"reason": null', '"reason": "y"'),
    });
    expect(merge.out).toContain('merged line by line');
    expect(merge.file).toContain('"reason": "y"');
    expect(merge.file).toContain('"pending",,');
  });

  it("keeps every digit of a decimal a double cannot hold: theirs' edit of its last digit survives, mine's text is not rewritten", () => {
    // Both literals read as the double 0.1: compared as values, theirs changed nothing, and
    // printed as a value, mine's would become 0.1.
    const precise = (amount: string, status: string) =>
      `{\n  "sid": "WT1",\n  "amount": ${amount},\n  "limit": 12345678901234567.25,\n  "reason": null,\n  "status": "${status}"\n}\n`;
    const merge = mergeOf('task.json', {
      base: precise('0.10000000000000000001', 'pending'),
      mine: precise('0.10000000000000000001', 'assigned'),
      theirs: precise('0.10000000000000000002', 'pending'),
    });
    expect(merge.out).toContain('more digits than a double keeps');
    expect(merge.out).toContain('merged line by line');
    expect(merge.code, merge.out).toBe(0);
    expect(merge.file).toBe(precise('0.10000000000000000002', 'assigned'));
  });
});
