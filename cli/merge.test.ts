// Spawns the real CLI (through the package's bin) on temporary files, and runs a real `git merge`
// with the driver configured.
import { spawn, spawnSync } from 'node:child_process';
import {
  closeSync,
  constants,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

const BIN = resolve(import.meta.dirname, '../bin/conflict-desk.cjs');
let dir: string;

// The bin runs the bundled CLI (dist/cli.cjs): build it from the sources under test first.
beforeAll(() => {
  const build = spawnSync(
    process.execPath,
    [resolve(import.meta.dirname, '../scripts/build-cli.mjs')],
    { encoding: 'utf8' },
  );
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

const base =
  '{\n  "sid": "WT1",\n  "priority": 1,\n  "status": "pending",\n  "attributes": "{\\"skills\\":[\\"es\\"]}"\n}\n';

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
    expect(JSON.parse(run.stdout)).toEqual({
      sid: 'WT1',
      priority: 5,
      status: 'assigned',
      attributes: '{"skills":["es","vip"]}',
    });
    expect(run.stdout).toBe(
      base
        .replace('"priority": 1', '"priority": 5')
        .replace('"pending"', '"assigned"')
        .replace('[\\"es\\"]', '[\\"es\\",\\"vip\\"]'),
    );
  });

  it('exits 1 with diff3 markers around the conflicting member and a report naming its path and three values', () => {
    files({
      base,
      mine: base.replace('"priority": 1', '"priority": 5'),
      theirs: base.replace('"priority": 1', '"priority": 9'),
    });
    const run = cli('merge', 'base', 'mine', 'theirs', '-o', 'out');
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('/priority  (both-modified)');
    expect(run.stderr).toMatch(/base: {3}1\n {4}mine: {3}5\n {4}theirs: 9/);
    expect(readFileSync(join(dir, 'out'), 'utf8')).toBe(
      base.replace(
        '  "priority": 1,\n',
        '<<<<<<< ours\n  "priority": 5,\n||||||| base\n  "priority": 1,\n=======\n  "priority": 9,\n>>>>>>> theirs\n',
      ),
    );
  });

  it('reports an integer beyond 2^53 as the number it is, not as a string', () => {
    files({ base: '{"n": 1}\n', mine: '{"n": 2}\n', theirs: '{"n": 9007199254740993}\n' });
    const run = cli('merge', 'base', 'mine', 'theirs', '-o', 'out');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('theirs: 9007199254740993\n');
  });

  it("with --report-only writes mine's value at each conflict, no markers, and exits 2 on invalid JSON", () => {
    files({
      base,
      mine: base.replace('"priority": 1', '"priority": 5'),
      theirs: base.replace('"priority": 1', '"priority": 9'),
    });
    const run = cli('merge', 'base', 'mine', 'theirs', '-o', 'out', '--report-only');
    expect(run.code).toBe(1);
    expect(JSON.parse(readFileSync(join(dir, 'out'), 'utf8'))).toMatchObject({ priority: 5 });
    files({ theirs: '{\n  "a": 1,\n  "a": 2\n}', out: 'untouched' });
    const dup = cli('merge', 'base', 'mine', 'theirs', '-o', 'out', '--report-only');
    expect(dup.code).toBe(2);
    expect(dup.stderr).toContain('theirs:3:3: duplicate key "a"');
    expect(readFileSync(join(dir, 'out'), 'utf8')).toBe('untouched');
  });

  it('merges sides that are not UTF-8 line by line, keeping their bytes, never as U+FFFD', () => {
    // Latin-1 "é" in mine: decoded as UTF-8 it became U+FFFD, written out as a clean merge.
    const latin1 = (text: string) => Buffer.from(text, 'latin1');
    const mine = base.replace('"pending"', '"caf\u00e9"');
    // Theirs changes a line two away from mine's (adjacent lines would be one chunk, as in git).
    files({ base: base, theirs: base.replace('"WT1"', '"WT2"') });
    writeFileSync(join(dir, 'mine'), latin1(mine));
    const clean = cli('merge', 'base', 'mine', 'theirs', '-o', 'out');
    expect(clean.code).toBe(0);
    expect(clean.stderr).toContain('not UTF-8 text, so not JSON; merged line by line');
    expect(readFileSync(join(dir, 'out')).equals(latin1(mine.replace('"WT1"', '"WT2"')))).toBe(
      true,
    );
    // Both sides change the line: markers around the two, each side's bytes as they were.
    writeFileSync(join(dir, 'theirs'), base.replace('"pending"', '"caf\u00e9 cr\u00e8me"'));
    const conflicted = cli('merge', 'base', 'mine', 'theirs', '-o', 'out');
    expect(conflicted.code).toBe(1);
    const out = readFileSync(join(dir, 'out'));
    expect(out.includes(latin1('"status": "caf\u00e9"'))).toBe(true);
    expect(out.includes(Buffer.from('"status": "caf\u00e9 cr\u00e8me"', 'utf8'))).toBe(true);
    expect(out.toString('latin1')).toMatch(/^<<<<<<< /m);
    // --report-only reads JSON only: refused, nothing written.
    writeFileSync(join(dir, 'out'), 'untouched');
    const report = cli('merge', 'base', 'mine', 'theirs', '-o', 'out', '--report-only');
    expect(report.code).toBe(2);
    expect(readFileSync(join(dir, 'out'), 'utf8')).toBe('untouched');
  });

  it('does not call a line merge clean when its result is not JSON: a key both sides added twice', () => {
    // Theirs changed the comment, so the merge went line by line; mine added "x" after "b", theirs
    // at the end: no lines conflict, and the result held "x" twice (exit 0; a reader keeps one).
    const lines = [
      '{',
      '  // settings',
      '  "a": 1,',
      '  "b": 2,',
      '  "c": 3,',
      '  "d": 4,',
      '  "e": 5',
    ];
    files({
      base: [...lines, '}', ''].join('\n'),
      mine: [...lines.slice(0, 4), '  "x": 1,', ...lines.slice(4), '}', ''].join('\n'),
      theirs: [...lines.slice(0, 6), '  "e": 5,', '  "x": 2', '}', '']
        .join('\n')
        .replace('settings', 'settings!'),
    });
    const run = cli('merge', 'base', 'mine', 'theirs', '-o', 'out');
    expect(readFileSync(join(dir, 'out'), 'utf8')).toContain('"x": 2');
    expect(run.stderr).toContain('the result is not valid JSON');
    expect(run.code).toBe(1);
  });

  it('merges text that is not strict JSON line by line, naming why, and never keeps one side only', () => {
    files({
      base: '{\n  "a": 1,\n  "x": 0,\n  "b": 2\n}\n',
      mine: '{\n  "a": 5,\n  "x": 0,\n  "b": 2\n}\n',
      theirs: '{\n  "a": 1,\n  "x": 0,\n  "b": 2,\n  "b": 3\n}\n',
    });
    const dup = cli('merge', 'base', 'mine', 'theirs', '-o', 'out');
    expect(dup.stderr).toContain('theirs:5:3: duplicate key "b"');
    expect(dup.stderr).toContain('merged line by line');
    expect(readFileSync(join(dir, 'out'), 'utf8')).toBe(
      '{\n  "a": 5,\n  "x": 0,\n  "b": 2,\n  "b": 3\n}\n',
    );
    expect(dup.code).toBe(0);
  });

  it('never reads a side whose object was turned into a list as a list: it is not JSON (large documents, parsed a piece at a time)', () => {
    // Large enough for each side to be cut into pieces; theirs' "x" has brackets around members.
    const members: Record<string, string> = {};
    for (let n = 0; n < 800; n++) members[`k${n}`] = `value ${n}`;
    const big = JSON.stringify({ y: 1, z: 0, x: members }, null, 2) + '\n';
    const turned = big.replace('"x": {', '"x": [').replace(/\n {2}\}\n\}\n$/, '\n  ]\n}\n');
    expect(turned).not.toBe(big);
    files({ base: big, mine: big.replace('"y": 1', '"y": 2'), theirs: turned });
    const run = cli('merge', 'base', 'mine', 'theirs', '-o', 'out');
    expect(run.stderr).toContain('theirs:5:');
    expect(run.stderr).toContain('merged line by line');
    expect(readFileSync(join(dir, 'out'), 'utf8')).toBe(turned.replace('"y": 1', '"y": 2'));
  });

  // Each edit of a merge of JSON with comments reads the whole text again, and the line-by-line
  // diff costs lines × edits: this took two minutes. A regression shows as the test's time limit.
  it('merges a settings file of 30,000 lines with comments that both sides edited all over, line by line when editing it in would take too long', () => {
    const lines = ['{', '  // settings'];
    for (let n = 0; n < 30_000; n++) lines.push(`  "key${n}": ${n},`);
    lines.push('  "last": 0', '}', '');
    const edit = (side: string, from: number) =>
      lines.map((line, i) =>
        i >= 2 && (i - 2) % 4 === from ? line.replace(/: .*,/, `: "${side}",`) : line,
      );
    const [mine, theirs] = [edit('mine', 0), edit('theirs', 2)];
    files({ base: lines.join('\n'), mine: mine.join('\n'), theirs: theirs.join('\n') });
    const run = cli('merge', 'base', 'mine', 'theirs', '-o', 'out');
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(
      'too many for its size; merged line by line like git merge-file: no conflicts',
    );
    expect(readFileSync(join(dir, 'out'), 'utf8')).toBe(
      mine.map((line, i) => (line === lines[i] ? theirs[i] : line)).join('\n'),
    );
  }, 20_000);

  it('exits 2 on bad usage and missing files', () => {
    expect(cli('merge', 'base').code).toBe(2);
    expect(cli('frobnicate').code).toBe(2);
    expect(cli('merge', 'x', 'y', 'z').stderr).toContain('cannot read x');
    expect(cli('merge', 'x', 'y', 'z', '--marker-size', 'many').stderr).toContain(
      '--marker-size needs a whole number',
    );
  });

  it('names the side it cannot read, and leaves no temporary file when it cannot write', () => {
    files({ base, mine: base, theirs: base });
    mkdirSync(join(dir, 'folder'));
    expect(cli('merge', 'base', 'missing', 'theirs').stderr).toContain('cannot read missing');
    const run = cli('merge', 'base', 'mine', 'theirs', '-o', 'folder');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('cannot write folder');
    expect(readdirSync(dir).sort()).toEqual(['base', 'folder', 'mine', 'theirs']);
  });
});

