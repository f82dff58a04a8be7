// merge3 against line-based merges on task-like documents with realistic concurrent edits:
// `git merge-file` on the pretty-printed texts, node-diff3's diff3Merge on lines (in a worker, so a
// run that exceeds the cap can be killed), and the floor: parsing the three inputs plus writing the
// result. "False" conflicts are conflicts where the two sides edited different fields.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { mergeText, parseJson, stringifyJson, PRETTY } from '../shared/json/index';
import type { JsonValue } from '../shared/json/index';

const PEER_CAP_MS = 30_000;
/** node-diff3's LCS is quadratic: at 1 MB it does not finish within the cap, so larger inputs are not started. */
const DIFF3_MAX_BYTES = 200 * 1024;
const FLOOR_TARGET = 1.5;

type Task = { [key: string]: JsonValue };

/** A deterministic pseudo-random generator, so every run measures the same documents. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let r = Math.imul(s ^ (s >>> 15), 1 | s);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

const SKILLS = ['billing', 'es', 'fr', 'vip', 'tech', 'returns', 'claims', 'sales'];
const CHANNELS = ['voice', 'chat', 'sms', 'email', 'whatsapp'];
const STATUSES = ['pending', 'reserved', 'assigned', 'wrapping', 'completed'];

/** Twilio-style sids: a prefix and 32 hex digits (pseudo-random, like the real ones). */
function sid(prefix: string, n: number): string {
  const random = rng(n * 31 + prefix.charCodeAt(1));
  let hex = '';
  while (hex.length < 32)
    hex += Math.floor(random() * 0x10000)
      .toString(16)
      .padStart(4, '0');
  return prefix + hex;
}

export function makeTask(n: number, random: () => number): Task {
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  return {
    sid: sid('WT', n),
    queue_sid: sid('WQ', n % 12),
    assignment_status: pick(STATUSES),
    priority: Math.floor(random() * 100),
    reason: null,
    age: Math.floor(random() * 100000),
    attributes: {
      customer: { name: `Customer ${n}` },
      channel: pick(CHANNELS),
      skills: [pick(SKILLS), pick(SKILLS)].filter((s, i, all) => all.indexOf(s) === i),
      notes: `Order ${Math.floor(random() * 1e6)}`,
      priority: Math.floor(random() * 10),
    },
  };
}

export type Scenario = {
  readonly label: string;
  readonly base: string;
  readonly mine: string;
  readonly theirs: string;
  /** Conflicts a correct merge must report: both sides changed the same field differently. */
  readonly trueConflicts: number;
};

/**
 * Concurrent edits: on every 50th task mine raises `priority` while theirs moves
 * `assignment_status` (the adjacent line); every 7th task gets a note from mine or a skill from
 * theirs; both append a different task; theirs deletes one task mine did not touch; and every
 * 1000th task both set `reason` differently — the only true conflicts.
 */
export function makeScenario(label: string, taskCount: number): Scenario {
  const random = rng(taskCount);
  const tasks = Array.from({ length: taskCount }, (_, n) => makeTask(n, random));
  const base = { tasks };
  const mineTasks = structuredClone(tasks);
  const theirsTasks = structuredClone(tasks);
  let trueConflicts = 0;
  for (let n = 0; n < taskCount; n++) {
    const mine = mineTasks[n]!;
    const theirs = theirsTasks[n]!;
    if (n % 50 === 0) {
      mine.priority = (tasks[n]!.priority as number) + 1;
      theirs.assignment_status = 'canceled';
    }
    if (n % 1000 === 500) {
      mine.reason = 'duplicate';
      theirs.reason = 'customer hung up';
      trueConflicts++;
    }
    if (n % 7 === 3) (mine.attributes as Task).notes = `Follow-up ${n}`;
    if (n % 7 === 5) ((theirs.attributes as Task).skills as string[]).push('escalated');
  }
  mineTasks.push(makeTask(taskCount, random));
  theirsTasks.push(makeTask(taskCount + 1, random));
  if (taskCount > 20) {
    // Theirs deletes a task mine left alone (deleting one mine edited would be a true conflict).
    let gone = taskCount - 9;
    while (gone % 7 === 3 || gone % 50 === 0 || gone % 1000 === 500) gone--;
    theirsTasks.splice(gone, 1);
  }
  const text = (value: JsonValue) => JSON.stringify(value, null, 2) + '\n';
  return {
    label,
    base: text(base),
    mine: text({ tasks: mineTasks }),
    theirs: text({ tasks: theirsTasks }),
    trueConflicts,
  };
}

