// Who the team store says wrote a row, and whether every local row reaches it: one copy of
// Conflict Desk on a real sandbox and a real PostgreSQL (initdb/pg_ctl, see test-support/postgres).
import { cpSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import { DatabaseSync } from 'node:sqlite';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ResourceRef } from '../../../shared/api/types';
import { SANDBOX_CREDENTIALS, SANDBOX_IDS } from '../../../sandbox/index';
import { startEmbeddedSandbox, type EmbeddedSandbox } from '../embedded-sandbox';
import { startHarness, type Harness } from '../../test-support/desk-harness';
import { startPostgres, type TestPostgres } from '../../test-support/postgres';

let db: TestPostgres;
let sandbox: EmbeddedSandbox;
let sql: pg.Pool;

beforeAll(async () => {
  db = await startPostgres();
  sql = new pg.Pool({ connectionString: db.url, max: 2 });
  sql.on('error', () => undefined);
  sql.on('connect', (client) => client.on('error', () => undefined));
  sandbox = await startEmbeddedSandbox();
}, 60_000);

afterAll(async () => {
  await sandbox?.close();
  await sql?.end();
  db?.close();
}, 30_000);

const until = async <T>(
  what: string,
  probe: () => Promise<T | null | undefined | false>,
  timeoutMs = 10_000,
): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};
const refIn = async (h: Harness, namePart: string, id: string): Promise<ResourceRef> => {
  const connection = (await h.api.listConnections({})).find((c) => c.name.includes(namePart));
  if (!connection) throw new Error(`no connection like ${namePart}`);
  return { connectionId: connection.id, id };
};
async function saveThrough(h: Harness, ref: ResourceRef, key: string, value: unknown) {
  const opened = await h.api.openResource({ ref });
  if (opened.kind !== 'ok') throw new Error(opened.message);
  const doc = JSON.parse(opened.snapshot.text) as Record<string, unknown>;
  doc[key] = value;
  return h.api.saveResource({
    ref,
    text: JSON.stringify(doc, null, 2),
    baseJournalId: opened.snapshot.journalId,
  });
}
const drained = (h: Harness) =>
  until('connected and drained', async () => {
    const s = await h.api.teamStatus({});
    return s.state === 'connected' && s.queued === 0;
  });

describe('attribution', () => {
  it('rows written while the store is down keep the name they were written under, even if the operator is renamed before they drain', async () => {
    const h = await startHarness({ sandbox });
    try {
      expect((await h.api.setTeamStore({ url: db.url, operator: 'dave' })).kind).toBe('ok');
      await drained(h);
      const ref = await refIn(h, 'Sync documents', 'agent-settings');
      db.stop();
      let revision: string | null = null;
      try {
        const saved = await saveThrough(h, ref, 'daveWhileDown', true);
        if (saved.kind !== 'saved') throw new Error(saved.kind);
        revision = saved.snapshot.revision;
        // Dave hands the desk over: the operator name changes while his save is still queued.
        expect((await h.api.setTeamStore({ url: db.url, operator: 'erin' })).kind).toBe('ok');
        expect((await h.api.teamStatus({})).queued).toBeGreaterThan(0);
      } finally {
        db.start();
      }
      await drained(h);
      const audit = await sql.query<{ operator: string }>(
        `SELECT operator FROM audit WHERE paths @> '["/daveWhileDown"]'`,
      );
      expect(audit.rows).toEqual([{ operator: 'dave' }]);
      const journal = await sql.query<{ saved_by: string; first_operator: string }>(
        'SELECT saved_by, first_operator FROM journal WHERE resource_path = $1 AND revision = $2',
        ['agent-settings', revision],
      );
      expect(journal.rows).toEqual([{ saved_by: 'dave', first_operator: 'dave' }]);
    } finally {
      await h.desk.close();
    }
  }, 60_000);
});

