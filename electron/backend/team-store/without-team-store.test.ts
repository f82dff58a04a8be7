// Without a team store nothing changes: no team tables in the local file, history without
// attribution, and the audit query and CSV answer from this copy's own audit.
import { DatabaseSync } from 'node:sqlite';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_IDS } from '../../../sandbox/index';
import { startHarness, type Harness } from '../../test-support/desk-harness';

let h: Harness;
beforeAll(async () => {
  delete process.env['CONFLICT_DESK_TEAM_STORE'];
  h = await startHarness();
});
afterAll(() => h.close());

describe('no team store', () => {
  it('works on its own, with a local audit that filters and exports', async () => {
    expect(await h.api.teamStatus({})).toMatchObject({
      configured: false,
      state: 'off',
      queued: 0,
      source: 'none',
    });
    const ref = await h.ref('Sync documents', 'agent-settings');
    const base = await h.open(ref);
    const doc = JSON.parse(base.text) as Record<string, unknown>;
    doc['local'] = 1;
    const startedAt = new Date().toISOString();
    expect(
      (await h.api.saveResource({ ref, text: JSON.stringify(doc), baseJournalId: base.journalId }))
        .kind,
    ).toBe('saved');
    const history = await h.api.history({ ref });
    expect(history.kind === 'ok' && history.entries.every((e) => e.team === undefined)).toBe(true);

    const mine = await h.api.auditQuery({ since: startedAt });
    expect(mine).toMatchObject({ kind: 'ok', source: 'local' });
    expect(mine.kind === 'ok' && mine.entries.map((e) => [e.resourceId, e.outcome])).toEqual([
      ['agent-settings', 'saved'],
    ]);
    const other = await h.api.auditQuery({ operator: 'nobody-by-this-name' });
    expect(other.kind === 'ok' && other.entries).toEqual([]);
    const elsewhere = await h.api.auditQuery({
      connectionId: ref.connectionId,
      resourceId: 'another-doc',
    });
    expect(elsewhere.kind === 'ok' && elsewhere.entries).toEqual([]);
    const csv = await h.api.auditCsv({ since: startedAt });
    expect(csv.kind === 'ok' && csv.csv.split('\r\n').filter(Boolean)).toHaveLength(2);
    expect(await h.api.teamPresence({ connectionId: ref.connectionId })).toEqual({
      kind: 'ok',
      presence: [],
    });
    expect(await h.api.teamConnections({})).toEqual({ kind: 'ok', connections: [] });

    const local = new DatabaseSync(path.join(h.dataDir, 'conflict-desk.sqlite'));
    try {
      expect(
        local.prepare(`SELECT name FROM sqlite_master WHERE name LIKE 'team_%'`).all(),
      ).toEqual([]);
    } finally {
      local.close();
    }
  });

  it("answers teamBatches from this copy's batches, by connection and resource", async () => {
    const tasks = await h.ref('TaskRouter', 'x');
    const [one, two] = [SANDBOX_IDS.taskSids[7]!, SANDBOX_IDS.taskSids[8]!];
    const started = await h.api.startBatch({
      connectionId: tasks.connectionId,
      resourceIds: [one, two],
      intents: [{ kind: 'set', path: '/priority', value: 65 }],
      description: 'local only',
    });
    if (started.kind !== 'ok') throw new Error(started.message);
    for (;;) {
      const status = await h.api.batchStatus({ batchId: started.batch.batchId });
      if (status.kind === 'ok' && status.batch.state !== 'running') break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const operator = (await h.api.teamStatus({})).operator;
    const all = await h.api.teamBatches({ connectionId: tasks.connectionId });
    expect(all).toMatchObject({ kind: 'ok', source: 'local' });
    const report =
      all.kind === 'ok' ? all.batches.find((b) => b.batchId === started.batch.batchId) : undefined;
    expect(report).toMatchObject({
      operator,
      description: 'local only',
      state: 'done',
      total: 2,
      writesSent: 2,
      counts: { applied: 2 },
    });
    const audit = await h.api.auditLog({});
    const keys = audit.entries
      .filter((e) => e.batchId === started.batch.batchId)
      .map((e) => `local:${e.id}`)
      .sort();
    expect(report?.targets.map((t) => t.auditKey).sort()).toEqual(keys);
    const ofOne = await h.api.teamBatches({ resourceId: one });
    expect(
      ofOne.kind === 'ok' &&
        ofOne.batches.map((b) => [b.batchId, b.targets.map((t) => t.resourceId)]),
    ).toEqual([[started.batch.batchId, [one]]]);
    expect(await h.api.teamBatches({ resourceId: SANDBOX_IDS.taskSids[9]! })).toEqual({
      kind: 'ok',
      source: 'local',
      batches: [],
    });
  });

  it('refuses a team store address that is not postgres://, by name', async () => {
    expect(await h.api.setTeamStore({ url: 'mysql://x@y/z' })).toEqual({
      kind: 'error',
      reason: 'invalid-input',
      message: 'The team store must be a postgres:// address, not mysql://.',
    });
    expect((await h.api.teamStatus({})).configured).toBe(false);
  });
});
