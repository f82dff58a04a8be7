// Lost updates, made deterministic: every writer reads before any writer writes (a barrier).
// With If-Match and retry the final count is exact; without it increments are lost.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningSandbox } from './index';
import { SANDBOX_IDS } from './index';
import { admin, call, start, twilioCall } from './test-support';

let sb: RunningSandbox;
beforeAll(async () => {
  sb = await start();
});
afterAll(async () => {
  await sb.close();
});
beforeEach(async () => {
  await admin(sb, 'POST', '/reset', { seed: 'demo' });
});

const WRITERS = 16;
const INCREMENTS = 4;

function barrier(parties: number): () => Promise<void> {
  let waiting = 0;
  let release!: () => void;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  return () => {
    waiting++;
    if (waiting === parties) release();
    return gate;
  };
}

/** A counter behind one of the families: read returns value + tag, write sends it back conditionally. */
type Counter = {
  read(): Promise<{ value: number; tag: string }>;
  write(value: number, ifMatch: string | null): Promise<number>;
};

const restCounter: Counter = {
  async read() {
    const res = await call(sb, 'GET', '/rest/tickets/counter');
    return { value: res.json<{ count: number }>().count, tag: res.headers.get('etag') as string };
  },
  async write(value, ifMatch) {
    const res = await call(sb, 'PATCH', '/rest/tickets/counter', {
      json: { count: value },
      headers: ifMatch === null ? {} : { 'if-match': ifMatch },
    });
    return res.status;
  },
};

const TASK = `/taskrouter/v1/Workspaces/${SANDBOX_IDS.workspaceSid}/Tasks/${SANDBOX_IDS.taskSid}`;
const taskCounter: Counter = {
  async read() {
    const res = await twilioCall(sb, 'GET', TASK);
    const attributes = JSON.parse(res.json<{ attributes: string }>().attributes) as {
      count?: number;
    };
    return { value: attributes.count ?? 0, tag: res.headers.get('etag') as string };
  },
  async write(value, ifMatch) {
    const current = JSON.parse(
      (await twilioCall(sb, 'GET', TASK)).json<{ attributes: string }>().attributes,
    ) as Record<string, unknown>;
    const res = await twilioCall(sb, 'POST', TASK, {
      form: { Attributes: JSON.stringify({ ...current, count: value }) },
      headers: ifMatch === null ? {} : { 'if-match': ifMatch },
    });
    return res.status;
  },
};

async function run(counter: Counter, conditional: boolean): Promise<{ conflicts: number }> {
  const firstRead = barrier(WRITERS);
  let conflicts = 0;
  await Promise.all(
    Array.from({ length: WRITERS }, async () => {
      for (let i = 0; i < (conditional ? INCREMENTS : 1); i++) {
        for (let attempt = 0; ; attempt++) {
          const { value, tag } = await counter.read();
          if (i === 0 && attempt === 0) await firstRead();
          const status = await counter.write(value + 1, conditional ? tag : null);
          if (status === 200) break;
          expect(status).toBe(412);
          conflicts++;
          if (attempt > 500) throw new Error('writer starved');
        }
      }
    }),
  );
  return { conflicts };
}

describe.each([
  ['REST (lenient collection, If-Match = weak ETag)', restCounter, 'rest'],
  ['TaskRouter task attributes (If-Match = version)', taskCounter, 'task'],
] as const)('%s', (_name, counter, kind) => {
  beforeEach(async () => {
    // tickets answers 409 by default; make it 412 so both families share one retry rule.
    await admin(sb, 'PATCH', '/switches', {
      rest: { collections: { tickets: { conflictStatus: 412 } } },
    });
    if (kind === 'rest')
      expect(
        (await call(sb, 'POST', '/rest/tickets', { json: { id: 'counter', count: 0 } })).status,
      ).toBe(201);
  });

  it(`${WRITERS} writers with If-Match and retry end at exactly ${WRITERS * INCREMENTS}`, async () => {
    const { conflicts } = await run(counter, true);
    expect((await counter.read()).value).toBe(WRITERS * INCREMENTS);
    // All writers held the same revision in round one: exactly one of them can have won it.
    expect(conflicts).toBeGreaterThanOrEqual(WRITERS - 1);
  });

  it(`${WRITERS} writers without If-Match lose updates`, async () => {
    await run(counter, false);
    const final = (await counter.read()).value;
    expect(final).toBeLessThan(WRITERS);
    expect(final).toBe(1);
  });
});

it('concurrent conditional writes against one revision have exactly one winner', async () => {
  const etag = (await call(sb, 'GET', '/rest/articles/article-2')).headers.get('etag') as string;
  const strongTag = etag.replace(/^W\//, '');
  const statuses = await Promise.all(
    Array.from({ length: 32 }, (_, i) =>
      call(sb, 'PATCH', '/rest/articles/article-2', {
        json: { title: `writer ${i}` },
        headers: { 'if-match': strongTag },
      }).then((r) => r.status),
    ),
  );
  expect(statuses.filter((s) => s === 200)).toHaveLength(1);
  expect(statuses.filter((s) => s === 412)).toHaveLength(31);
  const history = (
    await admin(sb, 'GET', `/history?path=${encodeURIComponent('/rest/articles/article-2')}`)
  ).json<{ revisions: unknown[] }>();
  expect(history.revisions).toHaveLength(2);
});
