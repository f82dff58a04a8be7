// `conflict-desk merge BASE MINE THEIRS [-o OUT]`: a structural JSON merge usable as a git merge
// driver. Exit 0 = clean, 1 = conflicts (the merged document written with diff3 markers around each
// conflicting member, a report on stderr), 2 = bad usage (nothing written). Input the structural
// merge cannot read is merged as JSON with comments, else line by line, and never left one-sided.
// `--report-only` keeps the first behaviour for scripts: no markers, mine's value at each conflict,
// exit 2 on invalid input.
import { renameSync, rmSync } from 'node:fs';
import {
  conflictTextParts,
  DEFAULT_ID_KEYS,
  detectStyle,
  lineBreakOf,
  mergeJsonc,
  mergeLines,
  inexactNumber,
  jsonEqual,
  mergeText,
  parseJson,
  positionOf,
  readsAsJsonc,
  SideTexts,
  stringifyJson,
  withLineBreaks,
  withoutMark,
} from '../shared/json/index';
import type { Conflict, InexactNumber, JsonValue, ParseError } from '../shared/json/index';
import { readTexts, writeText } from './text-files';

export type CliIo = {
  /** Text (written as UTF-8), or bytes as they are. */
  readonly stdout: (text: string | Uint8Array) => void;
  readonly stderr: (text: string) => void;
};

export const MERGE_USAGE = `usage: conflict-desk merge BASE MINE THEIRS [-o OUT] [--marker-size N] [--path NAME] [--report-only] [--id-keys id,sid,...]

Three-way merges JSON documents structurally (base = common ancestor, mine = your edit,
theirs = the other edit) and writes the result to OUT, or to stdout.
Exit status: 0 merged cleanly; 1 conflicts: each conflicting member is written between diff3
markers (<<<<<<< ours, ||||||| base, =======, >>>>>>> theirs; --marker-size sets their length),
and a report goes to stderr; 2 bad usage or an unreadable file (nothing is written).
Text that is not strict JSON (comments, trailing commas, conflict markers) is merged as JSON with
comments when that keeps everything, else line by line like git merge-file; stderr says which.
Sides that are not UTF-8 text are merged line by line, their bytes written back as they were.
--report-only: no markers; mine's value at each conflict (theirs' where mine deleted it), and
exit 2 without writing on invalid JSON.
--path NAME: the file's name in messages, in place of the sides' (git's temporary files; git
passes the name as %P).
As a git merge driver:  git config merge.conflict-desk.driver "npx conflict-desk merge %O %A %B -o %A --marker-size %L --path %P"`;

type Args = {
  files: [string, string, string];
  out?: string;
  idKeys: readonly string[];
  markerSize: number;
  reportOnly: boolean;
  /** The merged file's name for messages (git's %P); the sides' own names otherwise. */
  path?: string;
};

function parseArgs(
  argv: readonly string[],
): { ok: true; value: Args } | { ok: false; error: string } {
  const files: string[] = [];
  let out: string | undefined;
  let idKeys = DEFAULT_ID_KEYS;
  let markerSize = 7;
  let reportOnly = false;
  let path: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--report-only') {
      reportOnly = true;
    } else if (arg === '--marker-size') {
      const value = argv[++i];
      if (value === undefined || !/^[1-9][0-9]{0,2}$/.test(value))
        return {
          ok: false,
          error: '--marker-size needs a whole number from 1 to 999 (git passes it as %L)',
        };
      markerSize = Number(value);
    } else if (arg === '-o' || arg === '--output') {
      const value = argv[++i];
      if (value === undefined) return { ok: false, error: `${arg} needs a file name` };
      out = value;
    } else if (arg === '--path') {
      const value = argv[++i];
      if (value === undefined)
        return { ok: false, error: '--path needs a file name (git passes %P)' };
      path = value;
    } else if (arg === '--id-keys') {
      const value = argv[++i];
      if (value === undefined)
        return { ok: false, error: '--id-keys needs a comma-separated list' };
      idKeys = value.split(',').filter((key) => key !== '');
    } else if (arg === '-') {
      return {
        ok: false,
        error: 'reading a side from standard input is not supported; name a file',
      };
    } else if (arg.startsWith('-')) {
      return { ok: false, error: `unknown option ${arg}` };
    } else {
      files.push(arg);
    }
  }
  if (files.length !== 3)
    return { ok: false, error: `expected BASE MINE THEIRS, got ${files.length} file(s)` };
  return {
    ok: true,
    value: { files: files as [string, string, string], out, idKeys, markerSize, reportOnly, path },
  };
}

