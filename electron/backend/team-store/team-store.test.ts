// Two copies of Conflict Desk, each with its own data directory, sharing one real PostgreSQL
// (a throwaway cluster made with initdb/pg_ctl) and one sandbox. Host A runs in a child process
// so it can be killed with SIGKILL; host B runs in this process.
import { readdirSync, readFileSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Api } from '../../../shared/api/contract';
import type {
  BatchSummary,
  HistoryEntry,
  ResourceRef,
  SharedAuditEntry,
} from '../../../shared/api/types';
import { SANDBOX_CREDENTIALS, SANDBOX_IDS } from '../../../sandbox/index';
import { startEmbeddedSandbox, type EmbeddedSandbox } from '../embedded-sandbox';
import { startHarness, type Harness } from '../../test-support/desk-harness';
import { startPostgres, type TestPostgres } from '../../test-support/postgres';
import { spawnTeamHost, type ChildHost } from '../../test-support/team-host';
import { auditCsv } from './csv';
import { loadMigrations, migrate } from './schema';

let db: TestPostgres;
let sandbox: EmbeddedSandbox;
let a: ChildHost;
let b: Harness;
let sql: pg.Pool;

const HEARTBEAT_MS = 500;
const TTL_MS = 1500;

beforeAll(async () => {
  db = await startPostgres();
  sql = new pg.Pool({ connectionString: db.url, max: 2 });
  sql.on('error', () => undefined);
  sql.on('connect', (client) => client.on('error', () => undefined));
  sandbox = await startEmbeddedSandbox();
  a = await spawnTeamHost({
    sandboxUrl: sandbox.url,
    teamStore: db.url,
    operator: 'alice',
    heartbeatMs: HEARTBEAT_MS,
    ttlMs: TTL_MS,
  });
  b = await startHarness({
    sandbox,
    desk: {
      teamStore: { url: db.url, operator: 'bob' },
      teamHeartbeatMs: HEARTBEAT_MS,
      teamPresenceTtlMs: TTL_MS,
    },
  });
}, 60_000);

afterAll(async () => {
  await a?.stop();
  await b?.desk.close();
  await sandbox?.close();
  await sql?.end();
  db?.close();
}, 30_000);