describe('history while the store is down', () => {
  it("after a rename, this copy's earlier saves are still shown under the name they were saved under", async () => {
    const h = await startHarness({ sandbox });
    try {
      expect((await h.api.setTeamStore({ url: db.url, operator: 'ivy' })).kind).toBe('ok');
      await drained(h);
      const ref = await refIn(h, 'Sync documents', 'agent-settings');
      db.stop();
      try {
        const saved = await saveThrough(h, ref, 'ivyWhileDown', true);
        if (saved.kind !== 'saved') throw new Error(saved.kind);
        expect((await h.api.setTeamStore({ url: db.url, operator: 'jon' })).kind).toBe('ok');
        const history = await h.api.history({ ref });
        if (history.kind !== 'ok') throw new Error(history.kind);
        const entry = history.entries.find((e) => e.revision === saved.snapshot.revision);
        expect(entry?.team).toMatchObject({ savedBy: 'ivy', firstSeenBy: 'ivy' });
      } finally {
        db.start();
      }
      await drained(h);
    } finally {
      await h.desk.close();
    }
  }, 60_000);
});

describe('a team store turned off and on again', () => {
  it('shares what this copy wrote while it was off', async () => {
    const h = await startHarness({ sandbox });
    try {
      expect((await h.api.setTeamStore({ url: db.url, operator: 'nia' })).kind).toBe('ok');
      await drained(h);
      const ref = await refIn(h, 'Sync documents', 'agent-settings');
      expect((await h.api.setTeamStore({ url: null })).kind).toBe('ok');
      const saved = await saveThrough(h, ref, 'niaWhileOff', true);
      if (saved.kind !== 'saved') throw new Error(saved.kind);
      expect((await h.api.setTeamStore({ url: db.url, operator: 'nia' })).kind).toBe('ok');
      await drained(h);
      const audit = await sql.query<{ operator: string; state: string }>(
        `SELECT operator, state FROM audit WHERE paths @> '["/niaWhileOff"]'`,
      );
      expect(audit.rows).toEqual([{ operator: 'nia', state: 'settled' }]);
      const journal = await sql.query<{ saved_by: string }>(
        'SELECT saved_by FROM journal WHERE resource_path = $1 AND revision = $2',
        ['agent-settings', saved.snapshot.revision],
      );
      expect(journal.rows).toEqual([{ saved_by: 'nia' }]);
    } finally {
      await h.desk.close();
    }
  }, 60_000);
});

describe('connections cut mid-sync', () => {
  it('every queued row lands once, whatever transaction the server drops', async () => {
    const h = await startHarness({ sandbox });
    try {
      expect((await h.api.setTeamStore({ url: db.url, operator: 'oli' })).kind).toBe('ok');
      await drained(h);
      const ref = await refIn(h, 'Sync documents', 'agent-settings');
      db.stop();
      try {
        for (let i = 0; i < 8; i++)
          expect((await saveThrough(h, ref, 'oliCut', i)).kind).toBe('saved');
      } finally {
        db.start();
      }
      // The server drops the desk's connections again and again while it drains.
      let cutting = true;
      let cuts = 0;
      const cutter = (async () => {
        while (cutting) {
          const killed = await sql.query(
            `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'conflict-desk oli' AND pid <> pg_backend_pid()`,
          );
          cuts += killed.rowCount ?? 0;
          await new Promise((resolve) => setTimeout(resolve, 3));
        }
      })();
      await new Promise((resolve) => setTimeout(resolve, 400));
      cutting = false;
      await cutter;
      await drained(h);
      const hostId = (
        await sql.query<{ host_id: string }>(
          `SELECT DISTINCT host_id FROM audit WHERE operator = 'oli'`,
        )
      ).rows.map((r) => r.host_id);
      expect(hostId.length).toBe(1);
      const local = (await h.api.auditLog({})).entries;
      const shared = await sql.query<{ n: number; keys: number; settled: number }>(
        `SELECT count(*)::int AS n, count(DISTINCT local_id)::int AS keys, count(*) FILTER (WHERE state = 'settled')::int AS settled FROM audit WHERE host_id = $1`,
        hostId,
      );
      expect(shared.rows[0]).toEqual({
        n: local.length,
        keys: local.length,
        settled: local.length,
      });
      const dupes = await sql.query(
        `SELECT scope, resource_path, revision, body_hash FROM journal GROUP BY 1, 2, 3, 4 HAVING count(*) > 1`,
      );
      expect(dupes.rows).toEqual([]);
      expect(cuts).toBeGreaterThan(0);
    } finally {
      await h.desk.close();
    }
  }, 60_000);
});

