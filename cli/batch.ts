// `conflict-desk batch`: runs a batch through a running Conflict Desk host (browser mode's contract
// over HTTP), so scripts get the same guarantees as the app: conditional writes, re-application
// after harmless conflicts, a conflict queue, outcomes that are never overstated.
// Exit 0 = every target applied, re-applied, skipped or merged by hand (the batch's change is on the
// server or was not needed); 1 = some queued, failed, unknown, kept the server's or not
// done (the batch was paused or cancelled in the app, or the host stopped answering after it
// started); 2 = bad usage or the host refused (nothing started).
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { CliIo } from './merge';
import type { BatchState } from '../shared/api/types';
import { encodeWire } from '../shared/api/wire';
import { decisionRefused } from '../shared/batch/decisions';
import { parseJson } from '../shared/json/index';

export const BATCH_USAGE = `usage: conflict-desk batch --url URL (--data DIR | --token T) --connection NAME|ID
         (--ids ID,ID… | --ids-file FILE | --all [--filter NAME=VALUE]… [--search TEXT])
         (--set POINTER=JSON | --remove POINTER | --add POINTER=JSON | --drop POINTER=JSON | --patch FILE)…
         [--concurrency N] [--max-attempts N] [--dry-run] [--report csv|json] [-o FILE]

Runs a batch on a running Conflict Desk (\`npm run web\` prints its URL; its data directory holds
the script token in api-token, or pass --token / CONFLICT_DESK_TOKEN). Each target is read, changed
as the intents say and written conditionally on the revision read. Intents apply in order:
  --set /priority=7                 set a value (JSON; a bare word is taken as a string)
  --remove /attributes/tier         remove a path
  --add /attributes/skills=vip      add an element to an array unless it is there
  --drop /attributes/skills=vip     remove an element equal to the value
  --patch ops.json                  an RFC 6902 JSON Patch (test operations allowed)
--dry-run previews the change on the first five targets and writes nothing.
The report (CSV by default) goes to stdout or -o FILE; progress goes to stderr.`;

type Intent = Record<string, unknown>;
type Args = {
  url: string;
  token: string;
  connection: string;
  ids: string[] | null;
  all: boolean;
  filters: Record<string, string>;
  search: string | null;
  intents: Intent[];
  concurrency: number;
  maxAttempts: number;
  dryRun: boolean;
  report: 'csv' | 'json';
  out: string | null;
};

/**
 * A value on the command line: JSON when it parses, else the text as a string. Parsed losslessly
 * (an integer beyond 2^53 stays exact, as a bigint the request carries tagged).
 */
const valueOf = (text: string): unknown => {
  const parsed = parseJson(text);
  return parsed.ok ? parsed.value : text;
};

function pointerValue(arg: string, flag: string): { path: string; value: unknown } | string {
  const at = arg.indexOf('=');
  if (at < 0) return `${flag} needs POINTER=VALUE, got ${arg}`;
  const path = arg.slice(0, at);
  if (path !== '' && !path.startsWith('/'))
    return `${flag}: ${path} is not a JSON Pointer (it starts with /)`;
  return { path, value: valueOf(arg.slice(at + 1)) };
}

