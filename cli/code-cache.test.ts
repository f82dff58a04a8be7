// The bundled command's V8 code cache (bin/conflict-desk.cjs, cli/code-cache.ts), through the real
// bin and bundle copied into a folder of their own, run by real Node processes.
import { spawn, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Script } from 'node:vm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { nodeOnPath } from '../bench/cli.bench';
import { withBundleId } from '../scripts/build-cli.mjs';
import { makeCodeCache } from './code-cache';
import { warmMerge } from './merge';

const ROOT = resolve(import.meta.dirname, '..');
let root: string;
let dist: string;
let bundle: string;

function build(): void {
  const run = spawnSync(
    process.execPath,
    [join(ROOT, 'scripts/build-cli.mjs'), '--outfile', bundle],
    { encoding: 'utf8' },
  );
  if (run.status !== 0) throw new Error(`building the CLI failed: ${run.stderr}`);
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'conflict-desk-code-cache-'));
  mkdirSync(join(root, 'bin'));
  copyFileSync(join(ROOT, 'bin/conflict-desk.cjs'), join(root, 'bin/conflict-desk.cjs'));
  dist = join(root, 'dist');
  bundle = join(dist, 'cli.cjs');
  build();
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The bundle's caches, a fresh bundle each test: the one the build made, none beside it. */
beforeEach(() => {
  for (const name of readdirSync(dist))
    if (name !== 'cli.cjs') rmSync(join(dist, name), { recursive: true });
});

const V8 = process.versions.v8;
const cacheFile = () => {
  const id = /^\/\/ conflict-desk bundle ([0-9a-f]{16})\n/.exec(readFileSync(bundle, 'utf8'))![1];
  return join(dist, `cli.cjs.${id}.${V8}-${process.arch}.cache`);
};

/** The environment of every run: the trace on, and no NODE_OPTIONS (which names a cache apart). */
const ENV = (() => {
  const env: NodeJS.ProcessEnv = { ...process.env, CONFLICT_DESK_TRACE_CODE_CACHE: '1' };
  delete env['NODE_OPTIONS'];
  return env;
})();

function cli(...args: string[]) {
  return cliWith([], ...args);
}

/** The bin run with these Node options before it. */
function cliWith(options: string[], ...args: string[]) {
  const run = spawnSync(process.execPath, [...options, bin(), ...args], {
    cwd: root,
    encoding: 'utf8',
    env: ENV,
  });
  const trace = /^conflict-desk: code cache (.*)$/m.exec(run.stderr)?.[1];
  return { code: run.status, stdout: run.stdout, stderr: run.stderr, trace };
}

/** Three sides of `tasks` keyed elements, mine and theirs each changing one; their clean merge. */
function sides(tasks: number) {
  const list = Array.from({ length: tasks }, (_, i) => ({
    sid: `WT${i}`,
    note: `task ${i} ${'x'.repeat(120)}`,
    priority: i % 5,
  }));
  const print = (value: unknown) => JSON.stringify(value, null, 2) + '\n';
  const with_ = (i: number, change: object) =>
    list.map((task, j) => (j === i ? { ...task, ...change } : task));
  writeFileSync(join(root, 'base.json'), print({ tasks: list }));
  writeFileSync(join(root, 'mine.json'), print({ tasks: with_(1, { priority: 9 }) }));
  writeFileSync(join(root, 'theirs.json'), print({ tasks: with_(tasks - 1, { note: 'done' }) }));
  return {
    tasks: list.map((task, j) =>
      j === 1 ? { ...task, priority: 9 } : j === tasks - 1 ? { ...task, note: 'done' } : task,
    ),
  };
}

/** The arguments of a merge of the three sides into `out`. */
const mergeArgs = (out = 'out.json') => [
  'merge',
  'base.json',
  'mine.json',
  'theirs.json',
  '-o',
  out,
];
const bin = () => join(root, 'bin/conflict-desk.cjs');
const merge = () => cli(...mergeArgs());
const merged = () => JSON.parse(readFileSync(join(root, 'out.json'), 'utf8'));

