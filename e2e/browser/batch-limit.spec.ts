// "Batch edit all matching…" on a list longer than a batch may be: the page says so rather than
// offering to run on the first 10,000 as if they were all. A real loopback server lists 10,050.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '../support/fixtures';
import { callApi } from '../support/backend';

test('more resources match than a batch takes: the count is not shown as all of them', async ({
  desk,
  host,
  page,
}) => {
  const TOTAL = 10_050;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const pageNo = Number(url.searchParams.get('page') ?? 1);
    const size = Number(url.searchParams.get('pageSize') ?? 50);
    const from = (pageNo - 1) * size;
    const items = Array.from({ length: Math.max(0, Math.min(size, TOTAL - from)) }, (_, i) => ({
      id: `t${from + i}`,
      title: `Thing ${from + i}`,
    }));
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ items, total: TOTAL }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const saved = await callApi<{ kind: string }>(host, 'saveConnection', {
      connection: {
        name: 'Long list',
        profileId: 'rest-etag',
        baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        params: { collection: 'things' },
        auth: { kind: 'none' },
      },
    });
    expect(saved.kind).toBe('ok');
    await desk.goto();
    await desk.selectConnection('Long list');
    await page.getByTestId('batch-all').click();
    const view = page.getByTestId('batch-view');
    await expect(view.getByRole('alert')).toHaveText(
      'More than 10,000 resources match: a batch takes at most 10,000. Narrow the filter or search, or tick rows.',
      { timeout: 30_000 },
    );
    await expect(view.getByTestId('batch-scope')).toHaveText('Long list · Generic REST (ETag)');
    await expect(view.getByTestId('batch-run')).toHaveCount(0);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});