describe('a local row and its place in the queue', () => {
  it('land together: a failure (or crash) between the two never leaves a local row the team will not get', async () => {
    const h = await startHarness({ sandbox });
    const file = path.join(h.dataDir, 'conflict-desk.sqlite');
    try {
      expect((await h.api.setTeamStore({ url: db.url, operator: 'fay' })).kind).toBe('ok');
      await drained(h);
      const ref = await refIn(h, 'Sync documents', 'agent-settings');
      const opened = await h.api.openResource({ ref });
      if (opened.kind !== 'ok') throw new Error(opened.message);
      const doc = JSON.parse(opened.snapshot.text) as Record<string, unknown>;
      doc['fayCrash'] = true;
      // The process "dies" at the second step: the outbox refuses the row after the local write.
      const other = new DatabaseSync(file);
      other.exec(
        `CREATE TRIGGER crash_before_queue BEFORE INSERT ON team_outbox BEGIN SELECT RAISE(ABORT, 'simulated crash'); END`,
      );
      try {
        await h.api
          .saveResource({
            ref,
            text: JSON.stringify(doc, null, 2),
            baseJournalId: opened.snapshot.journalId,
          })
          .catch(() => undefined);
      } finally {
        other.exec('DROP TRIGGER crash_before_queue');
      }
      // A later write wakes the drain; then every local row is in the team store.
      expect((await saveThrough(h, ref, 'fayAfter', true)).kind).toBe('saved');
      await drained(h);
      const hostId = (
        other.prepare(`SELECT value FROM team_meta WHERE key = 'host_id'`).get() as {
          value: string;
        }
      ).value;
      const localAudit = (
        other.prepare('SELECT id FROM audit ORDER BY id').all() as Array<{
          id: number;
        }>
      ).map((r) => r.id);
      const localJournal = other
        .prepare(`SELECT revision, body_hash FROM journal WHERE resource_path = 'agent-settings'`)
        .all() as Array<{ revision: string | null; body_hash: string }>;
      other.close();
      const sharedAudit = (
        await sql.query<{ local_id: string }>(
          'SELECT local_id FROM audit WHERE host_id = $1 ORDER BY local_id',
          [hostId],
        )
      ).rows.map((r) => Number(r.local_id));
      expect(sharedAudit).toEqual(localAudit);
      const sharedJournal = new Set(
        (
          await sql.query<{ revision: string | null; body_hash: string }>(
            `SELECT revision, body_hash FROM journal WHERE resource_path = 'agent-settings'`,
          )
        ).rows.map((r) => `${r.revision}|${r.body_hash}`),
      );
      for (const row of localJournal)
        expect(sharedJournal.has(`${row.revision}|${row.body_hash}`), JSON.stringify(row)).toBe(
          true,
        );
    } finally {
      await h.desk.close();
    }
  }, 60_000);
});

