// Review of 6ea40dd through the real web host, a real backend and the real sandbox: framed bodies
// (the page's road) against plain JSON (the scripts' road), the lazily merged conflict answers,
// and a hostile script posting framed bodies to every contract method.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { apiMethodNames } from '../../shared/api/contract';
import type { FullConflictOutcome, SaveResult } from '../../shared/api/types';
import {
  decodeFrames,
  decodeWire,
  encodeFrames,
  encodeWire,
  FRAMES_TYPE,
} from '../../shared/api/wire';
import {
  merge3,
  onlyOtherFieldsChanged,
  parseJson,
  PRETTY,
  stringifyJson,
  type JsonValue,
} from '../../shared/json';
import { startHarness, type Harness } from '../test-support/desk-harness';
import { startWebHost, type RunningWebHost } from './server';

const SCRIPT_TOKEN = 'e'.repeat(64);
const ARTICLE_PATH = '/rest/articles/article-1';

let h: Harness;
let host: RunningWebHost;
beforeAll(async () => {
  h = await startHarness();
  host = await startWebHost({
    service: h.desk.api,
    rendererDir: h.dataDir,
    scriptToken: SCRIPT_TOKEN,
  });
});
afterAll(async () => {
  await host.close();
  await h.close();
});
beforeEach(async () => {
  await h.admin('POST', '/reset', { seed: 'demo' });
});

type Answer = { status: number; type: string; text: string };

/** One POST as the page makes it (framed: true) or as a script makes it. */
async function post(
  method: string,
  args: unknown,
  how: { framed?: boolean; accept?: string; body?: string; type?: string } = {},
): Promise<Answer> {
  const framed = how.framed ? encodeFrames(args) : undefined;
  if (how.framed && framed === undefined) throw new Error('expected the arguments to be framed');
  const res = await fetch(`http://127.0.0.1:${host.port}/api/${method}`, {
    method: 'POST',
    headers: {
      'content-type': how.type ?? (framed === undefined ? 'application/json' : FRAMES_TYPE),
      'x-conflict-desk-token': SCRIPT_TOKEN,
      ...(how.accept !== undefined ? { accept: how.accept } : {}),
    },
    body: how.body ?? framed ?? encodeWire(args),
  });
  return {
    status: res.status,
    type: res.headers.get('content-type') ?? '',
    text: await res.text(),
  };
}

const read = (answer: Answer): unknown =>
  answer.type.startsWith(FRAMES_TYPE) ? decodeFrames(answer.text) : decodeWire(answer.text);

const PAGE_ACCEPT = `${FRAMES_TYPE}, application/json`;

const parse = (text: string): JsonValue => {
  const parsed = parseJson(text);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
};

// Rows enough for every document text to be over the 32 K frame threshold.
const rows = Array.from({ length: 800 }, (_, i) => ({
  uuid: `u-${i}`,
  label: `row ${i} — "quoted" \\ 🎉 \u2028`,
}));

/** Opens article-1 grown past the threshold, lets a colleague change `theirs`, edits with `mine`. */
async function staleEdit(
  theirs: Record<string, unknown>,
  mine: Record<string, unknown>,
): Promise<{ ref: { connectionId: string; id: string }; baseJournalId: number; text: string }> {
  expect((await h.admin('POST', '/edit', { path: ARTICLE_PATH, patch: { rows } })).status).toBe(
    200,
  );
  const ref = await h.ref('articles', 'article-1');
  const base = await h.open(ref);
  expect(base.text.length).toBeGreaterThan(32 * 1024);
  expect((await h.admin('POST', '/edit', { path: ARTICLE_PATH, patch: theirs })).status).toBe(200);
  const doc = { ...(JSON.parse(base.text) as Record<string, unknown>), ...mine };
  return { ref, baseJournalId: base.journalId, text: JSON.stringify(doc, null, 2) };
}