/** Median wall time of `fn` over enough repetitions to fill about `budgetMs`. */
function time(fn: () => void, budgetMs: number): number {
  const first = performance.now();
  fn();
  const once = performance.now() - first;
  const reps = Math.max(2, Math.min(200, Math.floor(budgetMs / Math.max(once, 0.01))));
  const samples: number[] = [];
  for (let r = 0; r < reps; r++) {
    const start = performance.now();
    fn();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)]!;
}

/** Medians of `a` and `b` run alternately over about `budgetMs`. */
function timePair(a: () => void, b: () => void, budgetMs: number): [number, number] {
  const first = performance.now();
  a();
  b();
  const once = performance.now() - first;
  const reps = Math.max(3, Math.min(200, Math.floor(budgetMs / Math.max(once, 0.01))));
  const samples: [number[], number[]] = [[], []];
  for (let r = 0; r < reps; r++) {
    for (const [i, fn] of [a, b].entries()) {
      const start = performance.now();
      fn();
      samples[i]!.push(performance.now() - start);
    }
  }
  const median = (xs: number[]) => xs.sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
  return [median(samples[0]), median(samples[1])];
}

function countMarkers(text: string): number {
  return text.match(/^<<<<<<< /gm)?.length ?? 0;
}

function gitMergeFile(s: Scenario): { ms: number; conflicts: number } | { error: string } {
  const dir = mkdtempSync(join(tmpdir(), 'merge-bench-'));
  try {
    writeFileSync(join(dir, 'base.json'), s.base);
    writeFileSync(join(dir, 'mine.json'), s.mine);
    writeFileSync(join(dir, 'theirs.json'), s.theirs);
    let conflicts = 0;
    const ms = time(() => {
      const run = spawnSync('git', ['merge-file', '-p', 'mine.json', 'base.json', 'theirs.json'], {
        cwd: dir,
        encoding: 'utf8',
        maxBuffer: 1 << 30,
        timeout: PEER_CAP_MS,
      });
      if (run.error) throw run.error;
      conflicts = countMarkers(run.stdout);
    }, 1000);
    return { ms, conflicts };
  } catch (err) {
    return { error: String(err) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// node-diff3 runs in a worker so that a run past the cap can be terminated.
const DIFF3_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
import(workerData.module).then(({ diff3Merge }) => {
  const lines = (t) => t.split('\\n');
  const start = performance.now();
  const regions = diff3Merge(lines(workerData.mine), lines(workerData.base), lines(workerData.theirs));
  const ms = performance.now() - start;
  parentPort.postMessage({ ms, conflicts: regions.filter((r) => r.conflict).length });
});
`;

function nodeDiff3(
  s: Scenario,
): Promise<{ ms: number; conflicts: number } | { dnf: true } | { error: string }> {
  return new Promise((resolve) => {
    const worker = new Worker(DIFF3_WORKER, {
      eval: true,
      workerData: {
        module: import.meta.resolve('node-diff3'),
        base: s.base,
        mine: s.mine,
        theirs: s.theirs,
      },
    });
    const timer = setTimeout(() => {
      void worker.terminate();
      resolve({ dnf: true });
    }, PEER_CAP_MS);
    worker.once('message', (message: { ms: number; conflicts: number }) => {
      clearTimeout(timer);
      void worker.terminate();
      resolve(message);
    });
    worker.once('error', (err) => {
      clearTimeout(timer);
      resolve({ error: String(err) });
    });
  });
}

type Row = Record<string, string>;

function printTable(rows: Row[]): void {
  const columns = Object.keys(rows[0]!);
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join('  ');
  console.log(line(columns));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const row of rows) console.log(line(columns.map((c) => row[c]!)));
}

const fmtMs = (ms: number) =>
  (ms < 10 ? ms.toFixed(2) : ms < 100 ? ms.toFixed(1) : ms.toFixed(0)) + ' ms';
const fmtSize = (bytes: number) =>
  bytes < 1024
    ? `${bytes} B`
    : bytes < 1 << 20
      ? `${(bytes / 1024).toFixed(0)} KB`
      : `${(bytes / (1 << 20)).toFixed(1)} MB`;

export async function run(): Promise<void> {
  // Task counts are derived from the size of one generated task, so the sizes hold if tasks change.
  const perTask = makeScenario('probe', 100).base.length / 100;
  const sizes: [string, number][] = [
    ['~1 KB', 1024],
    ['~100 KB', 100 * 1024],
    ['~1 MB', 1 << 20],
    ['~5 MB', 5 << 20],
    ['~20 MB', 20 << 20],
  ].map(([label, bytes]) => [
    label as string,
    Math.max(1, Math.round((bytes as number) / perTask) - 1),
  ]);
  const rows: Row[] = [];
  for (const [label, count] of sizes) {
    const s = makeScenario(label, count);
    let conflicts = -1;
    // merge3 and its floor alternate, so a busy machine slows both alike.
    const [merge, floorNative] = timePair(
      () => {
        const merged = mergeText(s.base, s.mine, s.theirs);
        if (!merged.ok) throw new Error('benchmark input did not parse');
        if (merged.value.text.length === 0) throw new Error('empty merge');
        conflicts = merged.value.result.conflicts.length;
      },
      () => {
        const [, mine] = [JSON.parse(s.base), JSON.parse(s.mine), JSON.parse(s.theirs)];
        JSON.stringify(mine, null, 2);
      },
      3000,
    );
    // The same pipeline listing every change, as the app's merge does.
    const [listing, floorListing] = timePair(
      () => {
        const merged = mergeText(s.base, s.mine, s.theirs, { changes: true });
        if (!merged.ok || merged.value.text.length === 0) throw new Error('no merge');
      },
      () => {
        const [, mine] = [JSON.parse(s.base), JSON.parse(s.mine), JSON.parse(s.theirs)];
        JSON.stringify(mine, null, 2);
      },
      2000,
    );
    const floorStrict = time(() => {
      const [, mine] = [parseJson(s.base), parseJson(s.mine), parseJson(s.theirs)];
      if (mine.ok) stringifyJson(mine.value, PRETTY);
    }, 1000);
    const git = gitMergeFile(s);
    const diff3: Awaited<ReturnType<typeof nodeDiff3>> | { skipped: true } =
      s.base.length <= DIFF3_MAX_BYTES ? await nodeDiff3(s) : { skipped: true };
    type Peer =
      { ms: number; conflicts: number } | { dnf: true } | { error: string } | { skipped: true };
    const peer = (r: Peer) =>
      'ms' in r
        ? `${fmtMs(r.ms)} (${(r.ms / merge).toFixed(1)}×)`
        : 'dnf' in r
          ? `did not finish (${PEER_CAP_MS / 1000} s)`
          : 'skipped' in r
            ? 'not run (no finish at 1 MB in 30 s)'
            : r.error;
    const peerConflicts = (r: Peer) =>
      'ms' in r ? `${r.conflicts} (${Math.max(0, r.conflicts - s.trueConflicts)} false)` : '—';
    rows.push({
      size: `${label} (${fmtSize(s.base.length)}, ${count + 1} tasks)`,
      merge3: fmtMs(merge),
      'floor JSON.parse': fmtMs(floorNative),
      'merge3/floor': `${(merge / floorNative).toFixed(2)}×${s.base.length >= 90 * 1024 ? (merge / floorNative <= FLOOR_TARGET ? ' ok' : ' MISS') : ''}`,
      'merge3 listing changes': `${fmtMs(listing)} (${(listing / floorListing).toFixed(2)}× floor)`,
      'floor strict': fmtMs(floorStrict),
      'merge3/strict': `${(merge / floorStrict).toFixed(2)}×`,
      'git merge-file': peer(git),
      'node-diff3': peer(diff3),
      'merge3 conflicts': `${conflicts} (${Math.max(0, conflicts - s.trueConflicts)} false)`,
      'git conflicts': peerConflicts(git),
      'diff3 conflicts': peerConflicts(diff3),
      'true conflicts': String(s.trueConflicts),
    });
  }
  printTable(rows);
  console.log(
    `\nmerge3 = mergeText: strict parse of 3 texts (laid-out texts a piece at a time, a piece another side already parsed reused) + merge + pretty write; floor = 3 × JSON.parse + 1 × pretty JSON.stringify; target merge3/floor ≤ ${FLOOR_TARGET}× from 100 KB up.`,
  );
  console.log(
    'mergeText lists no changes (what the merge command runs); "merge3 listing changes" also lists every change applied, as the app does, timed against its own floor.',
  );
  console.log(
    'floor strict = the same with the strict parser (duplicate keys refused, big integers kept): merge3/strict is what the merge itself adds.',
  );
  console.log(
    'Peer times are followed by their ratio to merge3; "false" = conflicts beyond the true ones.',
  );
}