describe('presence across desks whose clocks disagree', () => {
  it('a desk whose clock runs an hour slow is shown as open and editing for seconds, not an hour', async () => {
    const realNow = Date.now();
    const slow = await startHarness({
      sandbox,
      desk: { teamHeartbeatMs: 300, teamPresenceTtlMs: 5000 },
    });
    const watcher = await startHarness({ sandbox });
    try {
      expect((await slow.api.setTeamStore({ url: db.url, operator: 'gus' })).kind).toBe('ok');
      expect((await watcher.api.setTeamStore({ url: db.url, operator: 'hal' })).kind).toBe('ok');
      await drained(slow);
      await drained(watcher);
      const ref = await refIn(slow, 'Sync documents', 'agent-settings');
      const seenFrom = await refIn(watcher, 'Sync documents', 'agent-settings');
      // Only Date is faked: the slow desk's clock (and so its ISO times) is an hour behind.
      vi.useFakeTimers({ toFake: ['Date'], now: realNow - 3_600_000, shouldAdvanceTime: true });
      // The operator started editing two seconds ago, by the slow desk's own clock.
      const editingSince = new Date(Date.now() - 2000).toISOString();
      expect((await slow.api.announcePresence({ open: [{ ref, editingSince }] })).kind).toBe('ok');
      const seen = await until('gus present for hal', async () => {
        const p = await watcher.api.teamPresence({ connectionId: seenFrom.connectionId });
        return p.kind === 'ok' ? p.presence.find((e) => e.operator === 'gus') : null;
      });
      expect(seen.openForMs).toBeLessThan(60_000);
      expect(seen.editingForMs).toBeGreaterThanOrEqual(1000);
      expect(seen.editingForMs).toBeLessThan(60_000);
    } finally {
      vi.useRealTimers();
      await slow.desk.close();
      await watcher.desk.close();
    }
  }, 60_000);
});

describe('the shared audit across desks whose clocks disagree', () => {
  it('a save from a desk whose clock runs an hour slow is placed at the time it happened, not an hour early', async () => {
    const realNow = Date.now();
    const h = await startHarness({ sandbox });
    try {
      expect((await h.api.setTeamStore({ url: db.url, operator: 'kim' })).kind).toBe('ok');
      await drained(h);
      const ref = await refIn(h, 'Sync documents', 'agent-settings');
      vi.useFakeTimers({ toFake: ['Date'], now: realNow - 3_600_000, shouldAdvanceTime: true });
      const saved = await saveThrough(h, ref, 'kimSlowClock', true);
      if (saved.kind !== 'saved') throw new Error(saved.kind);
      await drained(h);
      vi.useRealTimers();
      const audit = await sql.query<{ skew_ms: number }>(
        `SELECT abs(extract(epoch FROM now() - at) * 1000)::float8 AS skew_ms FROM audit WHERE paths @> '["/kimSlowClock"]'`,
      );
      expect(audit.rows.length).toBe(1);
      expect(audit.rows[0]!.skew_ms).toBeLessThan(60_000);
      const journal = await sql.query<{ skew_ms: number }>(
        `SELECT abs(extract(epoch FROM now() - first_seen_at) * 1000)::float8 AS skew_ms FROM journal WHERE resource_path = 'agent-settings' AND revision = $1`,
        [saved.snapshot.revision],
      );
      expect(journal.rows.length).toBe(1);
      expect(journal.rows[0]!.skew_ms).toBeLessThan(60_000);
    } finally {
      vi.useRealTimers();
      await h.desk.close();
    }
  }, 60_000);
});

describe("a hostile teammate's audit rows", () => {
  it('a row whose paths are not a list of strings does not break the team audit or its CSV export', async () => {
    const h = await startHarness({ sandbox });
    try {
      expect((await h.api.setTeamStore({ url: db.url, operator: 'lee' })).kind).toBe('ok');
      await drained(h);
      // Written straight into the shared store, as any team member with its address could.
      await sql.query(`INSERT INTO audit (host_id, local_id, operator, os_user, scope, connection_name, resource_path, mode, state, outcome, paths, at)
        VALUES ('h-mallory', 1, 'mallory', 'mallory', 's', 'c', 'x''; DROP TABLE audit; --', 'conditional', 'settled', 'saved', '{"not": "a list"}', now()),
               ('h-mallory', 2, 'mallory', 'mallory', 's', 'c', 'y', 'conditional', 'settled', 'saved', '["/a", 7, null]', now())`);
      const query = await h.api.auditQuery({ operator: 'mallory' });
      if (query.kind !== 'ok') throw new Error(query.message);
      expect(query.entries.map((e) => e.paths)).toEqual([
        ['{"not":"a list"}'],
        ['/a', '7', 'null'],
      ]);
      const csv = await h.api.auditCsv({ operator: 'mallory' });
      expect(csv).toMatchObject({ kind: 'ok', rows: 2 });
      expect(csv.kind === 'ok' && csv.csv).toContain("x'; DROP TABLE audit; --");
    } finally {
      await sql.query(`DELETE FROM audit WHERE host_id = 'h-mallory'`);
      await h.desk.close();
    }
  }, 60_000);
});

