// Long texts between the page and its host as deltas (shared/api/wire.ts, framed-call.ts), through
// the real web host, backend and sandbox: a save of an opened document's edit crosses as the
// lines it changed and writes exactly the edit; a conflict's Server now comes back as a delta of
// the text saved; a delta of a text the host does not hold is refused before anything is written
// and the call goes again whole, once; deltas standing for more than a body may carry are refused
// before they are built.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { framedCaller, type Post } from '../../shared/api/framed-call';
import type { SaveResult, Snapshot } from '../../shared/api/types';
import { textCheck } from '../../shared/api/text-delta';
import { decodeWire, encodeWire, FRAMES_TYPE } from '../../shared/api/wire';
import { startHarness, type Harness } from '../test-support/desk-harness';
import { startWebHost, type RunningWebHost } from './server';

const SCRIPT_TOKEN = 'f'.repeat(64);
const ARTICLE_PATH = '/rest/articles/article-1';
const PAGE_ACCEPT = `${FRAMES_TYPE}, application/json`;

let h: Harness;
let host: RunningWebHost;
/** A second host on the same backend: it holds none of the texts the first one sent. */
let other: RunningWebHost;
beforeAll(async () => {
  h = await startHarness();
  const options = { service: h.desk.api, rendererDir: h.dataDir, scriptToken: SCRIPT_TOKEN };
  host = await startWebHost(options);
  other = await startWebHost(options);
});
afterAll(async () => {
  await host.close();
  await other.close();
  await h.close();
});
beforeEach(async () => {
  await h.admin('POST', '/reset', { seed: 'demo' });
});

type Sent = { method: string; port: number; bytes: number; status: number; answer: number };

/** A page-like caller whose POSTs go to `target.port`, each recorded in `sent`. */
function pageCaller(target: { port: number }, sent: Sent[]) {
  const post: Post = async (method, encoded) => {
    const port = target.port;
    const res = await fetch(`http://127.0.0.1:${port}/api/${method}`, {
      method: 'POST',
      headers: {
        'content-type': encoded.type,
        accept: PAGE_ACCEPT,
        'x-conflict-desk-token': SCRIPT_TOKEN,
      },
      body: encoded.text,
    });
    const text = await res.text();
    sent.push({
      method,
      port,
      bytes: encoded.text.length,
      status: res.status,
      answer: text.length,
    });
    return { status: res.status, contentType: res.headers.get('content-type'), text };
  };
  let n = 0;
  return framedCaller(post, () => `p-test-${++n}`);
}