const until = async <T>(
  what: string,
  probe: () => Promise<T | null | undefined | false>,
  timeoutMs = 5000,
): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};
const refIn = async (api: Harness['api'], namePart: string, id: string): Promise<ResourceRef> => {
  const connection = (await api.listConnections({})).find((c) => c.name.includes(namePart));
  if (!connection) throw new Error(`no connection like ${namePart}`);
  return { connectionId: connection.id, id };
};
const edit = (text: string, change: (doc: Record<string, unknown>) => void) => {
  const doc = JSON.parse(text) as Record<string, unknown>;
  change(doc);
  return JSON.stringify(doc, null, 2);
};
const TASKS = `/taskrouter/v1/Workspaces/${SANDBOX_IDS.workspaceSid}/Tasks`;
const sandboxAdmin = async (method: string, adminPath: string, body?: unknown) => {
  const res = await fetch(`${sandbox.url}/_sandbox${adminPath}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(res.status, `${method} ${adminPath}`).toBeLessThan(300);
};
async function batchDone(api: Api, batchId: string): Promise<BatchSummary> {
  return until(
    `batch ${batchId} done`,
    async () => {
      const status = await api.batchStatus({ batchId });
      return status.kind === 'ok' && status.batch.state !== 'running' ? status.batch : null;
    },
    20_000,
  );
}
async function saveThrough(
  api: Harness['api'],
  ref: ResourceRef,
  change: (doc: Record<string, unknown>) => void,
) {
  const opened = await api.openResource({ ref });
  if (opened.kind !== 'ok') throw new Error(opened.message);
  return api.saveResource({
    ref,
    text: edit(opened.snapshot.text, change),
    baseJournalId: opened.snapshot.journalId,
  });
}

describe('schema migrations', () => {
  it('applies 002 over a database that has only 001, keeping its rows, and refuses one newer than 002', async () => {
    await sql.query('CREATE DATABASE only_v1');
    const old = new pg.Pool({
      connectionString: db.url.replace(/\/postgres$/, '/only_v1'),
      max: 1,
    });
    try {
      const all = loadMigrations();
      expect(all.map((m) => m.name)).toEqual(['001-team-store.sql', '002-batch-reports.sql']);
      // An app that knew only 001 made this database and drained a row into it.
      expect(await migrate(old, all.slice(0, 1))).toEqual({
        ok: true,
        version: 1,
        applied: ['001-team-store.sql'],
      });
      await old.query(`INSERT INTO audit (host_id, local_id, operator, os_user, scope, connection_name, resource_path, mode, state, outcome, paths, at)
        VALUES ('h-old', 1, 'olga', 'olga', 's', 'c', 'r', 'conditional', 'settled', 'saved', '[]', now())`);
      expect(await migrate(old, all)).toEqual({
        ok: true,
        version: 2,
        applied: ['002-batch-reports.sql'],
      });
      expect((await old.query('SELECT operator, batch_id FROM audit')).rows).toEqual([
        { operator: 'olga', batch_id: null },
      ]);
      expect((await old.query('SELECT count(*)::int AS n FROM batch_reports')).rows).toEqual([
        { n: 0 },
      ]);
      // Applied once: a second start changes nothing.
      expect(await migrate(old, all)).toEqual({ ok: true, version: 2, applied: [] });
      await old.query(
        `INSERT INTO team_schema (version, name) VALUES (3, '003-from-the-future.sql')`,
      );
      const refused = await migrate(old, all);
      expect(refused).toEqual({
        ok: false,
        error: expect.stringMatching(
          /version 3, newer than this app knows \(2\)/,
        ) as unknown as string,
      });
      // And an app that knew only 001 refuses a database at 002.
      await old.query('DELETE FROM team_schema WHERE version = 3');
      expect(await migrate(old, all.slice(0, 1))).toMatchObject({
        ok: false,
        error: expect.stringMatching(
          /version 2, newer than this app knows \(1\)/,
        ) as unknown as string,
      });
    } finally {
      await old.end();
      await sql.query('DROP DATABASE only_v1');
    }
  });
});

describe('two hosts, one team store', () => {
  it('applies the schema once at connect and refuses a database newer than the app', async () => {
    await until('schema', async () => (await b.api.teamStatus({})).state === 'connected');
    const versions = (
      await sql.query<{ version: number }>('SELECT version FROM team_schema ORDER BY version')
    ).rows.map((r) => r.version);
    expect(versions).toEqual([1, 2]);
    await sql.query(
      `INSERT INTO team_schema (version, name) VALUES (99, '099-from-the-future.sql')`,
    );
    try {
      const third = await startHarness({
        sandbox,
        desk: { teamStore: { url: db.url, operator: 'carol' } },
      });
      const status = await until('refusal', async () => {
        const s = await third.api.teamStatus({});
        return s.state === 'refused' ? s : null;
      });
      expect(status.lastError).toMatch(/version 99, newer than this app knows \(2\)/);
      await third.desk.close();
    } finally {
      await sql.query('DELETE FROM team_schema WHERE version = 99');
    }
  });

  it('the app setting connects live, survives a restart, and turns off', async () => {
    const carol = await startHarness({ sandbox });
    try {
      expect((await carol.api.teamStatus({})).configured).toBe(false);
      // Saved before joining: shared when she joins.
      const ref = await refIn(carol.api, 'Sync documents', 'agent-settings');
      const before = await saveThrough(carol.api, ref, (d) => (d['carolBeforeJoining'] = true));
      expect(before.kind).toBe('saved');
      // And a batch run before joining: its report is shared when she joins.
      const tasks = await refIn(carol.api, 'TaskRouter', 'x');
      const batch = await carol.api.startBatch({
        connectionId: tasks.connectionId,
        resourceIds: [SANDBOX_IDS.taskSids[40]!],
        intents: [{ kind: 'set', path: '/priority', value: 63 }],
      });
      if (batch.kind !== 'ok') throw new Error(batch.message);
      await batchDone(carol.api, batch.batch.batchId);
      const set = await carol.api.setTeamStore({
        url: db.url.replace('postgres@', 'postgres:not-a-real-password@'),
        operator: 'carol',
      });
      expect(set.kind).toBe('ok');
      await until('carol connected and drained', async () => {
        const s = await carol.api.teamStatus({});
        return s.state === 'connected' && s.queued === 0;
      });
      const revision = before.kind === 'saved' ? before.snapshot.revision : null;
      expect(
        (
          await sql.query(
            'SELECT saved_by FROM journal WHERE resource_path = $1 AND revision = $2',
            ['agent-settings', revision],
          )
        ).rows,
      ).toEqual([{ saved_by: 'carol' }]);
      expect(
        Number(
          (await sql.query(`SELECT count(*) AS n FROM audit WHERE operator = 'carol'`)).rows[0].n,
        ),
      ).toBe((await carol.api.auditLog({})).entries.length);
      expect(
        (
          await sql.query('SELECT operator, state, total FROM batch_reports WHERE batch_id = $1', [
            batch.batch.batchId,
          ])
        ).rows,
      ).toEqual([{ operator: 'carol', state: 'done', total: 1 }]);
      expect(
        (
          await sql.query(
            `SELECT count(*)::int AS n FROM audit WHERE operator = 'carol' AND batch_id = $1`,
            [batch.batch.batchId],
          )
        ).rows,
      ).toEqual([{ n: 1 }]);
      const again = await carol.restart();
      const status = await until('carol connected after restart', async () => {
        const s = await again.api.teamStatus({});
        return s.state === 'connected' ? s : null;
      });
      expect(status).toMatchObject({ operator: 'carol', source: 'settings', where: db.url });
      expect((await again.api.setTeamStore({ url: null })).kind).toBe('ok');
      expect(await again.api.teamStatus({})).toMatchObject({ configured: false, state: 'off' });
      await again.desk.close();
    } finally {
      await carol.desk.close().catch(() => undefined);
    }
  });

  it('a password given in the address query (?password=) is sealed at rest and never shown', async () => {
    const secret = 'q-SECRET-8f1d';
    const dave = await startHarness({ sandbox });
    try {
      const set = await dave.api.setTeamStore({
        url: `${db.url}?password=${secret}&application_name=desk`,
        operator: 'dave',
      });
      expect(set.kind).toBe('ok');
      const status = await until('dave connected', async () => {
        const s = await dave.api.teamStatus({});
        return s.state === 'connected' ? s : null;
      });
      expect(JSON.stringify(status)).not.toContain(secret);
      expect(status.where).toContain('application_name=desk');
      for (const file of readdirSync(dave.dataDir))
        expect(readFileSync(path.join(dave.dataDir, file)).includes(secret), file).toBe(false);
      // Sealed, not dropped: after a restart the address still carries it.
      const again = await dave.restart();
      const after = await until('dave connected after restart', async () => {
        const s = await again.api.teamStatus({});
        return s.state === 'connected' ? s : null;
      });
      expect(JSON.stringify(after)).not.toContain(secret);
      await again.desk.close();
    } finally {
      await dave.desk.close().catch(() => undefined);
    }
  });

  it("A's save appears in B's history with A's name within one second, and B's own save with B's", async () => {
    const refA = await refIn(a.api, 'Sync documents', 'agent-settings');
    const refB = await refIn(b.api, 'Sync documents', 'agent-settings');
    const saved = await saveThrough(a.api, refA, (d) => (d['wrapUpSeconds'] = 41));
    expect(saved.kind).toBe('saved');
    const revision = saved.kind === 'saved' ? saved.snapshot.revision : null;
    const started = Date.now();
    const entry = await until(
      "A's revision in B's history",
      async () => {
        const history = await b.api.history({ ref: refB });
        return history.kind === 'ok'
          ? history.entries.find((e) => e.revision === revision && e.team?.savedBy === 'alice')
          : null;
      },
      1000,
    );
    expect(Date.now() - started).toBeLessThan(1000);
    expect(entry.team).toMatchObject({ savedBy: 'alice', teamOnly: true });
    // B can open that revision like any other.
    const opened = await b.api.revision({ ref: refB, journalId: entry.journalId });
    expect(opened.kind === 'ok' && JSON.parse(opened.snapshot.text)).toMatchObject({
      wrapUpSeconds: 41,
    });

    const mine = await saveThrough(b.api, refB, (d) => (d['wrapUpSeconds'] = 42));
    expect(mine.kind).toBe('saved');
    const historyA = await until(
      "B's save in A's history",
      async () => {
        const h = await a.api.history({ ref: refA });
        return h.kind === 'ok' && h.entries.some((e) => e.team?.savedBy === 'bob')
          ? h.entries
          : null;
      },
      1000,
    );
    const savers = historyA.map((e: HistoryEntry) => e.team?.savedBy ?? 'outside');
    expect(savers).toContain('alice');
    expect(savers).toContain('bob');
  });

  it('a revision written outside the team is shown as such', async () => {
    const refB = await refIn(b.api, 'Sync documents', 'agent-settings');
    const path =
      '/sync/v1/Services/' +
      (await b.api.listConnections({})).find((c) => c.id === refB.connectionId)!.params[
        'serviceSid'
      ] +
      '/Documents/agent-settings';
    const res = await fetch(`${sandbox.url}/_sandbox/edit`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ path, patch: { theme: 'outside' } }),
    });
    expect(res.status).toBe(200);
    const refreshed = await b.api.refreshResource({ ref: refB });
    expect(refreshed.kind).toBe('ok');
    const revision = refreshed.kind === 'ok' ? refreshed.snapshot.revision : null;
    const history = await b.api.history({ ref: refB });
    const entry =
      history.kind === 'ok' ? history.entries.find((e) => e.revision === revision) : undefined;
    expect(entry?.team).toMatchObject({ savedBy: null, firstSeenBy: 'bob' });
  });

  it("does not claim a teammate's save as this operator's own while the store is down", async () => {
    const refA = await refIn(a.api, 'Sync documents', 'agent-settings');
    const refB = await refIn(b.api, 'Sync documents', 'agent-settings');
    const saved = await saveThrough(a.api, refA, (d) => (d['offlineAttribution'] = 1));
    const revision = saved.kind === 'saved' ? saved.snapshot.revision : null;
    await until("A's revision in B's history", async () => {
      const h = await b.api.history({ ref: refB });
      return h.kind === 'ok' && h.entries.some((e) => e.revision === revision);
    });
    // B opens the resource: A's revision is what B now sees of the server too.
    expect((await b.api.openResource({ ref: refB })).kind).toBe('ok');
    db.stop();
    try {
      const history = await b.api.history({ ref: refB });
      const entry =
        history.kind === 'ok' ? history.entries.find((e) => e.revision === revision) : undefined;
      expect(entry?.team?.savedBy).toBe('alice');
    } finally {
      db.start();
      // Back before the next test, which needs B listening again.
      await until('back', async () => (await b.api.teamStatus({})).state === 'connected', 15_000);
    }
  }, 40_000);

  it("a teammate's save of a resource B watches is announced at once, without waiting for the poll", async () => {
    const refA = await refIn(a.api, 'Sync documents', 'agent-settings');
    const refB = await refIn(b.api, 'Sync documents', 'agent-settings');
    await b.api.openResource({ ref: refB });
    // A poll every 10 minutes: only the team store's notice can bring the change in time.
    const watch = await b.api.watch({ ref: refB, intervalMs: 600_000 });
    expect(watch.kind).toBe('ok');
    const before = b.events.length;
    const saved = await saveThrough(a.api, refA, (d) => (d['wrapUpSeconds'] = 77));
    expect(saved.kind).toBe('saved');
    const moved = await until(
      'resource-changed on B',
      async () =>
        b.events
          .slice(before)
          .find((e) => e.type === 'resource-changed' && e.ref.connectionId === refB.connectionId),
      1500,
    );
    expect(moved.type === 'resource-changed' && moved.revision).toBe(
      saved.kind === 'saved' ? saved.snapshot.revision : 'none',
    );
    expect(
      b.events.slice(before).some((e) => e.type === 'team-changed' && e.savedBy === 'alice'),
    ).toBe(true);
    if (watch.kind === 'ok') await b.api.unwatch({ watchId: watch.watchId });
  });

  it('filters the shared audit by operator, resource and time, and exports it as CSV', async () => {
    await until(
      'both hosts drained',
      async () =>
        (await b.api.teamStatus({})).queued === 0 && (await a.api.teamStatus({})).queued === 0,
    );
    const all = await b.api.auditQuery({});
    expect(all.kind === 'ok' && all.source).toBe('team');
    const entries = all.kind === 'ok' ? all.entries : [];
    expect(new Set(entries.map((e) => e.operator))).toEqual(new Set(['alice', 'bob', 'carol']));
    const alice = await b.api.auditQuery({ operator: 'alice' });
    expect(alice.kind === 'ok' && alice.entries.length).toBe(
      entries.filter((e) => e.operator === 'alice').length,
    );
    expect(alice.kind === 'ok' && alice.entries.every((e) => e.operator === 'alice')).toBe(true);
    const refB = await refIn(b.api, 'Sync documents', 'agent-settings');
    const byResource = await b.api.auditQuery({
      connectionId: refB.connectionId,
      resourceId: 'agent-settings',
    });
    expect(byResource.kind === 'ok' && byResource.entries.length).toBe(
      entries.filter((e) => e.resourceId === 'agent-settings').length,
    );
    const future = await b.api.auditQuery({ since: new Date(Date.now() + 60_000).toISOString() });
    expect(future.kind === 'ok' && future.entries).toEqual([]);
    const bad = await b.api.auditQuery({ since: 'yesterday-ish' });
    expect(bad).toMatchObject({ kind: 'error', reason: 'invalid-input' });
    const csv = await b.api.auditCsv({ operator: 'alice' });
    expect(csv.kind).toBe('ok');
    if (csv.kind === 'ok' && alice.kind === 'ok') {
      expect(csv.csv).toBe(auditCsv(alice.entries));
      expect(csv.csv.split('\r\n')[0]).toBe(
        'at,operator,connection,resource,mode,state,outcome,from_revision,to_revision,paths,key',
      );
      expect(csv.rows).toBe(alice.entries.length);
    }
  });

  it('never shares secrets or drafts', async () => {
    const refB = await refIn(b.api, 'Sync documents', 'agent-settings');
    await b.api.saveDraft({
      ref: refB,
      text: '{"draft-marker-5f1c": true}',
      baseRevision: null,
      baseJournalId: null,
    });
    const saved = await b.api.saveConnection({
      connection: {
        name: 'Team REST',
        profileId: 'rest-etag',
        baseUrl: `${sandbox.url}/rest`,
        params: { collection: 'tickets' },
        auth: { kind: 'bearer', token: 'secret-token-9d2e' },
      },
    });
    expect(saved.kind).toBe('ok');
    await until('drained', async () => (await b.api.teamStatus({})).queued === 0);
    const shared = await until(
      'shared connection',
      async () =>
        (await sql.query('SELECT * FROM connections')).rows[0] as
          Record<string, unknown> | undefined,
    );
    expect(shared).toMatchObject({ name: 'Team REST', auth_kind: 'bearer', shared_by: 'bob' });
    const dump = JSON.stringify(
      await Promise.all(
        ['journal', 'audit', 'presence', 'connections'].map(
          async (t) => (await sql.query(`SELECT * FROM ${t}`)).rows,
        ),
      ),
    );
    expect(dump).not.toContain('secret-token-9d2e');
    // Alice sees the definition, without the secret, and adds it with her own.
    const offered = await a.api.teamConnections({});
    const teamRest =
      offered.kind === 'ok' ? offered.connections.find((c) => c.name === 'Team REST') : undefined;
    expect(teamRest).toMatchObject({
      profileId: 'rest-etag',
      baseUrl: `${sandbox.url}/rest`,
      params: { collection: 'tickets' },
      auth: { kind: 'bearer' },
      sharedBy: 'bob',
      alreadyHere: false,
    });
    expect(JSON.stringify(offered)).not.toContain('secret-token-9d2e');
    const added = await a.api.saveConnection({
      connection: {
        name: teamRest!.name,
        profileId: teamRest!.profileId,
        baseUrl: teamRest!.baseUrl,
        params: teamRest!.params,
        auth: { kind: 'bearer', token: 'alices-own-token' },
      },
    });
    expect(added.kind).toBe('ok');
    const again = await a.api.teamConnections({});
    expect(
      again.kind === 'ok' && again.connections.find((c) => c.name === 'Team REST')?.alreadyHere,
    ).toBe(true);
    await until('A drained', async () => (await a.api.teamStatus({})).queued === 0);
    const after = JSON.stringify((await sql.query('SELECT * FROM connections')).rows);
    expect(after).toContain('"shared_by":"alice"');
    expect(after).not.toContain('alices-own-token');
    expect(dump).not.toContain('draft-marker-5f1c');
    expect(dump).not.toContain(SANDBOX_CREDENTIALS.twilio.authToken);
    expect(dump).not.toContain(SANDBOX_CREDENTIALS.genesys.bearerToken);
  });
});

describe('concurrent writers through both hosts, with faults', () => {
  it("gives a shared audit whose rows match the server's history", async () => {
    const refsB = await b.api.listResources({
      connectionId: (await refIn(b.api, 'Sync documents', 'x')).connectionId,
    });
    if (refsB.kind !== 'ok') throw new Error(refsB.message);
    const ids = refsB.items.slice(0, 2).map((item) => item.id);
    expect(ids.length).toBe(2);
    const serviceSid = (await b.api.listConnections({})).find((c) =>
      c.name.includes('Sync documents'),
    )!.params['serviceSid']!;
    const serverPath = (id: string) => `/sync/v1/Services/${serviceSid}/Documents/${id}`;
    const admin = (method: string, path: string, body?: unknown) =>
      fetch(`${sandbox.url}/_sandbox${path}`, {
        method,
        headers: { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const startedAt = new Date().toISOString();
    // Lost answers (applied, then the connection drops), refusals, 503s and slow writes, on both documents.
    for (const id of ids) {
      for (const fault of [
        { kind: 'close-after', method: 'POST', pathPrefix: serverPath(id), times: 2 },
        { kind: 'close-before', method: 'POST', pathPrefix: serverPath(id), times: 1 },
        { kind: 'error', status: 503, method: 'POST', pathPrefix: serverPath(id), times: 1 },
        { kind: 'delay', delayMs: 150, method: 'POST', pathPrefix: serverPath(id), times: 4 },
      ])
        expect((await admin('POST', '/faults', fault)).status).toBeLessThan(300);
    }
    const writers = [a.api, a.api, a.api, b.api, b.api, b.api].map(async (api, writer) => {
      const outcomes: string[] = [];
      for (let i = 0; i < 6; i++) {
        const ref = await refIn(api, 'Sync documents', ids[(writer + i) % ids.length]!);
        const result = await saveThrough(api, ref, (d) => (d[`writer${writer}`] = i));
        outcomes.push(result.kind);
      }
      return outcomes;
    });
    const outcomes = (await Promise.all(writers)).flat();
    await admin('DELETE', '/faults');
    expect(outcomes).toContain('saved');
    expect(outcomes.some((o) => o === 'unknown-outcome' || o === 'error')).toBe(true);
    await until(
      'both hosts drained',
      async () =>
        (await b.api.teamStatus({})).queued === 0 && (await a.api.teamStatus({})).queued === 0,
      10_000,
    );

    const shared = await b.api.auditQuery({ since: startedAt });
    if (shared.kind !== 'ok') throw new Error(shared.message);
    const localA = (await a.api.auditLog({})).entries.filter((e) => e.at >= startedAt);
    const localB = (await b.api.auditLog({})).entries.filter((e) => e.at >= startedAt);
    // Every write of both copies is in the shared audit exactly once, in its final state.
    expect(shared.entries.length).toBe(localA.length + localB.length);
    expect(new Set(shared.entries.map((e) => e.key)).size).toBe(shared.entries.length);
    expect(shared.entries.filter((e) => e.state === 'in-flight')).toEqual([]);
    const byOperator = (op: string) =>
      shared.entries
        .filter((e) => e.operator === op)
        .map((e) => [e.state, e.outcome, e.toRevision])
        .sort();
    expect(byOperator('alice')).toEqual(
      localA.map((e) => [e.state, e.outcome, e.toRevision]).sort(),
    );
    expect(byOperator('bob')).toEqual(localB.map((e) => [e.state, e.outcome, e.toRevision]).sort());

    for (const id of ids) {
      const res = await admin('GET', `/history?path=${encodeURIComponent(serverPath(id))}`);
      const server = (
        (await res.json()) as { revisions: Array<{ op: string; at: string; revision: string }> }
      ).revisions.filter((r) => r.at >= startedAt);
      const rows = shared.entries.filter((e) => e.resourceId === id);
      const savedRevisions = rows
        .filter((e) => e.state === 'settled' && e.outcome.startsWith('saved'))
        .map((e) => e.toRevision);
      const serverRevisions = server.map((r) => r.revision);
      // Each write the audit calls saved is a revision the server holds, and no two rows claim one.
      for (const revision of savedRevisions) expect(serverRevisions).toContain(revision);
      expect(new Set(savedRevisions).size).toBe(savedRevisions.length);
      // Each revision the server made is a saved row, or one of the writes whose outcome stayed unknown.
      const unexplained = serverRevisions.filter((r) => !savedRevisions.includes(r));
      expect(unexplained.length).toBeLessThanOrEqual(
        rows.filter((e) => e.state === 'pending').length,
      );
    }
    console.log(
      `[team-store] concurrent writers: ${outcomes.length} saves (${[...new Set(outcomes)].map((o) => `${o} ${outcomes.filter((x) => x === o).length}`).join(', ')}), ${shared.entries.length} shared audit rows`,
    );
  }, 60_000);
});

describe('batch reports', () => {
  it('a batch whose intent holds an integer beyond 2^53 is shared, and does not hold up the rows behind it', async () => {
    const ref = await refIn(b.api, 'TaskRouter', SANDBOX_IDS.taskSids[30]!);
    const started = await b.api.startBatch({
      connectionId: ref.connectionId,
      resourceIds: [ref.id],
      intents: [{ kind: 'set', path: '/attributes/account', value: 12345678901234567890n }],
    });
    if (started.kind !== 'ok') throw new Error(started.message);
    await batchDone(b.api, started.batch.batchId);
    const shared = await until('the report in the team store', async () => {
      const rows = await sql.query<{ intents: string }>(
        'SELECT intents::text AS intents FROM batch_reports WHERE batch_id = $1',
        [started.batch.batchId],
      );
      return rows.rows[0];
    });
    expect(shared.intents).toContain('12345678901234567890');
    // The outbox went on: the batch's audit row is there too.
    await until('the batch audit row in the team store', async () => {
      const rows = await sql.query(`SELECT 1 FROM audit WHERE batch_id = $1`, [
        started.batch.batchId,
      ]);
      return rows.rowCount ?? 0;
    });
  });

  it("A's batch is seen by B: the report with A's name, each target, the audit rows with the batch id, and a settled queue group", async () => {
    const connectionA = (await a.api.listConnections({})).find((c) =>
      c.name.includes('TaskRouter'),
    )!;
    const refB = await refIn(b.api, 'TaskRouter', 'x');
    const sids = SANDBOX_IDS.taskSids.slice(10, 14);
    const contested = sids[1]!;
    // The other writer: the contested task's write is held 400 ms, and changed meanwhile on the batch's path.
    await sandboxAdmin('POST', '/faults', {
      kind: 'delay',
      method: 'POST',
      pathPrefix: `${TASKS}/${contested}`,
      delayMs: 400,
    });
    const started = await a.api.startBatch({
      connectionId: connectionA.id,
      resourceIds: sids,
      intents: [{ kind: 'set', path: '/priority', value: 61 }],
      concurrency: 2,
      description: 'priority 61 for the team test',
    });
    if (started.kind !== 'ok') throw new Error(started.message);
    const batchId = started.batch.batchId;
    await until(
      'the contested write in flight',
      async () =>
        (await a.api.auditLog({})).entries.some(
          (e) => e.batchId === batchId && e.resourceId === contested && e.state === 'in-flight',
        ),
      10_000,
    );
    await sandboxAdmin('POST', '/edit', {
      path: `${TASKS}/${contested}`,
      fields: { priority: 3 },
      actor: 'colleague',
    });
    const done = await batchDone(a.api, batchId);
    expect(done.counts).toMatchObject({ applied: 3, queued: 1 });

    const seen = await until('the finished report on B', async () => {
      const r = await b.api.teamBatches({ connectionId: refB.connectionId });
      return r.kind === 'ok'
        ? r.batches.find((x) => x.batchId === batchId && x.state === 'done')
        : null;
    });
    expect(seen).toMatchObject({
      operator: 'alice',
      connectionName: connectionA.name,
      description: 'priority 61 for the team test',
      total: 4,
      writesSent: 4,
    });
    expect(seen.counts).toMatchObject({ applied: 3, queued: 1, pending: 0, running: 0 });
    const targetsA = await a.api.batchReport({ batchId });
    if (targetsA.kind !== 'ok') throw new Error(targetsA.message);
    expect(
      seen.targets.map((t) => [
        t.resourceId,
        t.status,
        t.attempts,
        t.sent,
        t.fromRevision,
        t.toRevision,
        t.signature,
      ]),
    ).toEqual(
      targetsA.targets.map((t) => [
        t.resourceId,
        t.status,
        t.attempts,
        t.sent,
        t.fromRevision,
        t.toRevision,
        t.signature,
      ]),
    );

    // The audit rows carry the batch id, and each applied target points at its row.
    const auditA = (await a.api.auditLog({})).entries.filter((e) => e.batchId === batchId);
    expect(auditA.length).toBe(4);
    await until('A drained', async () => (await a.api.teamStatus({})).queued === 0);
    const shared = await b.api.auditQuery({ connectionId: refB.connectionId });
    const ofBatch = shared.kind === 'ok' ? shared.entries.filter((e) => e.batchId === batchId) : [];
    expect(ofBatch.map((e) => e.resourceId).sort()).toEqual(auditA.map((e) => e.resourceId).sort());
    expect(ofBatch.every((e) => e.operator === 'alice')).toBe(true);
    const keys = new Set(ofBatch.map((e) => e.key));
    for (const t of seen.targets.filter((x) => x.status === 'applied'))
      expect(keys.has(t.auditKey!)).toBe(true);

    // The history of one resource: the batches that touched it, with only its own target.
    const ofResource = await b.api.teamBatches({ resourceId: contested });
    expect(ofResource.kind === 'ok' && ofResource.source).toBe('team');
    const touched =
      ofResource.kind === 'ok' ? ofResource.batches.find((x) => x.batchId === batchId) : undefined;
    expect(touched?.targets).toEqual([
      expect.objectContaining({ resourceId: contested, status: 'queued', signature: '/priority' }),
    ]);
    const untouched = await b.api.teamBatches({ resourceId: SANDBOX_IDS.taskSids[30]! });
    expect(untouched.kind === 'ok' && untouched.batches.some((x) => x.batchId === batchId)).toBe(
      false,
    );

    // A settles the queue group (keeps the colleague's change): B sees the decision without another state change.
    const settled = await a.api.settleBatchGroup({
      batchId,
      signature: '/priority',
      decision: 'theirs',
    });
    expect(settled.kind === 'ok' && settled.batch.state).toBe('done');
    const after = await until('kept-theirs on B', async () => {
      const r = await b.api.teamBatches({ resourceId: contested });
      const report = r.kind === 'ok' ? r.batches.find((x) => x.batchId === batchId) : undefined;
      return report?.targets[0]?.status === 'kept-theirs' ? report : null;
    });
    expect(after.counts).toMatchObject({ queued: 0, 'kept-theirs': 1 });
    expect(
      Number(
        (
          await sql.query('SELECT count(*) FROM batch_report_targets WHERE batch_id = $1', [
            batchId,
          ])
        ).rows[0].count,
      ),
    ).toBe(4);

    // Bad input is named, not a 500.
    expect(await b.api.teamBatches({ connectionId: 'no-such-connection' })).toMatchObject({
      kind: 'error',
      reason: 'unknown-connection',
    });
  }, 40_000);

  it('a report read while its host writes it is one moment: its counts always match its targets', async () => {
    const id = 'race-batch';
    // The tables, whichever test runs first (a host makes them on its first push).
    expect(await migrate(sql)).toMatchObject({ ok: true });
    await sql.query(
      `INSERT INTO batch_reports (batch_id, host_id, operator, scope, connection_name, description, intents, state, total, writes_sent, counts, created_at)
       VALUES ($1, 'race-host', 'carol', 'race-scope', 'Race', 'race', '[]', 'running', 1, 0, $2, now())`,
      [id, JSON.stringify({ queued: 1, 'kept-theirs': 0 })],
    );
    await sql.query(
      `INSERT INTO batch_report_targets (batch_id, seq, resource_path, status, attempts, sent)
       VALUES ($1, 0, 'race-target', 'queued', 0, false)`,
      [id],
    );
    // The host's push: the report's counts, then its target, in one transaction, again and again.
    let writing = true;
    let flips = 0;
    const writer = (async () => {
      const client = await sql.connect();
      try {
        while (writing) {
          const next = flips % 2 === 0 ? 'kept-theirs' : 'queued';
          await client.query('BEGIN');
          await client.query('UPDATE batch_reports SET counts = $2 WHERE batch_id = $1', [
            id,
            JSON.stringify({
              queued: next === 'queued' ? 1 : 0,
              'kept-theirs': next === 'kept-theirs' ? 1 : 0,
            }),
          ]);
          await client.query('UPDATE batch_report_targets SET status = $2 WHERE batch_id = $1', [
            id,
            next,
          ]);
          await client.query('COMMIT');
          flips++;
        }
      } finally {
        client.release();
      }
    })();
    const mismatches: string[] = [];
    try {
      for (let i = 0; i < 200; i++) {
        const read = await b.api.teamBatches({ resourceId: 'race-target' });
        const report = read.kind === 'ok' ? read.batches.find((x) => x.batchId === id) : undefined;
        if (!report) throw new Error(`no report: ${JSON.stringify(read)}`);
        const queued = report.targets.filter((t) => t.status === 'queued').length;
        if (report.counts.queued !== queued)
          mismatches.push(
            `counts ${JSON.stringify(report.counts)} · target ${report.targets[0]?.status}`,
          );
      }
    } finally {
      writing = false;
      await writer;
      await sql.query('DELETE FROM batch_reports WHERE batch_id = $1', [id]);
    }
    expect(flips).toBeGreaterThan(20);
    expect(mismatches).toEqual([]);
  });
});

describe('a large batch report', () => {
  // Each target was added by copying the batch's list so far: 100,000 took minutes, the host
  // busy all the while. A regression shows as the test's time limit.
  it('is read whole, its targets in order', async () => {
    const id = 'large-batch';
    const n = 100_000;
    expect(await migrate(sql)).toMatchObject({ ok: true });
    await sql.query(
      `INSERT INTO batch_reports (batch_id, host_id, operator, scope, connection_name, description, intents, state, total, writes_sent, counts, created_at)
       VALUES ($1, 'large-host', 'carol', 'large-scope', 'Large', 'large', '[]', 'done', $2, $2, $3, now())`,
      [id, n, JSON.stringify({ written: n })],
    );
    await sql.query(
      `INSERT INTO batch_report_targets (batch_id, seq, resource_path, status, attempts, sent)
       SELECT $1, s, 'target-' || s, 'written', 1, true FROM generate_series(0, $2 - 1) AS s`,
      [id, n],
    );
    try {
      const read = await b.api.teamBatches({});
      const report = read.kind === 'ok' ? read.batches.find((x) => x.batchId === id) : undefined;
      expect(report?.targets.length).toBe(n);
      expect(report?.targets[0]?.resourceId).toBe('target-0');
      expect(report?.targets[n - 1]?.resourceId).toBe(`target-${n - 1}`);
    } finally {
      await sql.query('DELETE FROM batch_report_targets WHERE batch_id = $1', [id]);
      await sql.query('DELETE FROM batch_reports WHERE batch_id = $1', [id]);
    }
  }, 30_000);
});

describe('a batch interrupted by a crash', () => {
  it('is reported as interrupted when its host starts again', async () => {
    const first = await startHarness({
      sandbox,
      desk: { teamStore: { url: db.url, operator: 'dave' } },
    });
    const tasks = await refIn(first.api, 'TaskRouter', 'x');
    const started = await first.api.startBatch({
      connectionId: tasks.connectionId,
      resourceIds: [SANDBOX_IDS.taskSids[50]!],
      intents: [{ kind: 'set', path: '/priority', value: 64 }],
    });
    if (started.kind !== 'ok') throw new Error(started.message);
    const batchId = started.batch.batchId;
    await batchDone(first.api, batchId);
    await until('dave drained', async () => (await first.api.teamStatus({})).queued === 0);
    await first.desk.close();
    // As if the process had died mid-run: the local row still says running.
    const local = new DatabaseSync(path.join(first.dataDir, 'conflict-desk.sqlite'));
    try {
      local.prepare(`UPDATE batches SET state = 'running' WHERE id = ?`).run(batchId);
    } finally {
      local.close();
    }
    const again = await startHarness({
      dataDir: first.dataDir,
      sandbox,
      desk: { teamStore: { url: db.url, operator: 'dave' } },
    });
    try {
      expect((await again.api.batchStatus({ batchId })).kind === 'ok').toBe(true);
      const row = await until('interrupted in the team store', async () =>
        (
          await sql.query<{ state: string; operator: string }>(
            'SELECT state, operator FROM batch_reports WHERE batch_id = $1',
            [batchId],
          )
        ).rows.find((r) => r.state === 'interrupted'),
      );
      expect(row.operator).toBe('dave');
    } finally {
      await again.desk.close();
    }
  });
});

describe('a copy that joined before schema 2', () => {
  it('sends its batches and their audit rows (with the batch id) once, when it first runs with schema 2', async () => {
    const first = await startHarness({
      sandbox,
      desk: { teamStore: { url: db.url, operator: 'erin' } },
    });
    const tasks = await refIn(first.api, 'TaskRouter', 'x');
    const started = await first.api.startBatch({
      connectionId: tasks.connectionId,
      resourceIds: [SANDBOX_IDS.taskSids[51]!, SANDBOX_IDS.taskSids[52]!],
      intents: [{ kind: 'set', path: '/priority', value: 66 }],
    });
    if (started.kind !== 'ok') throw new Error(started.message);
    const batchId = started.batch.batchId;
    await batchDone(first.api, batchId);
    await until('erin drained', async () => (await first.api.teamStatus({})).queued === 0);
    await first.desk.close();
    // What a copy of the app without schema 2 left: its audit rows shared without a batch id, no report, no batch backfill.
    await sql.query('UPDATE audit SET batch_id = NULL WHERE batch_id = $1', [batchId]);
    await sql.query('DELETE FROM batch_reports WHERE batch_id = $1', [batchId]);
    const local = new DatabaseSync(path.join(first.dataDir, 'conflict-desk.sqlite'));
    try {
      local.prepare(`DELETE FROM team_meta WHERE key = 'backfilled-batches'`).run();
    } finally {
      local.close();
    }
    const again = await startHarness({
      dataDir: first.dataDir,
      sandbox,
      desk: { teamStore: { url: db.url, operator: 'erin' } },
    });
    try {
      await until('erin drained again', async () => {
        const s = await again.api.teamStatus({});
        return s.state === 'connected' && s.queued === 0;
      });
      expect(
        (
          await sql.query('SELECT operator, total FROM batch_reports WHERE batch_id = $1', [
            batchId,
          ])
        ).rows,
      ).toEqual([{ operator: 'erin', total: 2 }]);
      expect(
        (
          await sql.query(
            `SELECT count(*)::int AS n FROM audit WHERE operator = 'erin' AND batch_id = $1`,
            [batchId],
          )
        ).rows,
      ).toEqual([{ n: 2 }]);
      expect(
        (await sql.query(`SELECT count(*)::int AS n FROM audit WHERE operator = 'erin'`)).rows,
      ).toEqual([{ n: 2 }]);
    } finally {
      await again.desk.close();
    }
  });
});

describe('presence', () => {
  it("shows A on B's list while A has the task open, then expires after A is killed with SIGKILL", async () => {
    const refA = await refIn(a.api, 'TaskRouter', 'WT00000000000000000000000000000001');
    const refB = await refIn(b.api, 'TaskRouter', refA.id);
    const editingSince = new Date(Date.now() - 125_000).toISOString();
    await a.api.announcePresence({ open: [{ ref: refA, editingSince }] });
    const seen = await until(
      'A present on B',
      async () => {
        const p = await b.api.teamPresence({ connectionId: refB.connectionId });
        return p.kind === 'ok'
          ? p.presence.find((x) => x.operator === 'alice' && x.resourceId === refA.id)
          : null;
      },
      2000,
    );
    expect(seen.editingForMs).toBeGreaterThanOrEqual(120_000);
    // A time that does not parse is refused by name, and does not knock the store offline.
    expect(
      await b.api.announcePresence({ open: [{ ref: refB, editingSince: 'since lunch' }] }),
    ).toEqual({
      kind: 'error',
      reason: 'invalid-input',
      message: 'editingSince "since lunch" is not a date and time (use ISO 8601).',
    });
    // B does not list itself.
    await b.api.announcePresence({ open: [{ ref: refB, editingSince: null }] });
    await new Promise((resolve) => setTimeout(resolve, HEARTBEAT_MS));
    const listed = await b.api.teamPresence({ connectionId: refB.connectionId });
    expect(listed.kind === 'ok' && listed.presence.map((p) => p.operator)).toEqual(['alice']);

    await a.kill9();
    const killedAt = Date.now();
    await until(
      'A gone from B',
      async () => {
        const p = await b.api.teamPresence({ connectionId: refB.connectionId });
        return p.kind === 'ok' && p.presence.length === 0;
      },
      TTL_MS + 2000,
    );
    const expiredAfter = Date.now() - killedAt;
    console.log(
      `[team-store] presence expired ${expiredAfter} ms after kill -9 (heartbeat ${HEARTBEAT_MS} ms, ttl ${TTL_MS} ms)`,
    );
    expect(expiredAfter).toBeLessThanOrEqual(TTL_MS + 500);
    // Not expired too early either: the last heartbeat keeps it for about the TTL.
    expect(expiredAfter).toBeGreaterThan(TTL_MS - HEARTBEAT_MS - 300);
    await b.api.announcePresence({ open: [] });
  });
});

describe('a row the database refuses', () => {
  it('is reported and skipped; the rows behind it still land', async () => {
    await until('drained', async () => (await b.api.teamStatus({})).queued === 0);
    const ref = await refIn(b.api, 'Sync documents', 'agent-settings');
    // PostgreSQL text cannot hold NUL; node:sqlite can. A row like that must not block the queue.
    const local = new DatabaseSync(path.join(b.dataDir, 'conflict-desk.sqlite'));
    try {
      const now = new Date().toISOString();
      const row = local
        .prepare(
          `INSERT INTO journal (connection_id, resource_path, revision, body_hash, body, source, seen_at, last_seen_at) VALUES (?, 'agent-settings', 'poison', 'h-poison', ?, 'opened', ?, ?)`,
        )
        .run(ref.connectionId, 'a\u0000b', now, now);
      local
        .prepare(
          `INSERT INTO team_outbox (kind, local_id, seq, queued_at) VALUES ('journal', ?, 0, ?)`,
        )
        .run(String(row.lastInsertRowid), now);
    } finally {
      local.close();
    }
    const saved = await saveThrough(b.api, ref, (d) => (d['afterPoison'] = true));
    expect(saved.kind).toBe('saved');
    const status = await until('drained past the refused row', async () => {
      const s = await b.api.teamStatus({});
      return s.queued === 0 ? s : null;
    });
    expect(status.refused).toBe(1);
    expect(status.lastError).toMatch(/refused journal row \d+: .*0x00/);
    const revision = saved.kind === 'saved' ? saved.snapshot.revision : null;
    const landed = await sql.query(
      'SELECT saved_by FROM journal WHERE revision = $1 AND resource_path = $2',
      [revision, 'agent-settings'],
    );
    expect(landed.rows).toEqual([{ saved_by: 'bob' }]);
    expect((await sql.query(`SELECT 1 FROM journal WHERE revision = 'poison'`)).rows).toEqual([]);
  });
});

describe('the team store going down', () => {
  it('loses nothing: writes queue locally, drain when it is back, and land once', async () => {
    const ref = await refIn(b.api, 'Sync documents', 'agent-settings');
    await until('drained', async () => (await b.api.teamStatus({})).queued === 0);
    db.stop();
    try {
      for (let i = 0; i < 5; i++)
        expect((await saveThrough(b.api, ref, (d) => (d['downCount'] = i))).kind).toBe('saved');
      const status = await until('offline', async () => {
        const s = await b.api.teamStatus({});
        return s.state === 'offline' ? s : null;
      });
      expect(status.queued).toBeGreaterThanOrEqual(10);
      // History still answers, from this copy's journal.
      const history = await b.api.history({ ref });
      expect(
        history.kind === 'ok' && history.entries.filter((e) => e.team?.savedBy === 'bob').length,
      ).toBeGreaterThanOrEqual(5);
    } finally {
      db.start();
    }
    await until(
      'drained after restart',
      async () => (await b.api.teamStatus({})).queued === 0,
      15_000,
    );
    const local = await b.api.auditLog({});
    const shared = await sql.query<{ n: string; keys: string }>(
      `SELECT count(*) AS n, count(DISTINCT (host_id, local_id)) AS keys FROM audit WHERE operator = 'bob'`,
    );
    expect(Number(shared.rows[0]!.n)).toBe(local.entries.length);
    expect(Number(shared.rows[0]!.keys)).toBe(local.entries.length);
    const settled = await sql.query<{ state: string }>(
      `SELECT state FROM audit WHERE operator = 'bob' AND paths @> '["/downCount"]'`,
    );
    expect(settled.rows.map((r) => r.state)).toEqual([
      'settled',
      'settled',
      'settled',
      'settled',
      'settled',
    ]);
    const dupes = await sql.query(
      `SELECT scope, resource_path, revision, body_hash, count(*) FROM journal GROUP BY 1, 2, 3, 4 HAVING count(*) > 1`,
    );
    expect(dupes.rows).toEqual([]);
  }, 40_000);

  it('a batch run while it is down loses nothing and duplicates nothing once it drains, even sent twice', async () => {
    const ref = await refIn(b.api, 'TaskRouter', 'x');
    const sids = SANDBOX_IDS.taskSids.slice(20, 26);
    await until('drained', async () => (await b.api.teamStatus({})).queued === 0);
    db.stop();
    let batchId = '';
    try {
      const started = await b.api.startBatch({
        connectionId: ref.connectionId,
        resourceIds: sids,
        intents: [{ kind: 'set', path: '/priority', value: 62 }],
        concurrency: 3,
      });
      if (started.kind !== 'ok') throw new Error(started.message);
      batchId = started.batch.batchId;
      expect((await batchDone(b.api, batchId)).counts.applied).toBe(6);
      const status = await until('offline', async () => {
        const s = await b.api.teamStatus({});
        return s.state === 'offline' ? s : null;
      });
      // Six audit rows and the batch (one outbox row however many state changes) wait locally.
      expect(status.queued).toBeGreaterThanOrEqual(7);
      const local = new DatabaseSync(path.join(b.dataDir, 'conflict-desk.sqlite'));
      try {
        expect(
          local
            .prepare(`SELECT count(*) AS n FROM team_outbox WHERE kind = 'batch' AND local_id = ?`)
            .get(batchId),
        ).toEqual({ n: 1 });
      } finally {
        local.close();
      }
      const offline = await b.api.teamBatches({});
      expect(offline).toMatchObject({ kind: 'error', reason: 'network' });
    } finally {
      db.start();
    }
    await until(
      'drained after restart',
      async () => (await b.api.teamStatus({})).queued === 0,
      15_000,
    );
    const localAudit = (await b.api.auditLog({})).entries.filter((e) => e.batchId === batchId);
    expect(localAudit.length).toBe(6);
    const check = async () => {
      const report = await sql.query(
        'SELECT operator, state, total, writes_sent, counts FROM batch_reports WHERE batch_id = $1',
        [batchId],
      );
      expect(report.rows).toEqual([
        expect.objectContaining({ operator: 'bob', state: 'done', total: 6, writes_sent: 6 }),
      ]);
      expect(report.rows[0].counts).toMatchObject({ applied: 6, pending: 0, running: 0 });
      const targets = await sql.query<{ status: string; n: number }>(
        'SELECT status, count(*)::int AS n FROM batch_report_targets WHERE batch_id = $1 GROUP BY status',
        [batchId],
      );
      expect(targets.rows).toEqual([{ status: 'applied', n: 6 }]);
      const audit = await sql.query<{ n: number; keys: number; settled: number }>(
        `SELECT count(*)::int AS n, count(DISTINCT (host_id, local_id))::int AS keys, count(*) FILTER (WHERE state = 'settled')::int AS settled FROM audit WHERE batch_id = $1`,
        [batchId],
      );
      expect(audit.rows).toEqual([{ n: 6, keys: 6, settled: 6 }]);
    };
    await check();
    // A crash between sending and forgetting: the same rows are queued and drained again.
    const local = new DatabaseSync(path.join(b.dataDir, 'conflict-desk.sqlite'));
    try {
      const now = new Date().toISOString();
      const again = local.prepare(
        `INSERT INTO team_outbox (kind, local_id, seq, queued_at) VALUES (?, ?, 0, ?)`,
      );
      again.run('batch', batchId, now);
      for (const entry of localAudit) again.run('audit', String(entry.id), now);
    } finally {
      local.close();
    }
    // Any write wakes the drain.
    expect(
      (
        await saveThrough(
          b.api,
          await refIn(b.api, 'Sync documents', 'agent-settings'),
          (d) => (d['afterBatch'] = true),
        )
      ).kind,
    ).toBe('saved');
    await until(
      'drained the resent rows',
      async () => (await b.api.teamStatus({})).queued === 0,
      15_000,
    );
    await check();
  }, 60_000);
});

export type { SharedAuditEntry };