describe("a hostile teammate's journal rows", () => {
  it('a body larger than any server answer this app accepts is not read into history or the local store', async () => {
    const h = await startHarness({ sandbox });
    try {
      expect((await h.api.setTeamStore({ url: db.url, operator: 'max' })).kind).toBe('ok');
      const ref = await refIn(h, 'Sync documents', 'agent-settings');
      await h.api.openResource({ ref });
      await drained(h);
      const scope = (
        await sql.query<{ scope: string }>(
          `SELECT scope FROM journal WHERE resource_path = 'agent-settings' LIMIT 1`,
        )
      ).rows[0]!.scope;
      // 61 MiB: beyond what a desk's 20 MiB cap on a server answer can decode to (3 bytes a byte).
      await sql.query(
        `INSERT INTO journal (scope, resource_path, revision, body_hash, body, source, first_seen_at, first_operator, saved_by)
         VALUES ($1, 'agent-settings', 'huge', 'huge-hash', repeat('x', 61 * 1024 * 1024), 'opened', now(), 'mallory', 'mallory')`,
        [scope],
      );
      const history = await h.api.history({ ref });
      if (history.kind !== 'ok') throw new Error(history.kind);
      expect(history.entries.some((e) => e.revision === 'huge')).toBe(false);
      const local = new DatabaseSync(path.join(h.dataDir, 'conflict-desk.sqlite'));
      try {
        expect(
          local.prepare(`SELECT count(*) AS n FROM journal WHERE revision = 'huge'`).get(),
        ).toEqual({ n: 0 });
      } finally {
        local.close();
      }
    } finally {
      await sql.query(`DELETE FROM journal WHERE revision = 'huge'`);
      await h.desk.close();
    }
  }, 60_000);
});

describe('batch reports across desks whose clocks disagree', () => {
  it('a batch run on a desk whose clock runs an hour slow is reported at the time it ran', async () => {
    const realNow = Date.now();
    const h = await startHarness({ sandbox });
    try {
      expect((await h.api.setTeamStore({ url: db.url, operator: 'pia' })).kind).toBe('ok');
      await drained(h);
      const tasks = await refIn(h, 'TaskRouter', 'x');
      vi.useFakeTimers({ toFake: ['Date'], now: realNow - 3_600_000, shouldAdvanceTime: true });
      const started = await h.api.startBatch({
        connectionId: tasks.connectionId,
        resourceIds: [SANDBOX_IDS.taskSids[45]!],
        intents: [{ kind: 'set', path: '/priority', value: 64 }],
      });
      if (started.kind !== 'ok') throw new Error(started.message);
      await until('batch done', async () => {
        const status = await h.api.batchStatus({ batchId: started.batch.batchId });
        return status.kind === 'ok' && status.batch.state === 'done';
      });
      await drained(h);
      vi.useRealTimers();
      const report = await sql.query<{ created: number; started: number; finished: number }>(
        `SELECT abs(extract(epoch FROM now() - created_at) * 1000)::float8 AS created,
                abs(extract(epoch FROM now() - started_at) * 1000)::float8 AS started,
                abs(extract(epoch FROM now() - finished_at) * 1000)::float8 AS finished
           FROM batch_reports WHERE batch_id = $1`,
        [started.batch.batchId],
      );
      expect(report.rows.length).toBe(1);
      const row = report.rows[0]!;
      expect(Math.max(row.created, row.started, row.finished)).toBeLessThan(60_000);
    } finally {
      vi.useRealTimers();
      await h.desk.close();
    }
  }, 60_000);
});