describe('conflict-desk merge: inputs git can hand it', () => {
  it('takes an empty ancestor (both branches added the file) as "nothing", and a byte-order mark as no content', () => {
    files({
      base: '',
      mine: '\uFEFF{"a": 1, "b": 2}\n',
      theirs: '{"a": 1, "c": 3}\n',
      out: 'untouched',
    });
    const run = cli('merge', 'base', 'mine', 'theirs', '-o', 'out');
    expect(run.code).toBe(0);
    // The mark is kept where mine had it, as the file's first bytes.
    const out = readFileSync(join(dir, 'out'), 'utf8');
    expect(out.charCodeAt(0)).toBe(0xfeff);
    expect(JSON.parse(out.slice(1))).toEqual({ a: 1, b: 2, c: 3 });
  });

  it('reports two additions of different kinds with no base, not a base of null', () => {
    files({ base: '', mine: '{\n  "a": 1\n}\n', theirs: '[\n  1\n]\n' });
    const run = cli('merge', 'base', 'mine', 'theirs', '-o', 'out');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('/  (both-added)');
    expect(run.stderr).toContain('base:   (absent)');
    // The base side of the block is empty, and either side kept parses.
    const out = readFileSync(join(dir, 'out'), 'utf8');
    expect(out).toMatch(/\|\|\|\|\|\|\| base\n=======\n/);
    expect(
      JSON.parse(out.replace(/^\|{7} base\n[^]*?>{7} theirs\n/m, '').replace(/^<{7} ours\n/m, '')),
    ).toEqual({ a: 1 });
  });

  it('refuses "-" (standard input) with a clear message, writing nothing', () => {
    files({ base: '{}', mine: '{}' });
    const run = cli('merge', 'base', 'mine', '-');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('standard input is not supported');
  });
});