/** What a script gets for the same call: plain JSON both ways. */
async function scriptCall(method: string, args: unknown): Promise<unknown> {
  const res = await fetch(`http://127.0.0.1:${host.port}/api/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-conflict-desk-token': SCRIPT_TOKEN },
    body: encodeWire(args),
  });
  return decodeWire(await res.text());
}

/** Article-1 grown to about 400 KB, so that its text is long enough to cross as a delta. */
async function bigArticle() {
  const rows = Array.from({ length: 6000 }, (_, i) => ({ uuid: `u-${i}`, label: `row ${i} 🎉` }));
  expect((await h.admin('POST', '/edit', { path: ARTICLE_PATH, patch: { rows } })).status).toBe(
    200,
  );
  return h.ref('articles', 'article-1');
}

async function sandboxWrites(): Promise<number> {
  const res = await fetch(`${h.sandbox.url}/_sandbox/requests?pathPrefix=${ARTICLE_PATH}`);
  const { requests } = (await res.json()) as { requests: Array<{ method: string }> };
  return requests.filter((r) => r.method !== 'GET' && r.method !== 'HEAD').length;
}

describe('texts between the page and its host as deltas', () => {
  it('a save of an opened document crosses as its changes and writes exactly the edit', async () => {
    const ref = await bigArticle();
    const sent: Sent[] = [];
    const call = pageCaller(host, sent);
    const opened = await call('openResource', { ref });
    const snapshot = (opened.body as { snapshot: Snapshot }).snapshot;
    expect(snapshot.text.length).toBeGreaterThan(300_000);
    const text = snapshot.text.replace('"row 4000 🎉"', '"row four thousand"');
    expect(text).not.toBe(snapshot.text);
    // As in the window: the draft of the edit goes first, then the save of the same text, each a
    // delta (the save's of the draft the host received).
    const draft = { ref, text, baseRevision: snapshot.revision, baseJournalId: snapshot.journalId };
    expect((await call('saveDraft', draft)).status).toBe(200);
    const saved = await call('saveResource', { ref, text, baseJournalId: snapshot.journalId });
    expect((saved.body as SaveResult).kind).toBe('saved');
    const save = sent.find((s) => s.method === 'saveResource')!;
    expect(sent.map((s) => s.status)).toEqual([200, 200, 200]);
    expect(sent.find((s) => s.method === 'saveDraft')!.bytes).toBeLessThan(text.length / 50);
    expect(save.bytes).toBeLessThan(1000);
    // The server holds the edit: read again, the document is the edit's, character for character.
    expect((await h.open(ref)).text).toBe(text);
    // The next edit of it crosses as a delta of the text just saved, which the host kept.
    const next = text.replace('"row 5000 🎉"', '"row five thousand"');
    const journalId = (await h.open(ref)).journalId;
    const again = await call('saveResource', { ref, text: next, baseJournalId: journalId });
    expect((again.body as SaveResult).kind).toBe('saved');
    const saves = sent.filter((s) => s.method === 'saveResource');
    expect(saves.map((s) => s.status)).toEqual([200, 200]);
    expect(saves[1]!.bytes).toBeLessThan(text.length / 50);
    expect((await h.open(ref)).text).toBe(next);
  });

  it("a conflict's Server now comes back as a delta of the text saved, the same as a script reads it", async () => {
    const ref = await bigArticle();
    const sent: Sent[] = [];
    const call = pageCaller(host, sent);
    const snapshot = ((await call('openResource', { ref })).body as { snapshot: Snapshot })
      .snapshot;
    expect(
      (await h.admin('POST', '/edit', { path: ARTICLE_PATH, patch: { status: 'x' } })).status,
    ).toBe(200);
    const text = snapshot.text.replace('"row 10 🎉"', '"row ten"');
    const args = { ref, text, baseJournalId: snapshot.journalId };
    const answer = await call('saveResource', args);
    const conflict = answer.body as SaveResult;
    if (conflict.kind !== 'conflict') throw new Error(`expected a conflict: ${conflict.kind}`);
    const script = (await scriptCall('saveResource', args)) as SaveResult;
    if (script.kind !== 'conflict') throw new Error(`expected a conflict: ${script.kind}`);
    expect(conflict.theirs.text).toBe(script.theirs.text);
    expect(conflict.theirs.text).toContain('"status": "x"');
    const save = sent.find((s) => s.method === 'saveResource')!;
    expect(save.bytes).toBeLessThan(text.length / 50);
    expect(save.answer).toBeLessThan(conflict.theirs.text.length / 20);
  });

  it('a delta of a text the host does not hold is refused before any write, then sent whole once', async () => {
    const ref = await bigArticle();
    const sent: Sent[] = [];
    const target = { port: host.port };
    const call = pageCaller(target, sent);
    const snapshot = ((await call('openResource', { ref })).body as { snapshot: Snapshot })
      .snapshot;
    const writesBefore = await sandboxWrites();
    // The page's next call reaches a host that never sent that text (as after a restart).
    target.port = other.port;
    const text = snapshot.text.replace('"row 20 🎉"', '"row twenty"');
    const saved = await call('saveResource', { ref, text, baseJournalId: snapshot.journalId });
    expect((saved.body as SaveResult).kind).toBe('saved');
    const saves = sent.filter((s) => s.method === 'saveResource');
    expect(saves.map((s) => s.status)).toEqual([409, 200]);
    expect(saves[0]!.bytes).toBeLessThan(text.length / 50);
    expect(saves[1]!.bytes).toBeGreaterThan(text.length);
    expect(await sandboxWrites()).toBe(writesBefore + 1);
    expect((await h.open(ref)).text).toBe(text);
  });

  it('deltas standing for more than a body may carry are refused before they are built', async () => {
    const ref = await bigArticle();
    const { text, journalId } = await h.open(ref);
    const post = (body: string) =>
      fetch(`http://127.0.0.1:${host.port}/api/saveResource`, {
        method: 'POST',
        headers: {
          'content-type': FRAMES_TYPE,
          accept: PAGE_ACCEPT,
          'x-conflict-desk-token': SCRIPT_TOKEN,
        },
        body,
      });
    // The host keeps the text under the id its frame carried.
    const kept = { path: ['text'], length: text.length, id: 'p-kept' };
    const env = encodeWire({ ref, text: null, baseJournalId: journalId });
    expect((await post(`${JSON.stringify({ frames: [kept] })}\n${env}\n${text}`)).status).toBe(200);
    const writes = await sandboxWrites();
    // 200 frames of a few hundred bytes, each the whole of that text: 80 M characters rebuilt from
    // 30 KB, over the 64 MiB the host takes.
    const parts = [
      [0, 1000],
      [1000, text.length],
    ];
    const delta = { base: 'p-kept', size: text.length, check: textCheck(text), parts };
    const frames = Array.from({ length: 200 }, (_, i) => ({ path: ['pad', i], length: 0, delta }));
    const pad = Array(200).fill(null);
    const args = encodeWire({ ref, text: 'x', baseJournalId: journalId, pad });
    const res = await post(`${JSON.stringify({ frames })}\n${args}\n`);
    expect(res.status).toBe(409);
    expect(((await res.json()) as { message: string }).message).toMatch(/add up to more than/);
    expect(await sandboxWrites()).toBe(writes);
  });
});