describe('a data directory copied to a second desk', () => {
  it("the copy's writes never overwrite the original's rows in the shared audit", async () => {
    let original = await startHarness({ sandbox });
    const copyDir = mkdtempSync(path.join(os.tmpdir(), 'cd-clone-'));
    let copy: Harness | null = null;
    try {
      expect((await original.api.setTeamStore({ url: db.url, operator: 'quinn' })).kind).toBe('ok');
      await drained(original);
      await original.desk.close();
      cpSync(original.dataDir, copyDir, { recursive: true });
      original = await startHarness({ sandbox, dataDir: original.dataDir });
      copy = await startHarness({ sandbox, dataDir: copyDir });
      expect((await copy.api.setTeamStore({ url: db.url, operator: 'rae' })).kind).toBe('ok');
      const ref = await refIn(original, 'Sync documents', 'agent-settings');
      const mine = await saveThrough(original, ref, 'quinnOriginal', true);
      if (mine.kind !== 'saved') throw new Error(mine.kind);
      await drained(original);
      const theirs = await saveThrough(
        copy,
        await refIn(copy, 'Sync documents', 'queue-config'),
        'raeCopy',
        true,
      );
      expect(theirs.kind).toBe('saved');
      await until('copy drained', async () => (await copy!.api.teamStatus({})).queued === 0);
      const rows = await sql.query<{
        operator: string;
        resource_path: string;
        to_revision: string;
      }>(
        `SELECT operator, resource_path, to_revision FROM audit WHERE paths @> '["/quinnOriginal"]'`,
      );
      expect(rows.rows).toEqual([
        { operator: 'quinn', resource_path: 'agent-settings', to_revision: mine.snapshot.revision },
      ]);
      // And the copy's own write is in the shared audit too, under its own identity.
      const copied = await sql.query<{ operator: string; resource_path: string; host_id: string }>(
        `SELECT operator, resource_path, host_id FROM audit WHERE paths @> '["/raeCopy"]'`,
      );
      expect(copied.rows).toMatchObject([{ operator: 'rae', resource_path: 'queue-config' }]);
      const originalHost = await sql.query<{ host_id: string }>(
        `SELECT host_id FROM audit WHERE paths @> '["/quinnOriginal"]'`,
      );
      expect(copied.rows[0]!.host_id).not.toBe(originalHost.rows[0]!.host_id);
      // The copy says what happened.
      expect((await copy.api.teamStatus({})).lastError).toMatch(/copied to another desk/);
    } finally {
      await copy?.desk.close();
      await original.desk.close();
    }
  }, 60_000);
});

describe('a server that echoes the credential', () => {
  it("does not put this copy's credential into the shared journal", async () => {
    const h = await startHarness({ sandbox });
    try {
      expect((await h.api.setTeamStore({ url: db.url, operator: 'sam' })).kind).toBe('ok');
      await drained(h);
      const secret = SANDBOX_CREDENTIALS.twilio.authToken;
      // The document now holds the very token this desk authenticates with (a server echoing it).
      const res = await fetch(`${sandbox.url}/_sandbox/edit`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          path: `/sync/v1/Services/${SANDBOX_IDS.syncServiceSid}/Documents/shift-notes`,
          patch: { echoed: secret },
        }),
      });
      expect(res.status).toBeLessThan(300);
      const ref = await refIn(h, 'Sync documents', 'shift-notes');
      // The desk refuses to show or journal such an answer (held): so nothing reaches the team.
      expect(await h.api.openResource({ ref })).toMatchObject({ kind: 'error' });
      await drained(h);
      const dump = JSON.stringify(
        await Promise.all(
          ['journal', 'audit', 'presence', 'connections'].map(
            async (t) => (await sql.query(`SELECT * FROM ${t}`)).rows,
          ),
        ),
      );
      expect(dump).not.toContain(secret);
    } finally {
      await fetch(`${sandbox.url}/_sandbox/edit`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          path: `/sync/v1/Services/${SANDBOX_IDS.syncServiceSid}/Documents/shift-notes`,
          patch: { echoed: 'no longer' },
        }),
      });
      await h.desk.close();
    }
  }, 60_000);
});