describe('conflict-desk merge --path', () => {
  it("names the merged file in its messages, as git's %P, not the sides' temporary names", () => {
    files({
      '.merge_file_a': '{"a": 1}',
      '.merge_file_b': '{"a": 2}',
      '.merge_file_c': '{"a": 3}',
      '.merge_file_d': '{"a": 1',
    });
    const conflicted = cli(
      'merge',
      '.merge_file_a',
      '.merge_file_b',
      '.merge_file_c',
      '-o',
      'out.json',
      '--path',
      'config/app.json',
    );
    expect(conflicted.code).toBe(1);
    expect(conflicted.stderr).toContain('conflict-desk merge: config/app.json: 1 conflict(s)');
    expect(conflicted.stderr).not.toContain('.merge_file');
    const invalid = cli(
      'merge',
      '.merge_file_a',
      '.merge_file_b',
      '.merge_file_d',
      '-o',
      'out.json',
      '--path',
      'config/app.json',
    );
    expect(invalid.stderr).toContain('config/app.json (theirs):1:');
    expect(cli('merge', 'a', 'b', 'c', '--path').code).toBe(2);
  });
});

describe("a clean merge keeps mine's text where nothing changed", () => {
  function mergeFiles(base: string, mine: string, theirs: string) {
    files({ 'base.json': base, 'mine.json': mine, 'theirs.json': theirs });
    const run = cli('merge', 'base.json', 'mine.json', 'theirs.json', '-o', 'out.json');
    return { ...run, out: readFileSync(join(dir, 'out.json'), 'utf8') };
  }
  // Hand-laid JSON: an inline array, an inline object, a number and an escape as written.
  const config = (target: string, strict: string) =>
    `{\n  "lib": ["dom", "es2020"],\n  "target": "${target}",\n  "paths": {"@/*": ["src/*"]},\n  "ratio": 1.50,\n  "name": "caf\\u00e9",\n  "strict": ${strict}\n}\n`;

  it("edits the other side's change into mine, every other line byte for byte", () => {
    const run = mergeFiles(
      config('es2019', 'false'),
      config('es2022', 'false'),
      config('es2019', 'true'),
    );
    expect(run.code).toBe(0);
    expect(run.out).toBe(config('es2022', 'true'));
  });

  it("writes theirs' changed numbers and strings as theirs wrote them (2.50, escapes), as a line merge would", () => {
    const base = '{\n  "a": 1,\n  "b": 1.0,\n  "c": "x"\n}\n';
    const mine = base.replace('"a": 1', '"a": 2');
    const theirs = base.replace('"b": 1.0', '"b": 2.50').replace('"c": "x"', '"c": "caf\\u00e9"');
    const run = mergeFiles(base, mine, theirs);
    expect(run.code).toBe(0);
    expect(run.out).toBe('{\n  "a": 2,\n  "b": 2.50,\n  "c": "caf\\u00e9"\n}\n');
  });

  it('adds and removes members without touching their neighbours', () => {
    const base = '{\n  "a": [1, 2],\n  "b": 1,\n  "c": {"x": 1.0}\n}\n';
    const mine = '{\n  "a": [1, 2],\n  "b": 2,\n  "c": {"x": 1.0}\n}\n';
    const theirs = '{\n  "a": [1, 2],\n  "b": 1,\n  "d": true\n}\n';
    const run = mergeFiles(base, mine, theirs);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.out)).toEqual({ a: [1, 2], b: 2, d: true });
    expect(run.out).toContain('"a": [1, 2],');
  });

  // A list too long to edit into (past 64 KB, read a piece at a time): each element kept whole is
  // copied from the side that has it, as written there; only elements the merge made are printed.
  const item = (id: number, name = `caf\\u00e9 ${id}`, ratio = '1.50') =>
    `    {\n      "id": ${id},\n      "tags": ["a", "b"],\n      "ratio": ${ratio},\n      "name": "${name}"\n    }`;
  const list = (edit: (id: number) => string | undefined = () => undefined) =>
    `{\n  "items": [\n${Array.from({ length: 800 }, (_, id) => edit(id) ?? item(id)).join(',\n')}\n  ]\n}\n`;

  it('copies the elements of a long list each side kept or changed alone, as that side wrote them', () => {
    const mineEdit = (id: number) => (id === 10 ? item(10, 'mine 10') : undefined);
    const theirsEdit = (id: number) => (id === 200 ? item(200, undefined, '2.50') : undefined);
    const run = mergeFiles(list(), list(mineEdit), list(theirsEdit));
    expect(list().length).toBeGreaterThan(64 * 1024);
    expect(run.code).toBe(0);
    expect(run.out).toBe(list((id) => mineEdit(id) ?? theirsEdit(id)));
  });

  it("copies the members of a long object (package-lock.json's packages) each side kept whole", () => {
    const pkg = (name: string, version = '1.0.0') =>
      `    "node_modules/${name}": {\n      "version": "${version}",\n      "resolved": "https://registry.npmjs.org/${name}/-/${name}-${version}.tgz",\n      "engines": {"node": ">=18"}\n    }`;
    const lock = (edit: (n: number) => string | undefined = () => undefined) =>
      `{\n  "name": "app",\n  "lockfileVersion": 3,\n  "packages": {\n${Array.from({ length: 800 }, (_, n) => edit(n) ?? pkg(`p${n}`)).join(',\n')}\n  }\n}\n`;
    const mineEdit = (n: number) => (n === 10 ? pkg('p10', '1.1.0') : undefined);
    const theirsEdit = (n: number) => (n === 500 ? pkg('p500', '2.0.0') : undefined);
    expect(lock().length).toBeGreaterThan(64 * 1024);
    const run = mergeFiles(lock(), lock(mineEdit), lock(theirsEdit));
    expect(run.code).toBe(0);
    expect(run.out).toBe(lock((n) => mineEdit(n) ?? theirsEdit(n)));
  });

  it('writes a long document another side replaced by a scalar as printed, with no line break mine lacks', () => {
    const mine = list().trimEnd();
    for (const theirs of ['5', '"done"', 'null']) {
      const run = mergeFiles(mine, mine, theirs);
      expect(run.code).toBe(0);
      expect(run.out).toBe(theirs);
    }
  });

  it('never copies a CRLF line into an LF file: a side holding one is printed', () => {
    // Theirs' element 200, changed by theirs alone, has Windows line breaks inside it.
    const crlf = item(200, undefined, '2.50').replace(/\n/g, '\r\n');
    const run = mergeFiles(
      list(),
      list((id) => (id === 10 ? item(10, 'mine 10') : undefined)),
      list((id) => (id === 200 ? crlf : undefined)),
    );
    expect(run.code).toBe(0);
    expect(run.out).not.toContain('\r');
    const items = (JSON.parse(run.out) as { items: Array<{ name: string; ratio: number }> }).items;
    expect([items[10]!.name, items[200]!.ratio]).toEqual(['mine 10', 2.5]);
    // Mine's elements are still its own text.
    expect(run.out).toContain(item(9) + ',\n' + item(10, 'mine 10'));
  });

  it('prints only what the merge made in a long list, and wraps its conflicts in markers', () => {
    const both = (id: number) => (id === 100 ? item(100, undefined, '3.0') : undefined);
    const run = mergeFiles(
      list(),
      list((id) => both(id) ?? (id === 50 ? item(50, 'mine') : undefined)),
      list((id) => both(id) ?? (id === 50 ? item(50, 'theirs') : undefined)),
    );
    expect(run.code).toBe(1);
    // Element 50 holds the conflict and is printed, with markers around its name.
    expect(run.out).toContain(
      '      "name": "mine"\n||||||| base\n      "name": "café 50"\n=======\n      "name": "theirs"\n>>>>>>> theirs\n',
    );
    expect(run.out).toContain(item(49) + ',\n' + '    {\n      "id": 50,\n      "tags": [\n');
    // The rest, element 100 both sides changed alike included, as the sides wrote them.
    expect(run.out).toContain(item(51) + ',\n' + item(52));
    expect(run.out).toContain(both(100)!);
    expect(run.out.split('"tags": ["a", "b"]').length - 1).toBe(799);
  });

  it("prints a one-line mine, and a merge with conflicts, in mine's layout as before", () => {
    const oneLine = mergeFiles('{"a":[1,2],"b":1}', '{"a":[1,2],"b":2}', '{"a":[1,2],"b":1,"c":3}');
    expect(oneLine.out).toBe('{"a":[1,2],"b":2,"c":3}');
    const conflicted = mergeFiles(
      config('es5', 'false'),
      config('es6', 'false'),
      config('es7', 'true'),
    );
    expect(conflicted.code).toBe(1);
    expect(conflicted.out).toContain('"lib": [\n    "dom",');
  });
});