async function parseArgs(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<{ ok: true; value: Args } | { ok: false; error: string }> {
  const a: Partial<Args> & { filters: Record<string, string>; intents: Intent[] } = {
    filters: {},
    intents: [],
    concurrency: 4,
    maxAttempts: 3,
    dryRun: false,
    report: 'csv',
    out: null,
    all: false,
    search: null,
    ids: null,
  };
  let dataDir: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const next = (): string | undefined => argv[++i];
    const need = (v: string | undefined): string => {
      if (v === undefined) throw new UsageError(`${arg} needs a value`);
      return v;
    };
    try {
      switch (arg) {
        case '--url':
          a.url = need(next())
            .replace(/\/+$/, '')
            .replace(/\/\?token=.*$/, '');
          break;
        case '--token':
          a.token = need(next());
          break;
        case '--data':
          dataDir = need(next());
          break;
        case '--connection':
          a.connection = need(next());
          break;
        case '--ids':
          a.ids = need(next())
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean);
          break;
        case '--ids-file':
          a.ids = (await readFile(need(next()), 'utf8'))
            .split(/\r?\n/)
            .map((s) => s.trim())
            .filter(Boolean);
          break;
        case '--all':
          a.all = true;
          break;
        case '--filter': {
          const [name, ...rest] = need(next()).split('=');
          if (!name || rest.length === 0) throw new UsageError('--filter needs NAME=VALUE');
          // An empty value filters nothing: `--filter queue=$QUEUE` with QUEUE unset would
          // otherwise change every resource.
          if (!rest.join('=').trim())
            throw new UsageError(`--filter ${name}= has no value; nothing was changed`);
          a.filters[name] = rest.join('=');
          break;
        }
        case '--search':
          a.search = need(next());
          if (!a.search.trim()) throw new UsageError('--search has no text; nothing was changed');
          break;
        case '--set':
        case '--add':
        case '--drop': {
          const pv = pointerValue(need(next()), arg);
          if (typeof pv === 'string') throw new UsageError(pv);
          a.intents.push(
            arg === '--set'
              ? { kind: 'set', ...pv }
              : arg === '--add'
                ? { kind: 'add-element', ...pv }
                : {
                    kind: 'remove-element',
                    path: pv.path,
                    match: { by: 'value', value: pv.value },
                  },
          );
          break;
        }
        case '--remove':
          a.intents.push({ kind: 'remove', path: need(next()) });
          break;
        case '--patch': {
          const file = need(next());
          let ops: unknown;
          try {
            const parsed = parseJson(await readFile(file, 'utf8'));
            if (!parsed.ok)
              throw new UsageError(
                `--patch ${file}: not JSON (line ${parsed.error.line}, column ${parsed.error.column}: ${parsed.error.message})`,
              );
            ops = parsed.value;
          } catch (error) {
            if (error instanceof UsageError) throw error;
            throw new UsageError(`--patch ${file}: ${(error as Error).message}`);
          }
          if (!Array.isArray(ops))
            throw new UsageError(`--patch ${file}: a JSON Patch is an array of operations`);
          a.intents.push({ kind: 'json-patch', ops });
          break;
        }
        case '--concurrency':
          a.concurrency = Number(need(next()));
          break;
        case '--max-attempts':
          a.maxAttempts = Number(need(next()));
          break;
        case '--dry-run':
          a.dryRun = true;
          break;
        case '--report': {
          const v = need(next());
          if (v !== 'csv' && v !== 'json') throw new UsageError('--report is csv or json');
          a.report = v;
          break;
        }
        case '-o':
        case '--output':
          a.out = need(next());
          break;
        default:
          throw new UsageError(`unknown option ${arg}`);
      }
    } catch (error) {
      if (error instanceof UsageError) return { ok: false, error: error.message };
      return { ok: false, error: (error as Error).message };
    }
  }
  if (!a.token && dataDir) {
    try {
      a.token = (await readFile(path.join(dataDir, 'api-token'), 'utf8')).trim();
    } catch {
      return {
        ok: false,
        error: `no api-token in ${dataDir}: is Conflict Desk running with --data ${dataDir}?`,
      };
    }
  }
  a.token ??= env['CONFLICT_DESK_TOKEN'];
  a.url ??= env['CONFLICT_DESK_URL']?.replace(/\/+$/, '');
  if (!a.url)
    return {
      ok: false,
      error: '--url is required (the address `npm run web` prints, without its token)',
    };
  if (!a.token)
    return {
      ok: false,
      error:
        'a token is required: --data DIR (reads DIR/api-token), --token T or CONFLICT_DESK_TOKEN',
    };
  if (!a.connection)
    return { ok: false, error: '--connection is required (a connection name or id)' };
  if ((a.ids === null) === !a.all)
    return {
      ok: false,
      error: 'name the targets: --ids / --ids-file, or --all with optional --filter and --search',
    };
  if (a.intents.length === 0)
    return { ok: false, error: 'say what to change: --set, --remove, --add, --drop or --patch' };
  if (!Number.isInteger(a.concurrency) || a.concurrency! < 1 || a.concurrency! > 32)
    return { ok: false, error: '--concurrency is a whole number from 1 to 32' };
  return { ok: true, value: a as Args };
}

class UsageError extends Error {}

/**
 * 0 only when the batch's change is on the server everywhere it was needed: every target applied,
 * re-applied, skipped (nothing to change) or merged by hand from the conflict queue while the
 * command waited (a save that holds the change settles it so).
 */
export function batchExitCode(counts: Readonly<Record<string, number>>, total: number): 0 | 1 {
  const n = (status: string) => counts[status] ?? 0;
  return n('applied') + n('reapplied') + n('skipped') + n('merged') === total ? 0 : 1;
}

