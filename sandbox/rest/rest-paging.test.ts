// Hang guard: paging through a large REST collection. Each page listed the whole collection (a row
// object per item) and sliced it, so reading every page was quadratic: 80,000 items at 500 a page
// took about 84 s. Speed itself is the bench's.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../index';
import { openStore } from '../store';
import { call, start } from '../test-support';
import { REST } from './routes';

const N = 80_000;
type Page = { items: Array<{ n: number }>; total: number; next: string | null };
const dir = mkdtempSync(join(tmpdir(), 'rest-paging-'));
let sb: RunningSandbox;

beforeAll(async () => {
  const file = join(dir, 'sandbox.db');
  const store = openStore(file);
  store.transaction(() => {
    for (let i = 0; i < N; i++) store.insert(REST, 'tickets', `t${i}`, { id: `t${i}`, n: i }, 1);
    store.setSetting('seed', 'none');
  });
  store.close();
  sb = await start({ data: file });
}, 60_000);
afterAll(async () => {
  await sb?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a REST collection of 80,000 items', () => {
  it('is read page by page, every item once and in order', async () => {
    let seen = 0;
    let url: string | null = `${sb.url}/rest/tickets?page=1&pageSize=500`;
    while (url !== null) {
      const page: Page = (await call(sb, 'GET', url.slice(sb.url.length))).json<Page>();
      expect(page.total).toBe(N);
      expect(page.items.map((item) => item.n)).toEqual(
        Array.from({ length: page.items.length }, (_, i) => seen + i),
      );
      seen += page.items.length;
      url = page.next;
    }
    expect(seen).toBe(N);
    const past = (await call(sb, 'GET', '/rest/tickets?page=1000000&pageSize=500')).json<{
      items: unknown[];
    }>();
    expect(past.items).toEqual([]);
    const collections = (await call(sb, 'GET', '/rest')).json<{
      collections: Array<{ name: string; count: number }>;
    }>();
    expect(collections.collections.find((c) => c.name === 'tickets')?.count).toBe(N);
  }, 20_000);
});