/** The merge of a full conflict answer's own three documents, made here with merge3 directly. */
function expectTheMergeOf(full: FullConflictOutcome): void {
  const direct = merge3(
    parse(full.base.text),
    parse(full.mine),
    parse(full.theirs.text),
    full.mergeOptions.idKeys ? { idKeys: full.mergeOptions.idKeys } : {},
  );
  expect(full.merged).toBe(stringifyJson(direct.merged, PRETTY));
  expect(full.conflicts).toEqual(
    direct.conflicts.map(({ id, path, kind, base, mine, theirs }) => ({
      id,
      path,
      kind,
      base,
      mine,
      theirs,
    })),
  );
  expect(full.changes).toEqual(direct.changes.map(({ path, side, op }) => ({ path, side, op })));
  expect(full.onlyOtherFieldsChanged).toBe(onlyOtherFieldsChanged(direct));
}

describe('conflict answers over the web host, framed and plain', () => {
  for (const [label, theirs, mine, flag] of [
    ['the server changed another field', { status: 'archived' }, { title: 'Mine' }, true],
    ['both changed the title differently', { title: 'Theirs' }, { title: 'Mine' }, false],
    ['both made the same change', { title: 'Same' }, { title: 'Same', status: 'x' }, false],
  ] as const) {
    it(`${label}: a full answer (save and force save) carries the merge merge3 makes; the lean one none`, async () => {
      const edit = await staleEdit(theirs, mine);
      for (const method of ['saveResource', 'forceSave'] as const) {
        const args =
          method === 'saveResource'
            ? { ref: edit.ref, text: edit.text, baseJournalId: edit.baseJournalId, full: true }
            : { ref: edit.ref, text: edit.text, overJournalId: edit.baseJournalId, full: true };
        const framed = await post(method, args, { framed: true, accept: PAGE_ACCEPT });
        const plain = await post(method, args);
        expect([framed.status, plain.status]).toEqual([200, 200]);
        expect(framed.type).toMatch(new RegExp(`^${FRAMES_TYPE}`));
        expect(plain.type).toMatch(/^application\/json/);
        const fromPage = read(framed) as FullConflictOutcome;
        const fromScript = read(plain) as FullConflictOutcome;
        expect(fromPage.kind, framed.text.slice(0, 300)).toBe('conflict');
        expectTheMergeOf(fromPage);
        expectTheMergeOf(fromScript);
        expect(fromPage.onlyOtherFieldsChanged).toBe(flag);
        // The same answer either way, but for the audit row each call writes and when Server now was read.
        const comparable = (c: FullConflictOutcome) => ({
          ...c,
          auditId: 0,
          theirs: { ...c.theirs, seenAt: '' },
          base: { ...c.base, seenAt: '' },
        });
        expect(comparable(fromPage)).toEqual(comparable(fromScript));
        // The lean answer (the page's): no merge members; the flag the page derives from its own
        // merge of the same three documents is the full answer's.
        const leanArgs = { ...args, full: undefined };
        const lean = read(await post(method, leanArgs, { framed: true, accept: PAGE_ACCEPT })) as
          SaveResult | undefined;
        if (lean?.kind !== 'conflict') throw new Error(`expected a conflict: ${encodeWire(lean)}`);
        for (const member of ['merged', 'conflicts', 'changes', 'onlyOtherFieldsChanged', 'base'])
          expect(lean).not.toHaveProperty(member);
        const pageMerge = merge3(
          parse(fromPage.base.text),
          parse(edit.text),
          parse(lean.theirs.text),
          lean.mergeOptions.idKeys ? { idKeys: lean.mergeOptions.idKeys } : {},
        );
        expect(onlyOtherFieldsChanged(pageMerge)).toBe(flag);
      }
    });
  }
});