describe("conflict-desk merge keeps mine's line breaks and byte-order mark", () => {
  const crlf = (text: string) => text.replace(/\n/g, '\r\n');
  /** Whether every line break in `text` is CRLF (and there is at least one). */
  const allCrlf = (text: string) => /\r\n/.test(text) && !/(^|[^\r])\n/.test(text);
  /** Merges the three texts into out.json: the exit status, stderr and what was written. */
  function mergeFiles(base: string, mine: string, theirs: string) {
    files({ 'base.json': base, 'mine.json': mine, 'theirs.json': theirs });
    const run = cli('merge', 'base.json', 'mine.json', 'theirs.json', '-o', 'out.json');
    return { ...run, out: readFileSync(join(dir, 'out.json'), 'utf8') };
  }
  const doc = (a: number, b: number) => crlf(`{\n  "a": ${a},\n  "b": ${b}\n}\n`);

  it('a clean merge of CRLF files is written with CRLF', () => {
    const run = mergeFiles(doc(1, 2), doc(5, 2), doc(1, 3));
    expect(run.code).toBe(0);
    expect(run.out).toBe(doc(5, 3));
  });

  it('conflict markers in a CRLF file end in CRLF, like every other line', () => {
    const run = mergeFiles(doc(1, 2), doc(5, 2), doc(7, 3));
    expect(run.code).toBe(1);
    expect(run.out).toContain('<<<<<<< ours\r\n');
    expect(allCrlf(run.out)).toBe(true);
  });

  it('the line-by-line fallback writes its markers with CRLF too', () => {
    // Comments on both sides and a true conflict: neither strict JSON nor a clean JSONC merge.
    const commented = (a: number, b: number) => crlf(`{\n  // c\n  "a": ${a},\n  "b": ${b},\n}\n`);
    const run = mergeFiles(commented(1, 2), commented(5, 2), commented(7, 3));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('merged line by line');
    expect(run.out).toContain('=======\r\n');
    expect(allCrlf(run.out)).toBe(true);
  });

  it("a merged file keeps mine's byte-order mark", () => {
    const run = mergeFiles(
      '\ufeff{\n  "a": 1\n}\n',
      '\ufeff{\n  "a": 2\n}\n',
      '\ufeff{\n  "a": 1,\n  "c": 1\n}\n',
    );
    expect(run.code).toBe(0);
    expect(run.out).toBe('\ufeff{\n  "a": 2,\n  "c": 1\n}\n');
  });
});