export async function runBatch(
  argv: readonly string[],
  io: CliIo,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  if (argv.includes('-h') || argv.includes('--help')) {
    io.stdout(`${BATCH_USAGE}\n`);
    return 0;
  }
  const parsed = await parseArgs(argv, env);
  if (!parsed.ok) {
    io.stderr(`conflict-desk batch: ${parsed.error}\n${BATCH_USAGE}\n`);
    return 2;
  }
  const args = parsed.value;
  let batchId: string | null = null;
  const call = async <T>(method: string, body: unknown): Promise<T> => {
    let res: Response;
    try {
      res = await fetch(`${args.url}/api/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-conflict-desk-token': args.token },
        body: encodeWire(body),
      });
    } catch (error) {
      throw new HostError(`cannot reach ${args.url}: ${(error as Error).message}`);
    }
    const answer = (await res.json().catch(() => null)) as {
      kind?: string;
      message?: string;
    } | null;
    if (res.status !== 200 || answer === null)
      throw new HostError(
        `${method}: the host answered ${res.status}${answer?.message ? ` — ${answer.message}` : ''}`,
      );
    if (answer.kind === 'error') throw new HostError(`${method}: ${answer.message ?? 'failed'}`);
    return answer as T;
  };
  try {
    const connections = await call<Array<{ id: string; name: string }>>('listConnections', {});
    // A part of a name must name one connection: the first of several would change resources
    // of a connection the operator did not name.
    const named = args.connection.toLowerCase();
    const like = connections.filter((c) => c.name.toLowerCase().includes(named));
    if (
      !connections.some((c) => c.id === args.connection || c.name === args.connection) &&
      like.length > 1
    )
      throw new HostError(
        `${args.connection} matches ${like.length} connections (${like.map((c) => c.name).join('; ')}); name one of them in full, or by id`,
      );
    const connection =
      connections.find((c) => c.id === args.connection) ??
      connections.find((c) => c.name === args.connection) ??
      like[0];
    if (!connection) throw new HostError(`no connection named ${args.connection}`);
    let ids = args.ids;
    if (args.all) {
      const all = await call<{ count: number; ids: string[]; truncated: boolean }>(
        'countMatching',
        {
          connectionId: connection.id,
          ...(Object.keys(args.filters).length ? { filters: args.filters } : {}),
          ...(args.search ? { search: args.search } : {}),
        },
      );
      if (all.truncated)
        throw new HostError(`more than ${all.count} resources match; narrow the filter`);
      io.stderr(`${all.count} resources match.\n`);
      ids = all.ids;
    }
    if (!ids || ids.length === 0) throw new HostError('no targets');
    if (args.dryRun) {
      const preview = await call<{
        previews: Array<{
          resourceId: string;
          kind: string;
          changedPaths?: string[];
          message?: string;
        }>;
      }>('previewBatch', {
        connectionId: connection.id,
        resourceIds: ids.slice(0, 5),
        intents: args.intents,
      });
      for (const p of preview.previews)
        io.stdout(
          `${p.resourceId}: ${p.kind === 'change' ? `would change ${p.changedPaths!.join(', ')}` : p.kind === 'no-change' ? 'no change' : `error: ${p.message}`}\n`,
        );
      io.stdout(`Dry run: ${ids.length} targets, nothing written.\n`);
      return 0;
    }
    const started = await call<{ batch: { batchId: string; total: number } }>('startBatch', {
      connectionId: connection.id,
      resourceIds: ids,
      intents: args.intents,
      concurrency: args.concurrency,
      maxAttempts: args.maxAttempts,
    });
    batchId = started.batch.batchId;
    io.stderr(`Batch ${batchId}: ${started.batch.total} targets, ${args.concurrency} at a time.\n`);
    type Summary = {
      state: string;
      total: number;
      counts: Record<string, number>;
      rate: number;
      writesSent: number;
    };
    let status: Summary;
    for (;;) {
      status = (await call<{ batch: Summary }>('batchStatus', { batchId })).batch;
      const done = status.total - status.counts['pending']! - status.counts['running']!;
      io.stderr(
        `\r${done}/${status.total} · ${status.rate}/s · applied ${status.counts['applied']! + status.counts['reapplied']!} · queued ${status.counts['queued']} · failed ${status.counts['failed']} · unknown ${status.counts['unknown']}   `,
      );
      if (status.state !== 'running') break;
      await new Promise((r) => setTimeout(r, 300));
    }
    io.stderr('\n');
    const report = await call<{ text: string }>('batchReport', { batchId, format: args.report });
    if (args.out) await writeFile(args.out, report.text);
    else io.stdout(report.text);
    const c = status.counts;
    const n = (status_: string) => c[status_] ?? 0;
    const notDone = n('pending') + n('running') + n('cancelled');
    io.stderr(
      `${status.state === 'done' ? 'Done' : `The batch is ${status.state}`}: ${n('applied')} applied, ${n('reapplied')} re-applied after a conflict, ${n('skipped')} skipped, ${n('queued')} queued, ${n('failed')} failed, ${n('unknown')} unknown${n('kept-theirs') ? `, ${n('kept-theirs')} kept the server's` : ''}${n('merged') ? `, ${n('merged')} merged by hand` : ''}${notDone ? `, ${notDone} not done (${n('cancelled')} cancelled, ${n('pending') + n('running')} waiting)` : ''}; ${status.writesSent} writes sent (each attempt counted).\n`,
    );
    // A stopped batch's queue takes no decision (the host refuses it): say so, not how to settle.
    const held = decisionRefused(status.state as BatchState);
    if (c['queued']! > 0)
      io.stderr(
        held
          ? `${held} (batch ${batchId})\n`
          : `Settle the queue in the app (Batches) or with the contract's batchQueue / settleBatchGroup (batch ${batchId}).\n`,
      );
    return batchExitCode(c, status.total);
  } catch (error) {
    if (error instanceof HostError && batchId !== null) {
      io.stderr(
        `\nconflict-desk batch: batch ${batchId} was started, then ${error.message}. Its writes go on in the host; their outcomes are in its report (the app, or the contract's batchStatus / batchReport).\n`,
      );
      return 1;
    }
    if (error instanceof HostError) {
      io.stderr(`conflict-desk batch: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

class HostError extends Error {}
