// Review of 6ea40dd in the real page: document texts past the 32 K frame threshold, holding
// characters that JSON escapes or that UTF-8 carries in several bytes (quotes, backslashes, an
// astral pair, a BOM, an escaped NUL), go out as a framed save (a Blob above 256 K) and come
// back as a framed conflict answer. The merge the page builds must say "only other fields
// changed" exactly when the server's change missed the operator's fields, and the saved result
// must hold every character as it was.
import { bigDocument } from '../../bench/documents';
import { Backend } from '../support/backend';
import type { DeskPage } from '../support/desk-page';
import { expect, test } from '../support/fixtures';

const TRICKY =
  '\uFEFFBOM first, "quoted", back\\slash, astral 🎉𝄞, é, NUL \u0000 escaped, end\uFEFF';

async function createTicket(backend: Backend, id: string, bytes: number) {
  const doc = bigDocument(bytes, id);
  doc['subject'] = `Framed ${id}`;
  doc['tricky'] = TRICKY;
  const items = doc['items'] as Array<Record<string, unknown>>;
  items[0]!['notes'] = TRICKY;
  const created = await fetch(`${backend.sandboxUrl}/rest/tickets`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(doc),
  });
  expect(created.status).toBe(201);
  return { doc, items };
}

/** Opens the ticket in the page and puts `change(mine)` in its editor, unsaved. */
async function editTicket(
  desk: DeskPage,
  id: string,
  created: { doc: Record<string, unknown>; items: Array<Record<string, unknown>> },
  change: (mine: Record<string, unknown>) => void,
): Promise<void> {
  await desk.goto();
  await desk.selectConnection('tickets');
  await desk.page.getByTestId('search').fill(`Framed ${id}`);
  await desk.openResource(id);
  const mine: Record<string, unknown> = {
    ...created.doc,
    items: created.items.map((item) => ({ ...item })),
  };
  delete mine['id'];
  change(mine);
  await desk.replaceText('editor', JSON.stringify(mine, null, 2));
  await expect(desk.page.getByTestId('dirty-state')).toContainText('Unsaved');
}

for (const [label, bytes] of [
  ['a 60 KB ticket (framed string body)', 60 * 1024],
  ['a 400 KB ticket (framed Blob body)', 400 * 1024],
] as const) {
  test(`${label}: the server changed another field — a clean merge, said so, saved intact`, async ({
    desk,
    pageProblems,
  }) => {
    const backend = await Backend.of(desk.host);
    const id = `framed-clean-${bytes}`;
    const { doc, items } = await createTicket(backend, id, bytes);
    // What crossed for each save: the request's type and the answer's (the framed road, both ways).
    const saves: string[] = [];
    desk.page.on('response', (response) => {
      if (!response.url().endsWith('/api/saveResource')) return;
      saves.push(
        `${response.request().headers()['content-type']} -> ${response.headers()['content-type']}`,
      );
    });
    await editTicket(desk, id, { doc, items }, (mine) => {
      (mine['items'] as Array<Record<string, unknown>>)[10]!['tier'] = 'platinum';
    });
    await backend.editAsSomeoneElse(`/rest/tickets/${id}`, { status: 'solved' });
    await desk.saveButton.click();
    await expect(desk.mergeView).toBeVisible();
    await expect(desk.page.getByTestId('clean-merge')).toBeVisible();
    await desk.saveResult.click();
    await expect(desk.message).toContainText('Saved as revision');

    const saved = (await backend.serverHistory(`/rest/tickets/${id}`)).at(-1)!.body;
    expect(saved['status']).toBe('solved');
    expect(saved['tricky']).toBe(TRICKY);
    const savedItems = saved['items'] as Array<Record<string, unknown>>;
    expect(savedItems[0]!['notes']).toBe(TRICKY);
    expect(savedItems[10]!['tier']).toBe('platinum');
    expect(savedItems).toHaveLength(items.length);
    // Both saves (the stale one, then the merge) went framed and the conflict came back framed.
    expect(saves).toEqual([
      'application/x-conflict-desk-frames -> application/x-conflict-desk-frames; charset=utf-8',
      expect.stringMatching(/^application\/x-conflict-desk-frames -> /),
    ]);
    expect(pageProblems).toEqual([]);
  });
}

test('the server changed the same field: a conflict, and no "other fields" notice', async ({
  desk,
  pageProblems,
}) => {
  const backend = await Backend.of(desk.host);
  const id = 'framed-clash';
  await editTicket(desk, id, await createTicket(backend, id, 60 * 1024), (mine) => {
    mine['tricky'] = `${TRICKY} (mine)`;
  });
  await backend.editAsSomeoneElse(`/rest/tickets/${id}`, { tricky: `${TRICKY} (theirs)` });
  await desk.saveButton.click();
  await expect(desk.mergeView).toBeVisible();
  await expect(desk.conflictCounter).toHaveText('1 conflict remaining');
  await expect(desk.page.getByTestId('clean-merge')).toHaveCount(0);
  expect(pageProblems).toEqual([]);
});