describe('conflict-desk merge, numbers a double does not hold', () => {
  it('merges line by line when one is written inside a string holding JSON, or after a byte order mark', () => {
    // In a string holding JSON, which the merge merges as values too, between escaped line breaks.
    const held = (a: number, n: string) =>
      `{\n  "sid": "WT1",\n  "attributes": ${JSON.stringify(`[\n  {"a": ${a}},\n  ${n}\n]`)}\n}\n`;
    files({
      base: held(1, '0.10000000000000000001'),
      mine: held(2, '0.10000000000000000001'),
      theirs: held(1, '0.10000000000000000002'),
    });
    const inString = cli('merge', 'base', 'mine', 'theirs');
    expect(inString.stderr).toContain('merged line by line');
    expect(inString.stdout).toContain('0.10000000000000000002');
    const bom = '\uFEFF';
    files({
      base: `${bom}0.10000000000000000001\n`,
      mine: `${bom}0.10000000000000000001\n`,
      theirs: `${bom}0.10000000000000000002\n`,
    });
    const run = cli('merge', 'base', 'mine', 'theirs', '-o', 'out');
    expect(run.stderr).toContain('merged line by line');
    expect(readFileSync(join(dir, 'out'), 'utf8')).toBe(`${bom}0.10000000000000000002\n`);
  });
});