describe('the code cache of the bundled command', () => {
  it('is made by the first run, and read by the next ones', () => {
    const expected = sides(3);
    const first = merge();
    expect(first).toMatchObject({ code: 0, trace: 'none; made' });
    expect(merged()).toEqual(expected);
    expect(existsSync(cacheFile())).toBe(true);
    const second = merge();
    expect(second).toMatchObject({ code: 0, trace: 'used' });
    expect(merged()).toEqual(expected);
    // One file, named for this bundle and this V8: nothing left half-written.
    expect(readdirSync(dist).sort()).toEqual(['cli.cjs', cacheFile().slice(dist.length + 1)]);
  });

  it('stays usable after a merge past 2 MB, which changes a V8 flag (a cache made under it is refused)', () => {
    const expected = sides(15_000);
    expect(
      readFileSync(join(root, 'base.json')).length * 3,
      'the sides must be large enough for the command to change its V8 flag',
    ).toBeGreaterThan(2 * 1024 * 1024);
    expect(merge()).toMatchObject({ code: 0, trace: 'none; made' });
    expect(merged()).toEqual(expected);
    const made = readFileSync(cacheFile());
    for (let run = 0; run < 2; run++) {
      expect(merge()).toMatchObject({ code: 0, trace: 'used' });
      expect(merged()).toEqual(expected);
    }
    expect(readFileSync(cacheFile()).equals(made), 'no run rewrote the cache').toBe(true);
  });

  it('refused by V8 (damaged), is made again, and the merge is right', () => {
    const expected = sides(3);
    writeFileSync(cacheFile(), Buffer.alloc(50_000, 7));
    expect(merge()).toMatchObject({ code: 0, trace: 'rejected; made' });
    expect(merged()).toEqual(expected);
    expect(merge()).toMatchObject({ code: 0, trace: 'used' });
  });

  it('made by runs started together, is one whole file, and each merge is right', async () => {
    const expected = sides(3);
    const runs = await Promise.all(
      Array.from(
        { length: 4 },
        (_, i) =>
          new Promise<{ code: number | null; stderr: string }>((done) => {
            const child = spawn(process.execPath, [bin(), ...mergeArgs(`out${i}.json`)], {
              cwd: root,
              env: ENV,
            });
            let stderr = '';
            child.stderr.on('data', (chunk) => (stderr += chunk));
            child.on('close', (code) => done({ code, stderr }));
          }),
      ),
    );
    for (const [i, run] of runs.entries()) {
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toMatch(/code cache (none; made|used)\n/);
      expect(JSON.parse(readFileSync(join(root, `out${i}.json`), 'utf8'))).toEqual(expected);
    }
    expect(readdirSync(dist).sort()).toEqual(['cli.cjs', cacheFile().slice(dist.length + 1)]);
    expect(merge()).toMatchObject({ code: 0, trace: 'used' });
  });

  it('is made and read by the Node on PATH too (the command runs on Node 20 and later)', () => {
    const node = nodeOnPath();
    const v8 = spawnSync(node, ['-p', 'process.versions.v8'], { encoding: 'utf8' }).stdout.trim();
    const expected = sides(3);
    const run = () =>
      spawnSync(node, [bin(), ...mergeArgs()], {
        cwd: root,
        encoding: 'utf8',
        env: ENV,
      });
    expect(run().stderr).toContain('code cache none; made');
    expect(merged()).toEqual(expected);
    expect(existsSync(cacheFile().replace(V8, v8))).toBe(true);
    expect(run().stderr).toContain('code cache used');
    expect(merged()).toEqual(expected);
  });

  it('of runs with other Node options (other V8 flags) is their own: neither refuses the other', () => {
    const expected = sides(3);
    const other = ['--single-threaded-gc'];
    const merge2 = (options: string[]) => cliWith(options, ...mergeArgs());
    expect(merge2([])).toMatchObject({ code: 0, trace: 'none; made' });
    expect(merge2(other)).toMatchObject({ code: 0, trace: 'none; made' });
    for (let round = 0; round < 2; round++) {
      expect(merge2([])).toMatchObject({ code: 0, trace: 'used' });
      expect(merge2(other)).toMatchObject({ code: 0, trace: 'used' });
      expect(merged()).toEqual(expected);
    }
    expect(readdirSync(dist).filter((name) => name.endsWith('.cache'))).toHaveLength(2);
  });

  it('that cannot be written leaves the merge as it is and no temporary file', () => {
    const expected = sides(3);
    // A folder where the cache goes: reading it fails, and so does renaming a file over it.
    mkdirSync(cacheFile());
    writeFileSync(join(cacheFile(), 'keep'), '');
    const run = merge();
    expect(run.code).toBe(0);
    expect(run.trace).toMatch(/^none; not made: /);
    expect(merged()).toEqual(expected);
    expect(readdirSync(dist).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('is never read for another bundle of the same length (V8 compares only lengths)', () => {
    expect(cli('--help')).toMatchObject({ code: 0, trace: 'none; made' });
    const text = readFileSync(bundle, 'utf8');
    const body = text.slice(text.indexOf('\n') + 1);
    const old = 'three-way merge of JSON documents';
    expect(body).toContain(old);
    const changed = withBundleId(body.replace(old, old.toUpperCase()));
    expect(changed.text.length).toBe(text.length);
    writeFileSync(bundle, changed.text);
    try {
      const run = cli('--help');
      expect(run.stdout).toContain(old.toUpperCase());
      expect(run.trace).toBe('none; made');
    } finally {
      build();
    }
  });

  it('of other bundles is removed by a build; this bundle’s stays', () => {
    writeFileSync(join(dist, 'cli.cjs.0123456789abcdef.1.2.3-x64.cache'), 'old');
    writeFileSync(join(dist, 'cli.cjs.0123456789abcdef.1.2.3-x64.cache.77.tmp'), 'old');
    writeFileSync(cacheFile(), 'current');
    writeFileSync(join(dist, 'notes.cache'), 'not ours');
    build();
    expect(readdirSync(dist).sort()).toEqual(
      ['cli.cjs', cacheFile().slice(dist.length + 1), 'notes.cache'].sort(),
    );
  });
});

describe('makeCodeCache', () => {
  it('warms the merge with a conflicted and a clean merge of cut sides', () => {
    expect(warmMerge()).toEqual([1, 0]);
  });

  it('makes nothing where its folder cannot be written', () => {
    const script = new Script('1');
    const file = join(root, 'no-such-folder', 'x.cache');
    expect(makeCodeCache(script, file)).toBe('not made: its folder is not writable');
    expect(existsSync(join(root, 'no-such-folder'))).toBe(false);
  });
});
