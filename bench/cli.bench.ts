// The merge command as git runs it: a whole process (`node bin/conflict-desk.cjs merge …`, the
// bundled CLI, with the Node found on PATH) against `git merge-file` on the same three files and a
// bare `node -e 0`, at 1 KB to 20 MB, runs interleaved. Wall time is the median with its range;
// peak RSS comes from /usr/bin/time where it exists.
//
// Both merges write their result to a file, as a merge driver does (git names it %A): the command
// with -o, git merge-file in place, over a fresh copy of mine made before each timed run. git's
// time with its result written to a discarded stdout (-p) is shown beside, for reference.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fmtBytes, median, spread } from './documents';
import { makeScenario } from './merge.bench';

const ROOT = resolve(import.meta.dirname, '..');
const FLOOR = join(ROOT, 'bench/floor-process.cjs');
const SIZES: Array<[string, number, number]> = [
  ['1 KB', 1024, 9],
  ['100 KB', 100 * 1024, 7],
  ['1 MB', 1 << 20, 5],
  ['5 MB', 5 << 20, 5],
  ['20 MB', 20 << 20, 3],
];
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

/** The first `node` on PATH outside node_modules/.bin (npm puts the pinned Node 24 first). */
function nodeOnPath(): string {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    if (dir.includes('node_modules')) continue;
    const candidate = join(dir, 'node');
    if (existsSync(candidate)) return candidate;
  }
  return process.execPath;
}

type Sample = {
  ms: number;
  rssKb: number | undefined;
  cpuMs: number | undefined;
  code: number | null;
};

/**
 * The environment of every measured command. NODE_EXTRA_CA_CERTS is removed: Node 20 reads that
 * certificate bundle at every start (about 90 ms on this machine, where it is set globally), which
 * no merge needs and a developer's shell does not usually set; it would count against Node alone.
 */
const ENV = (() => {
  const env = { ...process.env };
  delete env['NODE_EXTRA_CA_CERTS'];
  return env;
})();