const MAX_SHOWN = 400;

function show(value: JsonValue | undefined): string {
  if (value === undefined) return '(absent)';
  // As JSON, integers beyond 2^53 digit for digit (not the string "…n" a replacer would make).
  const text = stringifyJson(value);
  return text.length > MAX_SHOWN
    ? `${text.slice(0, MAX_SHOWN)}… (${text.length} characters)`
    : text;
}

export function formatConflictReport(conflicts: readonly Conflict[]): string {
  const lines = [`${conflicts.length} conflict(s):`];
  for (const conflict of conflicts) {
    const where = conflict.slice
      ? `${conflict.path || '/'} [elements ${conflict.slice.at}..${conflict.slice.at + conflict.slice.length}]`
      : conflict.path || '/';
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
  const read = readTexts(args.value.files);
  if (!read.ok) {
    io.stderr(`conflict-desk merge: cannot read ${read.file}: ${read.message}\n`);
    return 2;
  }
  const [base, mine, theirs] = read.texts as [string, string, string];
  // Not imported up front: node:v8 costs a small merge about 2 ms (see v8-tuning.ts).
  if (base.length + mine.length + theirs.length >= 2 * 1024 * 1024)
    (await import('./v8-tuning')).inlineLess();
  if (read.encoding === 'latin1')
    return bytesByLines(read.texts as [string, string, string], args.value, io);
  const options = { idKeys: args.value.idKeys };
  const write = (text: string | readonly string[]) => writeOut(text, args.value.out, io);
  const { path } = args.value;
  const files =
    path === undefined
      ? { base: baseFile, mine: mineFile, theirs: theirsFile }
      : { base: `${path} (base)`, mine: `${path} (mine)`, theirs: `${path} (theirs)` };
  // A number with more digits than a double keeps would be compared, and written, as that double:
  // an edit of its last digits would vanish. Such sides are merged as text, line by line.
  const inexact = firstInexact({ base, mine, theirs });
  if (inexact !== undefined) {
    const at = positionOf(read.texts[SIDES.indexOf(inexact.side)]!, inexact.found.offset);
    const why = `${files[inexact.side]}:${at.line}:${at.column}: the number ${inexact.found.literal} has more digits than a double keeps, so its value cannot be merged without losing some`;
    if (args.value.reportOnly) {
      io.stderr(`conflict-desk merge: ${why}\n`);
      return 2;
    }
    return fallback({ base, mine, theirs }, why, options, args.value.markerSize, write, io, false);
  }
  let planned: Planned;
  try {
    planned = structural({ base, mine, theirs }, args.value, options);
  } catch (err) {
    // A failure of the structural merge itself must not leave git mine's file as the merge (a
    // driver that stops writes nothing, and theirs' side would be lost on `git add`): the sides
    // are merged line by line instead, and stderr says why.
    const why = `the structural merge failed: ${(err as Error)?.message ?? String(err)}`;
    if (args.value.reportOnly) {
      io.stderr(`conflict-desk merge: ${why}\n`);
      return 2;
    }
    planned = { ok: false, why };
  }
  if (!planned.ok) {
    const why =
      typeof planned.why === 'string'
        ? planned.why
        : `${files[planned.why.side]}:${planned.why.error.line}:${planned.why.error.column}: ${planned.why.error.message}`;
    if (args.value.reportOnly) {
      io.stderr(`conflict-desk merge: ${why}\n`);
      return 2;
    }
    return fallback({ base, mine, theirs }, why, options, args.value.markerSize, write, io);
  }
  if (!(await write(planned.parts))) return 2;
  if (planned.conflicts.length === 0) return 0;
  io.stderr(
    `conflict-desk merge: ${args.value.path ?? mineFile}: ` +
      formatConflictReport(planned.conflicts),
  );
  return 1;
}

const SIDES = ['base', 'mine', 'theirs'] as const;

/** The first side holding a number a double does not hold exactly, and that number. */
function firstInexact(texts: {
  base: string;
  mine: string;
  theirs: string;
}): { side: (typeof SIDES)[number]; found: InexactNumber } | undefined {
  for (const side of SIDES) {
    const found = inexactNumber(texts[side]);
    if (found !== undefined) return { side, found };
  }
  return undefined;
}

/** What the structural merge would write, or why it cannot merge (a side that is not JSON). */
type Planned =
  | { ok: true; parts: string[]; conflicts: readonly Conflict[] }
  | { ok: false; why: string | { side: 'base' | 'mine' | 'theirs'; error: ParseError } };

function structural(
  texts: { base: string; mine: string; theirs: string },
  args: Args,
  options: { idKeys: readonly string[] },
): Planned {
  const { base, mine, theirs } = texts;
  const merged = mergeText(base, mine, theirs, options);
  if (!merged.ok) return { ok: false, why: merged.error };
  const { result } = merged.value;
  const conflicted = result.conflicts.length > 0 && !args.reportOnly;
  const bom = mine.charCodeAt(0) === 0xfeff ? '\ufeff' : '';
  const kept =
    result.conflicts.length === 0
      ? keptLayout(texts, merged.value.values.mine, result.merged, options)
      : undefined;
  // Members kept whole are copied from the sides' texts, not printed again (see side-texts.ts).
  const { pieces } = merged.value;
  // A clean merge is written through the same writer only when it is a container, which is what a
  // text can be copied into (the writer ends a scalar with a line break mine may lack).
  const copies =
    result.conflicts.length === 0 &&
    kept === undefined &&
    pieces.length > 0 &&
    typeof result.merged === 'object' &&
    result.merged !== null;
  const written =
    conflicted || copies
      ? conflictTextParts(merged.value.values, result, {
          style: detectStyle(mine.slice(bom.length)),
          markerSize: args.markerSize,
          mergeOptions: options,
          sideTexts: pieces.length > 0 ? new SideTexts(pieces) : undefined,
        })
      : [kept ?? merged.value.text];
  // Written with mine's line breaks and byte-order mark: a CRLF file merged into LF would differ
  // on every line, and a file that lost its mark on its first. Written part by part, not joined.
  const eol = lineBreakOf(mine);
  return {
    ok: true,
    parts: [bom, ...written.map((part) => withLineBreaks(part, eol))],
    conflicts: result.conflicts,
  };
}

/** Up to this size a clean merge keeps mine's text where nothing changed (see keptLayout). */
const KEEP_LAYOUT_UP_TO = 64 * 1024;
const KEEP_LAYOUT_EDITS = 200;

/**
 * A clean merge as mine's own text with the merge's changes edited in, as JSON with comments is
 * merged: lines no side touched stay byte for byte (an inline array, `1.0`, an escape), so the
 * commit shows the merge, not a reformatted file. Only for a small, indented mine (each edit reads
 * the text again; a one-line document takes multi-line edits badly) and only when the text reads
 * back as the strict merge's value; else undefined and the merge is printed in mine's layout.
 */
function keptLayout(
  texts: { base: string; mine: string; theirs: string },
  mineValue: JsonValue,
  merged: JsonValue,
  options: { idKeys: readonly string[] },
): string | undefined {
  const [base, mine, theirs] = [texts.base, texts.mine, texts.theirs].map(withoutMark) as [
    string,
    string,
    string,
  ];
  if (mine.length > KEEP_LAYOUT_UP_TO) return undefined;
  const style = detectStyle(mine);
  // Mine laid out as the merge is printed (JSON.stringify's layout, as tools write it): printing
  // keeps every untouched line already, and costs less than editing (about 5 ms at 1 KB, cold).
  if (style.indent === '' || stringifyJson(mineValue, style) === mine) return undefined;
  const edited = mergeJsonc(base, mine, theirs, options, KEEP_LAYOUT_EDITS);
  if (!edited.ok) return undefined;
  const check = parseJson(edited.text);
  return check.ok && jsonEqual(check.value, merged) ? edited.text : undefined;
}

/**
 * How many edits a merge of JSON with comments may write into mine: each reads the whole text
 * again, so a 30,000-line settings file that theirs edited all over took two minutes. Past this
 * the sides are merged line by line, as git merge-file would (and stderr says so).
 */
function jsoncEditsFor(mine: string): number {
  return Math.max(1, Math.floor(JSONC_REREAD_BUDGET / Math.max(1, mine.length)));
}
/** Characters of mine's text the edits of a JSON-with-comments merge may read in all (about 0.5 s). */
const JSONC_REREAD_BUDGET = 32 * 1024 * 1024;

/**
 * Text the strict parser refused: merged as JSON with comments when that keeps every change,
 * else line by line with diff3 markers (as git merge-file would). Either way both sides survive.
 */
async function fallback(
  texts: { base: string; mine: string; theirs: string },
  why: string,
  options: { idKeys: readonly string[] },
  markerSize: number,
  write: (text: string) => Promise<boolean>,
  io: CliIo,
  /** False when values cannot be trusted (inexact numbers): then only lines are merged. */
  asJsonc = true,
): Promise<number> {
  const markers = /^(<{7,}|>{7,}|={7,}$|\|{7,})/m;
  const hasMarkers =
    markers.test(texts.base) || markers.test(texts.mine) || markers.test(texts.theirs);
  const jsonc = !asJsonc
    ? undefined
    : hasMarkers
      ? { ok: false as const, reason: 'a side already holds conflict markers' }
      : mergeJsonc(texts.base, texts.mine, texts.theirs, options, jsoncEditsFor(texts.mine));
  if (jsonc?.ok) {
    if (!(await write(jsonc.text))) return 2;
    io.stderr(
      `conflict-desk merge: not strict JSON (${why}); merged as JSON with comments, mine's comments and layout kept\n`,
    );
    return 0;
  }
  const lines = mergeLines(texts.base, texts.mine, texts.theirs, { markerSize });
  if (!(await write(lines.text))) return 2;
  // Lines that merge cleanly can still make text that is not JSON: a key both sides added in
  // different places is written twice (a reader keeps one), two edits can leave a comma out.
  // Not clean, then, when every side read as JSON with comments and the result does not.
  const broken =
    lines.conflicts === 0 &&
    readsAsJsonc(texts.base) &&
    readsAsJsonc(texts.mine) &&
    readsAsJsonc(texts.theirs) &&
    !readsAsJsonc(lines.text);
  io.stderr(
    (jsonc === undefined
      ? `conflict-desk merge: ${why}; merged line by line like git merge-file: `
      : `conflict-desk merge: not strict JSON (${why}); ${jsonc.reason}; merged line by line like git merge-file: `) +
      (broken
        ? 'no lines conflict, but the result is not valid JSON (a key both sides added, a comma lost): check it by hand\n'
        : lines.conflicts === 0
          ? 'no conflicts\n'
          : `${lines.conflicts} conflict(s) between markers\n`),
  );
  return lines.conflicts === 0 && !broken ? 0 : 1;
}

/**
 * Sides that are not all UTF-8 text (a Latin-1 file, stray bytes): not JSON as RFC 8259 has it,
 * and decoding them would replace their bytes. Merged line by line like git merge-file, each text
 * holding its file's bytes one character each, and written back as those bytes.
 */
async function bytesByLines(
  [base, mine, theirs]: [string, string, string],
  args: Args,
  io: CliIo,
): Promise<number> {
  if (args.reportOnly) {
    io.stderr('conflict-desk merge: a side is not UTF-8 text, so not JSON; nothing written\n');
    return 2;
  }
  const lines = mergeLines(base, mine, theirs, { markerSize: args.markerSize });
  if (!(await writeOut(lines.text, args.out, io, 'latin1'))) return 2;
  io.stderr(
    'conflict-desk merge: a side is not UTF-8 text, so not JSON; merged line by line like git merge-file, its bytes kept as they are: ' +
      (lines.conflicts === 0
        ? 'no conflicts\n'
        : `${lines.conflicts} conflict(s) between markers\n`),
  );
  return lines.conflicts === 0 ? 0 : 1;
}

async function writeOut(
  text: string | readonly string[],
  out: string | undefined,
  io: CliIo,
  encoding: 'utf8' | 'latin1' = 'utf8',
): Promise<boolean> {
  if (out === undefined) {
    const whole = typeof text === 'string' ? text : text.join('');
    io.stdout(encoding === 'utf8' ? whole : Buffer.from(whole, 'latin1'));
    return true;
  }
  try {
    // As a git driver the output is mine's own file: write beside it and rename, so an
    // interrupted write can never leave the operator's side truncated.
    // Synchronous: the promise API writes a large string one event-loop turn per chunk.
    const temp = `${out}.conflict-desk-${process.pid}.tmp`;
    try {
      writeText(temp, text, encoding);
      renameSync(temp, out);
    } catch (err) {
      rmSync(temp, { force: true });
      throw err;
    }
    return true;
  } catch (err) {
    io.stderr(`conflict-desk merge: cannot write ${out}: ${(err as Error).message}\n`);
    return false;
  }
}
