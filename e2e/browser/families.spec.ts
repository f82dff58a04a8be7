// One conflict round trip for each other API family: Sync document, generic REST, body version.
import { SANDBOX_IDS } from '../../sandbox/index';
import { Backend } from '../support/backend';
import { expect, test } from '../support/fixtures';

type Case = {
  name: string;
  connection: string;
  id: string;
  rowId?: string;
  path: string;
  field: string;
  mine: unknown;
  theirs: unknown;
  revisionAfter: string;
};

const cases: Case[] = [
  {
    name: 'Sync document',
    connection: 'Sync documents',
    id: 'agent-settings',
    rowId: SANDBOX_IDS.documentSid,
    path: `/sync/v1/Services/${SANDBOX_IDS.syncServiceSid}/Documents/agent-settings`,
    field: 'theme',
    mine: 'solarized',
    theirs: 'light',
    revisionAfter: '2',
  },
  {
    name: 'REST item (409)',
    connection: 'tickets',
    id: 'ticket-1',
    path: '/rest/tickets/ticket-1',
    field: 'status',
    mine: 'open',
    theirs: 'pending',
    revisionAfter: '',
  },
  {
    name: 'Genesys user (body version)',
    connection: 'Genesys',
    id: SANDBOX_IDS.genesysUserId,
    path: `/genesys/api/v2/users/${SANDBOX_IDS.genesysUserId}`,
    field: 'title',
    mine: 'Team Lead',
    theirs: 'Supervisor',
    revisionAfter: '3',
  },
];

for (const c of cases) {
  test(`${c.name}: conflict, take mine, saved`, async ({ desk, pageProblems }) => {
    const backend = await Backend.of(desk.host);
    await desk.openFromList(c.connection, c.rowId ?? c.id);
    const doc = await backend.document(c.connection, c.rowId ?? c.id);
    doc[c.field] = c.mine;
    await desk.replaceText('editor', JSON.stringify(doc, null, 2));
    await backend.editAsSomeoneElse(c.path, { [c.field]: c.theirs });
    await desk.saveButton.click();
    await expect(desk.conflictCounter).toHaveText('1 conflict remaining');
    const card = desk.conflictCard(`/${c.field}`);
    await expect(card.getByTestId('value-theirs')).toHaveText(JSON.stringify(c.theirs));
    await expect(card.getByTestId('value-mine')).toHaveText(JSON.stringify(c.mine));
    await card.getByRole('button', { name: 'Take mine' }).click();
    await desk.saveResult.click();
    await expect(desk.message).toContainText('Saved as revision');
    const latest = (await backend.serverHistory(c.path)).at(-1)!;
    const body =
      c.connection === 'Sync documents'
        ? (latest.body['data'] as Record<string, unknown>)
        : latest.body;
    expect(body[c.field]).toEqual(c.mine);
    if (c.revisionAfter) expect(String(latest.revision)).toBe(c.revisionAfter);
    // The list row shows the saved state without a reload.
    if (c.connection === 'Genesys') await expect(desk.row(c.id)).toContainText(String(c.mine));
    expect(pageProblems).toEqual([]);
  });
}
