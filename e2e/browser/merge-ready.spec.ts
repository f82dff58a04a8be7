// What the conflict view holds at the moment it marks itself ready (`cd:merge-ready`, the mark the
// benchmark times): the three panes with their texts, the conflict highlighted in each, the
// automatic changes highlighted where they are, and the conflict card to act on. The page records
// all of it synchronously inside performance.mark, so nothing that arrives later counts.
import { bigDocument } from '../../bench/documents';
import { Backend } from '../support/backend';
import type { DeskPage } from '../support/desk-page';
import { expect, test } from '../support/fixtures';

type PaneAtReady = {
  lines: string[];
  conflicts: number;
  /** The text of each visible line a decoration of the pane's own automatic changes is on. */
  changedLines: string[];
};
type AtReady = {
  cards: number;
  counter: string;
  cardButtons: number;
  panes: Record<'theirs' | 'result' | 'mine', PaneAtReady>;
};

// Page code as a string: e2e code compiles without DOM types.
/** A pane's visible lines, its conflict highlights and the lines its automatic changes are on. */
const PANE = `(name, changeClass) => {
  const root = document.querySelector('[data-testid="pane-' + name + '"]');
  const lineAt = new Map();
  for (const line of root.querySelectorAll('.view-lines > .view-line'))
    lineAt.set(line.style.top, line.textContent.replace(/\\u00a0/g, ' '));
  const changedLines = [];
  for (const overlay of root.querySelectorAll('.view-overlays > div'))
    if (overlay.querySelector('.' + changeClass)) changedLines.push(lineAt.get(overlay.style.top) ?? '');
  return {
    lines: [...lineAt.values()],
    conflicts: root.querySelectorAll('.conflict-pending, .conflict-focus, .conflict-settled').length,
    changedLines,
  };
}`;

const RECORD_AT_READY = `(() => {
  const mark = performance.mark.bind(performance);
  const pane = ${PANE};
  performance.mark = (name, options) => {
    // The first mark counts: a later one would hide a view that marked itself ready too early.
    if (String(name).startsWith('cd:merge-ready:') && !window.__atReady)
      window.__atReady = {
        cards: document.querySelectorAll('[data-testid="conflict-card"]').length,
        counter: document.querySelector('[data-testid="conflict-counter"]')?.textContent ?? '',
        cardButtons: document.querySelectorAll('[data-testid="conflict-card"] button:not([disabled])').length,
        panes: { theirs: pane('theirs', 'auto-theirs'), result: pane('result', 'auto-mine'), mine: pane('mine', 'auto-mine') },
      };
    return mark(name, options);
  };
})()`;

/**
 * A ticket of `bytes` in its conflict view, at its ready mark: the operator set the status and every
 * 50th item's tier, someone else the status and other items' phones.
 */
async function toConflictView(desk: DeskPage, bytes: number): Promise<{ mineText: string }> {
  const backend = await Backend.of(desk.host);
  const id = `ready-${bytes}`;
  const doc = bigDocument(bytes, id);
  doc['subject'] = `Ready check ${bytes}`;
  const created = await fetch(`${backend.sandboxUrl}/rest/tickets`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(doc),
  });
  expect(created.status).toBe(201);
  await desk.page.addInitScript(RECORD_AT_READY);
  await desk.goto();
  await desk.selectConnection('tickets');
  await desk.page.getByTestId('search').fill(`Ready check ${bytes}`);
  await desk.openResource(id);

  const items = doc['items'] as Array<Record<string, unknown>>;
  const mine = { ...doc, status: 'pending', items: items.map((item) => ({ ...item })) };
  delete (mine as Record<string, unknown>)['id'];
  for (let i = 0; i < mine.items.length; i += 50) mine.items[i]!['tier'] = 'platinum';
  const mineText = JSON.stringify(mine, null, 2);
  await desk.replaceText('editor', mineText);
  await expect(desk.page.getByTestId('dirty-state')).toContainText('Unsaved');
  await backend.editAsSomeoneElse(`/rest/tickets/${id}`, {
    status: 'solved',
    items: items.map((item, i) => (i % 50 === 1 ? { ...item, phone: '+15550000000' } : item)),
  });
  await desk.saveButton.click();
  await desk.page.waitForFunction(
    () => performance.getEntriesByType('mark').some((m) => m.name.startsWith('cd:merge-ready:')),
    undefined,
    { timeout: 30_000 },
  );
  return { mineText };
}