describe('bin/conflict-desk.cjs', () => {
  it('says how to build the command when dist/cli.cjs is missing, instead of compiling TypeScript', () => {
    mkdirSync(join(dir, 'bin'));
    copyFileSync(BIN, join(dir, 'bin/conflict-desk.cjs'));
    const run = spawnSync(
      process.execPath,
      [join(dir, 'bin/conflict-desk.cjs'), 'merge', 'a', 'b', 'c'],
      { cwd: dir, encoding: 'utf8' },
    );
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('npm run build:cli');
  });

  it('writes a merge of megabytes to a pipe whole, with its conflicts and exit status, though a merge exits without waiting for Node to free its heap', () => {
    const items = (note: string) =>
      Array.from({ length: 20_000 }, (_, id) => ({ id, note: id === 7 ? note : 'same' }));
    const base = JSON.stringify({ items: items('base') }, null, 2) + '\n';
    const mine = JSON.stringify({ items: items('mine'), a: 1 }, null, 2) + '\n';
    const theirs = JSON.stringify({ items: items('theirs'), b: 2 }, null, 2) + '\n';
    writeFileSync(join(dir, 'base.json'), base);
    writeFileSync(join(dir, 'mine.json'), mine);
    writeFileSync(join(dir, 'theirs.json'), theirs);
    const run = spawnSync(
      process.execPath,
      [BIN, 'merge', 'base.json', 'mine.json', 'theirs.json'],
      {
        cwd: dir,
        encoding: 'utf8',
        maxBuffer: 1 << 28,
      },
    );
    expect(run.status).toBe(1);
    expect(run.stdout.length).toBeGreaterThan(mine.length);
    expect(run.stdout.endsWith('}\n')).toBe(true);
    expect(run.stdout).toContain('<<<<<<< ours\n');
    expect(run.stdout).toContain('"b": 2');
    expect(run.stderr).toContain('/items/7/note');
  });

  it('writes a long conflict report whole to a stderr pipe that refuses writes when full (non-blocking, EAGAIN)', async () => {
    // 3,000 conflicting members: a report of about 250 KB, four times what a pipe holds.
    const doc = (value: string) =>
      JSON.stringify(Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`k${i}`, value])));
    files({ base: doc('base'), mine: doc('mine'), theirs: doc('theirs') });
    const expected = spawnSync(
      process.execPath,
      [BIN, 'merge', 'base', 'mine', 'theirs', '-o', 'a'],
      {
        cwd: dir,
        encoding: 'utf8',
        maxBuffer: 1 << 26,
      },
    );
    expect(expected.status).toBe(1);
    expect(expected.stderr.length).toBeGreaterThan(3 * 65536);
    // A FIFO whose write end is non-blocking: the command's stderr shares that file description,
    // so once the FIFO is full its writes fail with EAGAIN until this test reads.
    const fifo = join(dir, 'stderr.fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    const writer = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
    // Node's spawn makes a child's stdio blocking; the command's own process.stderr, made by a
    // preload before the command runs, makes that FIFO non-blocking again (libuv opens a pipe so).
    writeFileSync(join(dir, 'preload.cjs'), 'process.stderr;\n');
    const args = ['-r', './preload.cjs', BIN, 'merge', 'base', 'mine', 'theirs', '-o', 'b'];
    const child = spawn(process.execPath, args, {
      cwd: dir,
      stdio: ['ignore', 'ignore', writer],
    });
    closeSync(writer);
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    await new Promise((wait) => setTimeout(wait, 300)); // the FIFO fills; the command is refused
    const chunks: Buffer[] = [];
    const buffer = Buffer.alloc(1 << 16);
    for (;;) {
      let read: number;
      try {
        read = readSync(reader, buffer, 0, buffer.length, null);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
        await new Promise((wait) => setTimeout(wait, 5));
        continue;
      }
      if (read === 0) break; // every writer has closed it: the command has exited
      chunks.push(Buffer.from(buffer.subarray(0, read)));
    }
    closeSync(reader);
    expect(await exited).toBe(1);
    expect(Buffer.concat(chunks).toString('utf8')).toBe(expected.stderr);
    expect(readFileSync(join(dir, 'b'), 'utf8')).toBe(readFileSync(join(dir, 'a'), 'utf8'));
  });

  it('is still started by its former name, bin/conflict-desk.mjs (git configurations name it)', () => {
    writeFileSync(join(dir, 'base.json'), '{"a": 1, "b": 1}\n');
    writeFileSync(join(dir, 'mine.json'), '{"a": 2, "b": 1}\n');
    writeFileSync(join(dir, 'theirs.json'), '{"a": 1, "b": 3}\n');
    const run = spawnSync(
      process.execPath,
      [
        resolve(import.meta.dirname, '../bin/conflict-desk.mjs'),
        'merge',
        'base.json',
        'mine.json',
        'theirs.json',
      ],
      { cwd: dir, encoding: 'utf8' },
    );
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ a: 2, b: 3 });
  });
});
