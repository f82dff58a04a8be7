// Team store replication: 200 saves through host A (a child process), each timed until host B
// (this process, its own data directory) sees the revision (1) pushed as a team-changed event and
// (2) in its history with A's name. Then presence expiry with the default heartbeat and TTL:
// A announces a resource, is killed with SIGKILL, and B's presence list is watched until it is gone.
// Needs PostgreSQL's server binaries (Debian's `postgresql`); skipped with a note when absent.
import type { ApiEvent, ResourceRef } from '../shared/api/types';
import { startEmbeddedSandbox } from '../electron/backend/embedded-sandbox';
import {
  DEFAULT_HEARTBEAT_MS,
  DEFAULT_PRESENCE_TTL_MS,
} from '../electron/backend/team-store/team-store';
import { startHarness } from '../electron/test-support/desk-harness';
import { postgresBinDir, startPostgres } from '../electron/test-support/postgres';
import { spawnTeamHost } from '../electron/test-support/team-host';

const SAVES = 200;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

export async function run(): Promise<void> {
  if (!postgresBinDir()) {
    console.log('PostgreSQL server binaries not found: team store benchmark skipped.');
    return;
  }
  const db = await startPostgres();
  const sandbox = await startEmbeddedSandbox();
  const a = await spawnTeamHost({
    sandboxUrl: sandbox.url,
    teamStore: db.url,
    operator: 'alice',
    heartbeatMs: DEFAULT_HEARTBEAT_MS,
    ttlMs: DEFAULT_PRESENCE_TTL_MS,
  });
  const b = await startHarness({ sandbox, desk: { teamStore: { url: db.url, operator: 'bob' } } });
  try {
    const connectionIn = async (api: typeof b.api) =>
      (await api.listConnections({})).find((c) => c.name.includes('Sync documents'))!.id;
    const refA: ResourceRef = { connectionId: await connectionIn(a.api), id: 'agent-settings' };
    const refB: ResourceRef = { connectionId: await connectionIn(b.api), id: 'agent-settings' };
    const opened = await a.api.openResource({ ref: refA });
    if (opened.kind !== 'ok') throw new Error(opened.message);
    let base = opened.snapshot;
    const notified: number[] = [];
    // Events are collected from the start: a notice can beat A's own answer to this process.
    const eventTimes: number[] = [];
    b.desk.onEvent((event: ApiEvent) => {
      if (event.type === 'team-changed' && event.ref.id === refB.id && event.savedBy === 'alice')
        eventTimes.push(performance.now());
    });
    const inHistory: number[] = [];
    for (let i = 0; i < SAVES; i++) {
      const eventsBefore = eventTimes.length;
      const doc = JSON.parse(base.text) as Record<string, unknown>;
      doc['benchCounter'] = i;
      const saved = await a.api.saveResource({
        ref: refA,
        text: JSON.stringify(doc, null, 2),
        baseJournalId: base.journalId,
      });
      if (saved.kind !== 'saved') throw new Error(`save ${i}: ${saved.kind}`);
      const savedAt = performance.now();
      const revision = saved.snapshot.revision;
      for (;;) {
        const history = await b.api.history({ ref: refB });
        if (
          history.kind === 'ok' &&
          history.entries.some((e) => e.revision === revision && e.team?.savedBy === 'alice')
        )
          break;
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      inHistory.push(performance.now() - savedAt);
      while (eventTimes.length <= eventsBefore)
        await new Promise((resolve) => setTimeout(resolve, 2));
      notified.push(Math.max(0, eventTimes[eventsBefore]! - savedAt));
      base = saved.snapshot;
    }
    const table = (label: string, values: number[]) => {
      const sorted = [...values].sort((x, y) => x - y);
      return `${label.padEnd(44)} median ${percentile(sorted, 50).toFixed(1).padStart(6)} ms   p99 ${percentile(sorted, 99).toFixed(1).padStart(6)} ms   max ${sorted.at(-1)!.toFixed(1).padStart(6)} ms`;
    };
    console.log(`\nReplication A → B over ${SAVES} saves (A's save answered → B knows)`);
    console.log(table("B's team-changed event (LISTEN/NOTIFY)", notified));
    console.log(table("B's history shows the revision with A's name", inHistory));

    const taskRef = { ...refA, id: 'agent-settings' };
    await a.api.announcePresence({ open: [{ ref: taskRef, editingSince: null }] });
    for (;;) {
      const p = await b.api.teamPresence({ connectionId: refB.connectionId });
      if (p.kind === 'ok' && p.presence.length > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    // Kill right after a heartbeat would be the best case; kill at a random point of the cycle.
    await new Promise((resolve) => setTimeout(resolve, Math.random() * DEFAULT_HEARTBEAT_MS));
    await a.kill9();
    const killed = performance.now();
    for (;;) {
      const p = await b.api.teamPresence({ connectionId: refB.connectionId });
      if (p.kind === 'ok' && p.presence.length === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    console.log(
      `\nPresence expiry after kill -9: ${((performance.now() - killed) / 1000).toFixed(2)} s (heartbeat ${DEFAULT_HEARTBEAT_MS / 1000} s, TTL ${DEFAULT_PRESENCE_TTL_MS / 1000} s; bound: TTL, minus time since the last beat)`,
    );
  } finally {
    await a.stop().catch(() => undefined);
    await b.desk.close();
    await sandbox.close();
    db.close();
  }
}
