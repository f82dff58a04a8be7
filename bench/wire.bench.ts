// What the contract's answers weigh through the browser-mode host, per byte of the document the
// operator edits: openResource, and saveResource answering a conflict (someone else saved first).
// The bytes are the HTTP answer bodies as a script receives them (JSON) and as the page does
// (framed: the document after the JSON, unescaped; shared/api/wire.ts).
import { spawnSync } from 'node:child_process';
import { framedCaller, type Post } from '../shared/api/framed-call';
import { decodeBody, FRAMES_TYPE } from '../shared/api/wire';
import { Backend, callApi } from '../e2e/support/backend';
import { removeDataDir, startWebHost, type WebHost } from '../e2e/support/web-host';
import { bigDocument, fmtBytes } from './documents';

const SIZES: Array<[string, number]> = [
  ['1 KB', 1024],
  ['100 KB', 100 * 1024],
  ['1 MB', 1 << 20],
  ['5 MB', 5 << 20],
];
const TARGETS = { open: 1.2, conflict: 1.5 };

async function answerBytes(
  origin: string,
  token: string,
  method: string,
  args: unknown,
  framed = false,
): Promise<{ bytes: number; body: unknown }> {
  const res = await fetch(`${origin}/api/${method}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-conflict-desk-token': token,
      ...(framed ? { accept: `${FRAMES_TYPE}, application/json` } : {}),
    },
    body: JSON.stringify(args),
  });
  const raw = Buffer.from(await res.arrayBuffer());
  if (!res.ok)
    throw new Error(`${method} answered ${res.status}: ${raw.toString('utf8').slice(0, 300)}`);
  return {
    bytes: raw.length,
    body: decodeBody(raw.toString('utf8'), res.headers.get('content-type')),
  };
}

/**
 * The page's road (shared/api/framed-call.ts): the resource opened, later the stale edit saved,
 * the request a delta of the opened text and the conflict's Server now a delta of the request's.
 */
async function pageRoad(host: WebHost, ref: { connectionId: string; id: string }) {
  const bytes: Array<{ method: string; request: number; answer: number }> = [];
  const post: Post = async (method, encoded) => {
    const res = await fetch(`${host.origin}/api/${method}`, {
      method: 'POST',
      headers: {
        'content-type': encoded.type,
        accept: `${FRAMES_TYPE}, application/json`,
        'x-conflict-desk-token': host.apiToken,
      },
      body: encoded.text,
    });
    const text = await res.text();
    bytes.push({
      method,
      request: Buffer.byteLength(encoded.text),
      answer: Buffer.byteLength(text),
    });
    return { status: res.status, contentType: res.headers.get('content-type'), text };
  };
  let n = 0;
  const call = framedCaller(post, () => `bench-${++n}`);
  const opened = await call('openResource', { ref });
  const { journalId } = (opened.body as { snapshot: { journalId: number } }).snapshot;
  return {
    /** Saves `text` as an edit of the revision opened: its request and answer bytes. */
    async save(text: string): Promise<{ request: number; answer: number; kind: string }> {
      const saved = await call('saveResource', { ref, text, baseJournalId: journalId });
      const save = bytes.findLast((b) => b.method === 'saveResource')!;
      return {
        request: save.request,
        answer: save.answer,
        kind: (saved.body as { kind: string }).kind,
      };
    },
  };
}

export async function run(): Promise<void> {
  // Always built (a few seconds): a stale out/ would measure code that is no longer there.
  if (spawnSync('npx', ['electron-vite', 'build'], { stdio: 'inherit' }).status !== 0)
    throw new Error('build failed');
  const host = await startWebHost();
  try {
    const backend = await Backend.of(host);
    const tickets = backend.connection('tickets');
    const rows: string[] = [];
    for (const [label, bytes] of SIZES) {
      const id = `wire-${bytes}`;
      const doc = bigDocument(bytes, id);
      const created = await fetch(`${backend.sandboxUrl}/rest/tickets`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(doc),
      });
      if (created.status !== 201)
        throw new Error(`could not create the ${label} ticket: ${created.status}`);
      const ref = { connectionId: tickets.id, id };
      const open = await answerBytes(host.origin, host.apiToken, 'openResource', { ref });
      const pageOpen = await pageRoad(host, ref);
      const snapshot = (open.body as { snapshot: { text: string; journalId: number } }).snapshot;
      const docBytes = Buffer.byteLength(snapshot.text);
      // Someone else changes the status; the operator edits the subject against the old revision.
      await backend.editAsSomeoneElse(`/rest/tickets/${id}`, { status: 'solved' });
      const mine = snapshot.text.replace(
        `"subject": "Ticket of ${bytes} bytes"`,
        `"subject": "Edited ticket of ${bytes} bytes"`,
      );
      const stale = { ref, text: mine, baseJournalId: snapshot.journalId };
      const save = await answerBytes(host.origin, host.apiToken, 'saveResource', stale);
      const kind = (save.body as { kind: string }).kind;
      // The same answers as the page asks for them (the stale save is refused again).
      const openFramed = await answerBytes(
        host.origin,
        host.apiToken,
        'openResource',
        { ref },
        true,
      );
      const saveFramed = await answerBytes(host.origin, host.apiToken, 'saveResource', stale, true);
      const page = await pageOpen.save(mine);
      const openRatio = open.bytes / docBytes;
      const saveRatio = save.bytes / docBytes;
      const verdict = (ok: boolean) => (ok ? 'meets' : 'MISSES');
      const ratio = (n: number) => `${fmtBytes(n)} = ${(n / docBytes).toFixed(2)}×`;
      rows.push(
        `| ${label} (document ${fmtBytes(docBytes)}) | ${fmtBytes(open.bytes)} = ${openRatio.toFixed(2)}× (${verdict(openRatio <= TARGETS.open)} ≤ ${TARGETS.open}×) | ${kind}: ${fmtBytes(save.bytes)} = ${saveRatio.toFixed(2)}× (${verdict(saveRatio <= TARGETS.conflict)} ≤ ${TARGETS.conflict}×) | ${ratio(openFramed.bytes)} · ${(saveFramed.body as { kind: string }).kind}: ${ratio(saveFramed.bytes)} | ${ratio(page.request)} · ${page.kind}: ${ratio(page.answer)} |`,
      );
    }
    console.log(
      '\nAnswer bytes per document byte (browser-mode host, HTTP answer bodies; document = the pretty text the operator edits)',
    );
    console.log(
      "| document | openResource answer (JSON) | conflicting saveResource answer (JSON) | the page's framed open · conflict answers | the page's save request · its conflict answer, as deltas |",
    );
    console.log('|---|---|---|---|---|');
    for (const row of rows) console.log(row);
    await callApi(host, 'appInfo', {});
  } finally {
    await host.stop();
    removeDataDir(host.dataDir);
  }
}