for (const [label, bytes] of [
  // Large enough for the "Your edit" pane to be prepared while the save is under way...
  ['a 400 KB ticket', 400 * 1024],
  // ...and small enough not to be: both roads show the same view.
  ['a 40 KB ticket', 40 * 1024],
] as const) {
  test(`${label}: at the ready mark the three panes, their highlights and the conflict card are there`, async ({
    desk,
    pageProblems,
  }) => {
    const { mineText } = await toConflictView(desk, bytes);
    const atReady = (await desk.page.evaluate('window.__atReady')) as AtReady;

    // The conflict (the status, changed on both sides) can be acted on from its card.
    expect(atReady.cards).toBe(1);
    expect(atReady.counter).toBe('1 conflict remaining');
    expect(atReady.cardButtons).toBeGreaterThan(0);
    const { theirs, result, mine: minePane } = atReady.panes;
    // Each pane shows its document from the top, the conflict highlighted in it.
    expect(minePane.lines.slice(0, 4)).toEqual(mineText.split('\n').slice(0, 4));
    expect(minePane.lines.join('\n')).toContain('"status": "pending"');
    expect(theirs.lines.join('\n')).toContain('"status": "solved"');
    expect(result.lines.join('\n')).toContain('"status": "pending"');
    for (const pane of [theirs, result, minePane]) expect(pane.conflicts).toBeGreaterThan(0);
    // The automatic changes are highlighted on the lines that hold them.
    expect(minePane.changedLines.length).toBeGreaterThan(0);
    for (const line of minePane.changedLines) expect(line).toContain('"tier": "platinum"');
    expect(theirs.changedLines.length).toBeGreaterThan(0);
    for (const line of theirs.changedLines) expect(line).toContain('"phone": "+15550000000"');
    expect(result.changedLines.length).toBeGreaterThan(0);
    for (const line of result.changedLines) expect(line).toContain('"tier": "platinum"');
    expect(pageProblems).toEqual([]);
  });
}

test('a 400 KB Result typed in by hand: once typing pauses, its highlights are found again for the typed text', async ({
  desk,
  pageProblems,
}) => {
  await toConflictView(desk, 400 * 1024);
  const result = desk.page.getByTestId('pane-result');
  // The merge's own Result says which value it shows for the undecided conflict.
  await expect(result.locator('.undecided-note')).toHaveCount(1);
  await result.locator('.view-lines').click();
  await desk.toLineEdge(2, 'End');
  await desk.page.keyboard.type('  ');
  // Typed by hand, the Result shows the operator's text: the note goes once the highlights are
  // found again after the pause (Monaco only moves the old ones while keys are pressed).
  await expect(result.locator('.undecided-note')).toHaveCount(0);
  const after = (await desk.page.evaluate(`(${PANE})('result', 'auto-mine')`)) as PaneAtReady;
  expect(after.conflicts).toBeGreaterThan(0);
  expect(after.changedLines.length).toBeGreaterThan(0);
  for (const line of after.changedLines) expect(line).toContain('"tier": "platinum"');
  await expect(desk.page.getByTestId('conflict-counter')).toHaveText('1 conflict remaining');
  expect(pageProblems).toEqual([]);
});

test('a merge with more automatic changes than the list draws: the first 100, then the rest from the keyboard', async ({
  desk,
  pageProblems,
}) => {
  // A 1 MB ticket: a tier on every 50th item from mine, a phone on every 50th from theirs.
  await toConflictView(desk, 1 << 20);
  const rows = desk.page.getByTestId('auto-change');
  await expect(rows).toHaveCount(100);
  const more = desk.page.getByTestId('show-all-changes');
  const [, total, rest] = /Show all (\d+) changes \((\d+) more\)/.exec(
    (await more.textContent()) ?? '',
  )!;
  expect(Number(total)).toBeGreaterThan(200);
  expect(Number(rest)).toBe(Number(total) - 100);
  await expect(desk.page.locator('.change-list h3')).toContainText(`(${total})`);
  // Reached from the keyboard, the button is in sight (every row above it is laid out at its
  // own height, so the list scrolls to its very end).
  await more.focus();
  await expect(more).toBeInViewport();
  await desk.screenshots('merge-many-changes');
  await desk.page.keyboard.press('Enter');
  await expect(rows).toHaveCount(Number(total));
  await expect(more).toHaveCount(0);
  // The keyboard goes on from the first row the button brought in (these changes are inside a
  // list, which offers no Revert: the row itself takes the keyboard), never the page.
  await expect(rows.nth(100)).toBeFocused();
  await expect(rows.nth(100)).toBeInViewport();
  await rows.last().focus();
  await expect(rows.last()).toBeInViewport();
  expect(pageProblems).toEqual([]);
});