function measure(command: string, args: readonly string[], cwd: string): Sample {
  const argv = TIME ? [TIME, '-f', '%M %U %S', command, ...args] : [command, ...args];
  const start = performance.now();
  const run = spawnSync(argv[0]!, argv.slice(1), {
    cwd,
    env: ENV,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const ms = performance.now() - start;
  // /usr/bin/time's last line: peak RSS in KB, user and system CPU seconds.
  const [rss, user, system] = TIME
    ? (run.stderr.trim().split('\n').pop() ?? '').split(' ').map(Number)
    : [];
  const cpu = (user ?? NaN) + (system ?? NaN);
  return {
    ms,
    rssKb: Number.isFinite(rss) ? rss : undefined,
    cpuMs: Number.isFinite(cpu) ? cpu * 1000 : undefined,
    code: run.status,
  };
}

export async function run(): Promise<void> {
  const build = spawnSync(process.execPath, [join(ROOT, 'scripts/build-cli.mjs')], {
    stdio: 'inherit',
  });
  if (build.status !== 0) throw new Error('building the CLI failed');
  const node = nodeOnPath();
  const version = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
  const git = spawnSync('git', ['--version'], { encoding: 'utf8' }).stdout.trim();
  const perTask = makeScenario('probe', 100).base.length / 100;
  const fmtMs = (ms: number) => (ms < 100 ? ms.toFixed(1) : ms.toFixed(0));
  const rows: string[] = [];
  for (const [label, bytes, runs] of SIZES) {
    const s = makeScenario(label, Math.max(1, Math.round(bytes / perTask) - 1));
    const dir = mkdtempSync(join(tmpdir(), 'cli-bench-'));
    try {
      writeFileSync(join(dir, 'base.json'), s.base);
      writeFileSync(join(dir, 'mine.json'), s.mine);
      writeFileSync(join(dir, 'theirs.json'), s.theirs);
      const samples = {
        bare: [] as Sample[],
        cli: [] as Sample[],
        git: [] as Sample[],
        gitStdout: [] as Sample[],
        floor: [] as Sample[],
      };
      for (let r = 0; r < runs; r++) {
        samples.bare.push(measure(node, ['-e', '0'], dir));
        samples.cli.push(
          measure(
            node,
            [
              join(ROOT, 'bin/conflict-desk.cjs'),
              'merge',
              'base.json',
              'mine.json',
              'theirs.json',
              '-o',
              'out.json',
            ],
            dir,
          ),
        );
        copyFileSync(join(dir, 'mine.json'), join(dir, 'git-out.json'));
        samples.git.push(
          measure('git', ['merge-file', 'git-out.json', 'base.json', 'theirs.json'], dir),
        );
        samples.gitStdout.push(
          measure('git', ['merge-file', '-p', 'mine.json', 'base.json', 'theirs.json'], dir),
        );
        samples.floor.push(
          measure(node, [FLOOR, 'base.json', 'mine.json', 'theirs.json', 'floor.json'], dir),
        );
      }
      const code = samples.cli[0]!.code;
      if (code !== 0 && code !== 1) throw new Error(`the CLI exited ${code} at ${label}`);
      const ms = (list: Sample[]) => list.map((x) => x.ms);
      const rss = (list: Sample[]) => {
        const kb = list.map((x) => x.rssKb).filter((x): x is number => x !== undefined);
        return kb.length === 0 ? undefined : median(kb) / 1024;
      };
      const cliMs = median(ms(samples.cli));
      const gitMs = median(ms(samples.git));
      const bareMs = median(ms(samples.bare));
      const floorMs = median(ms(samples.floor));
      const cliRss = rss(samples.cli);
      const gitRss = rss(samples.git);
      const rssCell =
        cliRss !== undefined && gitRss !== undefined
          ? `${cliRss.toFixed(0)} / ${gitRss.toFixed(0)} MB = ${(cliRss / gitRss).toFixed(2)}×`
          : '—';
      const cpu = (list: Sample[]) => {
        const all = list.map((x) => x.cpuMs).filter((x): x is number => x !== undefined);
        return all.length === 0 ? undefined : median(all);
      };
      const [cliCpu, gitCpu] = [cpu(samples.cli), cpu(samples.git)];
      const cpuCell =
        cliCpu !== undefined && gitCpu !== undefined
          ? `${fmtMs(cliCpu)} / ${fmtMs(gitCpu)} ms = ${(cliCpu / Math.max(gitCpu, 10)).toFixed(2)}×`
          : '—';
      rows.push(
        `| ${label} (${fmtBytes(s.base.length)}) | ${spread(ms(samples.cli), fmtMs)} ms | ${spread(ms(samples.git), fmtMs)} ms | ${spread(ms(samples.gitStdout), fmtMs)} ms (${(cliMs / median(ms(samples.gitStdout))).toFixed(2)}×) | ${spread(ms(samples.bare), fmtMs)} ms | ${spread(ms(samples.floor), fmtMs)} ms | ${(cliMs / gitMs).toFixed(2)}× | ${(floorMs / gitMs).toFixed(2)}× | ${(cliMs / floorMs).toFixed(2)}× | +${fmtMs(cliMs - bareMs)} ms | ${cpuCell} | ${rssCell} |`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  console.log(
    `\nMerge command, whole process (${node} ${version}, ${git}); median (min–max) of interleaved runs`,
  );
  console.log(
    "NODE_EXTRA_CA_CERTS is removed from every command's environment (Node 20 reads that bundle at each start).",
  );
  console.log(
    '| size | conflict-desk merge (-o file) | git merge-file (in place) | git merge-file -p, stdout discarded (CLI / it) | node -e 0 | Node floor | CLI / git | floor / git | CLI / floor | CLI − bare Node | CPU (user+sys) CLI / git | peak RSS CLI / git |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const row of rows) console.log(row);
  console.log(
    'Targets: 1 KB within 20 ms of bare Node; 5 MB ≤ 1.25× git; 20 MB ≤ 1.0× git with peak RSS ≤ 1.5× git.',
  );
  console.log(
    'Both write the merge to a file, as a merge driver writes %A (git in place, over a copy of mine made before each run). CLI / git, the CPU and the RSS compare with that run.',
  );
  console.log(
    'Node floor = bench/floor-process.cjs: read the three files, JSON.parse each, write one back pretty-printed (no validation, no merge):',
  );
  console.log(
    'the least a command in Node that parses all three documents whole can do. The merge command parses base and theirs only where their text differs from mine (parse-alike), so it is not bound by it.',
  );
  console.log(
    'CPU time is less disturbed than wall time on a busy machine (git below 10 ms of CPU is counted as 10 ms in the ratio).',
  );
}
