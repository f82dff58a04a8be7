// `conflict-desk merge BASE MINE THEIRS [-o OUT]`: a structural JSON merge usable as a git merge
// driver. Exit 0 = clean, 1 = conflicts (merged document still written, report on stderr),
// 2 = bad usage or input (nothing written).
import { readFile, rename, writeFile } from 'node:fs/promises';
import { mergeText, DEFAULT_ID_KEYS } from '../shared/json/index';
import type { Conflict, JsonValue } from '../shared/json/index';

export type CliIo = {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
};

export const MERGE_USAGE = `usage: conflict-desk merge BASE MINE THEIRS [-o OUT] [--id-keys id,sid,...]

Three-way merges JSON documents structurally (base = common ancestor, mine = your edit,
theirs = the other edit) and writes the result to OUT, or to stdout.
Exit status: 0 merged cleanly; 1 conflicts (the merged document is still written, with mine's
value at each conflict, or theirs' where mine deleted it; the report goes to stderr);
2 bad usage or invalid input (nothing is written).
As a git merge driver:  git config merge.conflict-desk.driver "npx conflict-desk merge %O %A %B -o %A"`;

type Args = { files: [string, string, string]; out?: string; idKeys: readonly string[] };

function parseArgs(argv: readonly string[]): { ok: true; value: Args } | { ok: false; error: string } {
  const files: string[] = [];
  let out: string | undefined;
  let idKeys = DEFAULT_ID_KEYS;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '-o' || arg === '--output') {
      const value = argv[++i];
      if (value === undefined) return { ok: false, error: `${arg} needs a file name` };
      out = value;
    } else if (arg === '--id-keys') {
      const value = argv[++i];
      if (value === undefined) return { ok: false, error: '--id-keys needs a comma-separated list' };
      idKeys = value.split(',').filter((key) => key !== '');
    } else if (arg === '-') {
      return { ok: false, error: 'reading a side from standard input is not supported; name a file' };
    } else if (arg.startsWith('-')) {
      return { ok: false, error: `unknown option ${arg}` };
    } else {
      files.push(arg);
    }
  }
  if (files.length !== 3) return { ok: false, error: `expected BASE MINE THEIRS, got ${files.length} file(s)` };
  return { ok: true, value: { files: files as [string, string, string], out, idKeys } };
}

const MAX_SHOWN = 400;

function show(value: JsonValue | undefined): string {
  if (value === undefined) return '(absent)';
  const text = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}… (${text.length} characters)` : text;
}

export function formatConflictReport(conflicts: readonly Conflict[]): string {
  const lines = [`${conflicts.length} conflict(s):`];
  for (const conflict of conflicts) {
    const where = conflict.slice ? `${conflict.path || '/'} [elements ${conflict.slice.at}..${conflict.slice.at + conflict.slice.length}]` : conflict.path || '/';
    lines.push(`  ${where}  (${conflict.kind})`);
    lines.push(`    base:   ${show(conflict.base)}`);
    lines.push(`    mine:   ${show(conflict.mine)}`);
    lines.push(`    theirs: ${show(conflict.theirs)}`);
  }
  return lines.join('\n') + '\n';
}

export async function runMerge(argv: readonly string[], io: CliIo): Promise<number> {
  if (argv.includes('-h') || argv.includes('--help')) {
    io.stdout(MERGE_USAGE + '\n');
    return 0;
  }
  const args = parseArgs(argv);
  if (!args.ok) {
    io.stderr(`conflict-desk merge: ${args.error}\n${MERGE_USAGE}\n`);
    return 2;
  }
  const [baseFile, mineFile, theirsFile] = args.value.files;
  const texts: string[] = [];
  for (const file of args.value.files) {
    try {
      texts.push(await readFile(file, 'utf8'));
    } catch (err) {
      io.stderr(`conflict-desk merge: cannot read ${file}: ${(err as Error).message}\n`);
      return 2;
    }
  }
  const merged = mergeText(texts[0]!, texts[1]!, texts[2]!, { idKeys: args.value.idKeys });
  if (!merged.ok) {
    const file = { base: baseFile, mine: mineFile, theirs: theirsFile }[merged.error.side];
    io.stderr(`conflict-desk merge: ${file}:${merged.error.error.line}:${merged.error.error.column}: ${merged.error.error.message}\n`);
    return 2;
  }
  const { text, result } = merged.value;
  if (args.value.out === undefined) {
    io.stdout(text);
  } else {
    try {
      // As a git driver the output is mine's own file: write beside it and rename, so an
      // interrupted write can never leave the operator's side truncated.
      const temp = `${args.value.out}.conflict-desk-${process.pid}.tmp`;
      await writeFile(temp, text);
      await rename(temp, args.value.out);
    } catch (err) {
      io.stderr(`conflict-desk merge: cannot write ${args.value.out}: ${(err as Error).message}\n`);
      return 2;
    }
  }
  if (result.conflicts.length === 0) return 0;
  io.stderr(`conflict-desk merge: ${mineFile}: ` + formatConflictReport(result.conflicts));
  return 1;
}