describe('an answer with bigints and framed strings', () => {
  it('a conflict over a big integer comes back framed exactly as plain JSON and merge3 give it', async () => {
    const edit = await staleEdit({ title: 'Theirs' }, { title: 'Mine' });
    // Mine holds an integer beyond 2^53 (a bigint once parsed): the answer tags it in the JSON
    // line while the document texts travel as frames.
    const text = edit.text.replace('"title": "Mine"', '"title": 123456789012345678901234567890');
    expect(text).not.toBe(edit.text);
    const args = { ref: edit.ref, text, baseJournalId: edit.baseJournalId, full: true };
    const framed = await post('saveResource', args, { framed: true, accept: PAGE_ACCEPT });
    expect(framed.type).toMatch(new RegExp(`^${FRAMES_TYPE}`));
    const [header, message] = framed.text.split('\n', 2);
    expect(header).toMatch(/"frames"/);
    expect(message).toContain('$conflictDeskBigInt');
    const fromPage = read(framed) as FullConflictOutcome;
    expectTheMergeOf(fromPage);
    expect(fromPage.conflicts.map((c) => [c.path, c.mine])).toEqual([
      ['/title', 123456789012345678901234567890n],
    ]);
    const fromScript = read(await post('saveResource', args)) as FullConflictOutcome;
    expect(fromPage.conflicts).toEqual(fromScript.conflicts);
    expect(fromPage.merged).toBe(fromScript.merged);
    expect(fromPage.mine).toBe(text);
  });
});

describe('a hostile script posting framed bodies', () => {
  it('gets a 4xx naming the problem from every contract method, never a 500, and nothing written', async () => {
    const big = 'x'.repeat(40 * 1024);
    const bodies: Array<[string, string]> = [
      ['no message line', '{"frames":[{"path":["text"],"length":1}]}'],
      ['a header that is not JSON', `{"frames":\n{}\n`],
      ['a frame into nothing', `{"frames":[{"path":["nope"],"length":1}]}\n{}\nx`],
      ['a frame through a string', `{"frames":[{"path":["a","b"],"length":1}]}\n{"a":"s"}\nx`],
      [
        'overlapping frames',
        `{"frames":[{"path":["a"],"length":1},{"path":["a"],"length":1}]}\n{"a":null}\nxy`,
      ],
      ['a frame at __proto__', `{"frames":[{"path":["__proto__"],"length":1}]}\n{}\nx`],
      [
        'a frame deeper than 5',
        `{"frames":[{"path":["a","b","c","d","e","f"],"length":1}]}\n{}\nx`,
      ],
      [
        'lengths that do not add up',
        `{"frames":[{"path":["text"],"length":5}]}\n{"text":null}\nxy`,
      ],
      ['a frame on a non-object message', `{"frames":[{"path":[0],"length":1}]}\n"s"\nx`],
      [
        'a framed string where an object belongs',
        `{"frames":[{"path":["ref"],"length":${big.length}}]}\n{"ref":null}\n${big}`,
      ],
      [
        'a framed array of arguments',
        `{"frames":[{"path":[0],"length":${big.length}}]}\n[null]\n${big}`,
      ],
    ];
    const problems: string[] = [];
    for (const method of apiMethodNames) {
      for (const [name, body] of bodies) {
        const answer = await post(method, null, { body, type: FRAMES_TYPE });
        const message = (JSON.parse(answer.text) as { message?: unknown }).message;
        if (answer.status < 400 || answer.status >= 500 || typeof message !== 'string' || !message)
          problems.push(`${method}, ${name}: ${answer.status} ${answer.text.slice(0, 200)}`);
      }
    }
    expect(problems).toEqual([]);
    // Nothing reached the upstream as a write.
    const log = await h.admin<{ requests: Array<{ method: string }> }>('GET', '/requests');
    expect(log.body.requests.filter((r) => r.method !== 'GET')).toEqual([]);
  });
});

describe('who gets a framed answer', () => {
  it('a request that refuses the framed type (q=0) gets plain JSON', async () => {
    // RFC 9110 §12.4.2: a weight of 0 means "not acceptable". A script that says so, or sends
    // `application/json` with the framed type explicitly refused, must not receive a framed body.
    const edit = await staleEdit({ title: 'Theirs' }, { title: 'Mine' });
    const args = { ref: edit.ref, text: edit.text, baseJournalId: edit.baseJournalId, full: true };
    const refused = await post('saveResource', args, {
      accept: `application/json, ${FRAMES_TYPE};q=0`,
    });
    expect(refused.status).toBe(200);
    expect(refused.type).toMatch(/^application\/json/);
  });
});
