// The team store as the desk sees it: which store is in force (command line, environment or the
// app's setting), swapping it when the setting changes, and the contract methods it answers.
// desk-service.ts calls into this at a few marked points and otherwise knows nothing of it.
import type { Api } from '../../../shared/api/contract';
import type {
  ApiEvent,
  AuditQuery,
  BackendError,
  HistoryEntry,
  ResourceRef,
  SharedAuditEntry,
  SharedBatchReport,
  TeamBatchesQuery,
  TeamStatus,
} from '../../../shared/api/types';
import type { SecretBox } from '../secrets';
import type { Store } from '../store';
import { auditCsv } from './csv';
import {
  checkOperatorName,
  checkTeamStoreUrl,
  resolveTeamSetting,
  writeTeamSetting,
  type TeamSetting,
} from './settings';
import { describeWhere, openTeamStore, type TeamStore } from './team-store';
import { osUser } from '../store/audit';

export type DeskTeamOptions = {
  /** From --team-store (browser mode); wins over the environment and the app's setting. */
  explicit?: { url: string; operator?: string } | null;
  dataDir: string;
  secretBox: SecretBox;
  store: Store;
  sandboxUrl: () => string | null;
  heartbeatMs?: number;
  presenceTtlMs?: number;
  /** A teammate saved a resource: check it now rather than at the next poll. */
  onTeammateSave(ref: ResourceRef): void;
  emit(event: Extract<ApiEvent, { type: 'team-changed' | 'team-presence' }>): void;
};

type TeamMethods = Pick<
  Api,
  | 'teamStatus'
  | 'setTeamStore'
  | 'announcePresence'
  | 'teamPresence'
  | 'auditQuery'
  | 'auditCsv'
  | 'teamConnections'
  | 'teamBatches'
>;

const fail = (reason: BackendError['reason'], message: string): BackendError => ({
  kind: 'error',
  reason,
  message,
});

export function createDeskTeam(options: DeskTeamOptions) {
  let setting: TeamSetting | null = resolveTeamSetting(
    options.explicit,
    options.dataDir,
    options.secretBox,
  );
  let team: TeamStore | null = null;
  const start = (s: TeamSetting | null) => {
    if (!s) return null;
    const url = checkTeamStoreUrl(s.url);
    if (!url.ok) return null;
    return openTeamStore({
      url: url.url,
      operator: s.operator,
      source: s.source,
      db: options.store.db,
      connections: () => options.store.connections.list(),
      sandboxUrl: options.sandboxUrl,
      ...(options.heartbeatMs !== undefined ? { heartbeatMs: options.heartbeatMs } : {}),
      ...(options.presenceTtlMs !== undefined ? { presenceTtlMs: options.presenceTtlMs } : {}),
      onChange: ({ ref, savedBy, savedByTeammate }) => {
        if (savedByTeammate) options.onTeammateSave(ref);
        options.emit({ type: 'team-changed', ref, savedBy });
      },
      onPresence: () => options.emit({ type: 'team-presence' }),
    });
  };
  team = start(setting);

  const status = (): TeamStatus => {
    const checked = setting ? checkTeamStoreUrl(setting.url) : null;
    return (
      team?.status() ?? {
        configured: setting !== null,
        state: 'off',
        operator: setting?.operator ?? osUser(),
        where: setting ? describeWhere(setting.url) : null,
        queued: 0,
        refused: 0,
        // Why the configured address was not used (not postgres://, a bare % in the password…).
        lastError: checked && !checked.ok ? checked.error : null,
        source: setting?.source ?? 'none',
      }
    );
  };

  const localAudit = (query: AuditQuery): SharedAuditEntry[] =>
    options.store.audit
      .list()
      .filter(
        (e) =>
          (!query.connectionId || e.connectionId === query.connectionId) &&
          (!query.resourceId || e.resourceId === query.resourceId),
      )
      .filter(
        (e) =>
          (!query.operator || e.osUser === query.operator) &&
          (!query.since || e.at >= query.since) &&
          (!query.until || e.at < query.until),
      )
      .reverse()
      .slice(0, query.limit ?? 1000)
      .map((e) => ({
        key: `local:${e.id}`,
        at: e.at,
        operator: e.osUser,
        connectionName: options.store.connections.get(e.connectionId)?.name ?? e.connectionId,
        resourceId: e.resourceId,
        mode: e.mode,
        state: e.state,
        outcome: e.outcome,
        fromRevision: e.fromRevision,
        toRevision: e.toRevision,
        paths: e.paths,
        batchId: e.batchId,
      }));

  // Without a team store: this copy's batches, attributed to this copy's operator name.
  const localBatches = (query: TeamBatchesQuery): SharedBatchReport[] =>
    options.store.batches
      .list()
      .filter((b) => !query.connectionId || b.connectionId === query.connectionId)
      .map((b) => ({
        batch: b,
        targets: options.store.batches
          .targets(b.id)
          .filter((t) => !query.resourceId || t.resourceId === query.resourceId),
      }))
      .filter(({ targets }) => !query.resourceId || targets.length > 0)
      .slice(0, query.limit ?? 100)
      .map(({ batch, targets }) => {
        const tally = options.store.batches.counts(batch.id);
        return {
          batchId: batch.id,
          operator: status().operator,
          connectionName:
            options.store.connections.get(batch.connectionId)?.name ?? batch.connectionId,
          description: batch.description,
          state: batch.state,
          createdAt: batch.createdAt,
          startedAt: batch.startedAt,
          finishedAt: batch.finishedAt,
          total: tally.total,
          writesSent: tally.writes,
          counts: tally.counts,
          targets: targets.map((t) => ({
            resourceId: t.resourceId,
            status: t.status,
            attempts: t.attempts,
            sent: t.sent,
            reason: t.reason,
            signature: t.signature,
            fromRevision: t.fromRevision,
            toRevision: t.toRevision,
            auditKey: t.auditId === null ? null : `local:${t.auditId}`,
          })),
        };
      });

  async function queryAudit(
    query: AuditQuery,
  ): Promise<{ source: 'team' | 'local'; entries: SharedAuditEntry[] } | BackendError> {
    for (const bound of [query.since, query.until]) {
      if (bound !== undefined && Number.isNaN(Date.parse(bound)))
        return fail(
          'invalid-input',
          `"${bound}" is not a date and time (use ISO 8601, e.g. 2026-11-29T14:00:00Z).`,
        );
    }
    const normalized = {
      ...query,
      ...(query.since ? { since: new Date(query.since).toISOString() } : {}),
      ...(query.until ? { until: new Date(query.until).toISOString() } : {}),
    };
    if (!team) return { source: 'local', entries: localAudit(normalized) };
    const scope = query.connectionId ? team.scopeOf(query.connectionId) : undefined;
    if (query.connectionId && !scope)
      return fail('unknown-connection', 'That connection no longer exists.');
    const rows = await team.audit({ ...normalized, ...(scope ? { scope } : {}) });
    if ('error' in rows)
      return fail(
        'network',
        `The team store is unreachable (${rows.error}); the local audit still has this copy's writes.`,
      );
    return { source: 'team', entries: rows };
  }

  const methods: TeamMethods = {
    async teamStatus() {
      return status();
    },
    async setTeamStore({ url, operator }) {
      if (setting?.source === 'command-line' || setting?.source === 'environment') {
        return fail(
          'invalid-input',
          `The team store is set by the ${setting.source === 'command-line' ? 'command line (--team-store)' : 'environment (CONFLICT_DESK_TEAM_STORE)'}; change it there.`,
        );
      }
      let next: TeamSetting | null = null;
      if (url !== null) {
        const checked = checkTeamStoreUrl(url);
        if (!checked.ok) return fail('invalid-input', checked.error);
        const name = checkOperatorName(operator ?? osUser());
        if (!name.ok) return fail('invalid-input', name.error);
        next = { url: checked.url, operator: name.name, source: 'settings' };
      }
      writeTeamSetting(options.dataDir, options.secretBox, next);
      await team?.close();
      setting = next;
      team = start(next);
      return { kind: 'ok', status: status() };
    },
    async announcePresence({ open }) {
      const bad = open.find(
        (o) => o.editingSince !== null && Number.isNaN(Date.parse(o.editingSince)),
      );
      if (bad)
        return fail(
          'invalid-input',
          `editingSince "${bad.editingSince}" is not a date and time (use ISO 8601).`,
        );
      team?.setOpen(
        open.map((o) => ({
          ...o,
          editingSince: o.editingSince === null ? null : new Date(o.editingSince).toISOString(),
        })),
      );
      return { kind: 'ok' };
    },
    async teamPresence({ connectionId }) {
      if (!options.store.connections.get(connectionId))
        return fail('unknown-connection', 'That connection no longer exists.');
      if (!team) return { kind: 'ok', presence: [] };
      const presence = await team.presence(connectionId);
      if ('error' in presence)
        return fail('network', `The team store is unreachable: ${presence.error}`);
      return { kind: 'ok', presence };
    },
    async auditQuery(query) {
      const result = await queryAudit(query);
      return 'kind' in result ? result : { kind: 'ok', ...result };
    },
    async auditCsv(query) {
      const result = await queryAudit(query);
      if ('kind' in result) return result;
      return {
        kind: 'ok',
        csv: auditCsv(result.entries),
        filename: `conflict-desk-audit-${new Date().toISOString().slice(0, 19).replace(/:/g, '-')}.csv`,
        rows: result.entries.length,
      };
    },
    async teamBatches(query) {
      if (query.connectionId && !options.store.connections.get(query.connectionId))
        return fail('unknown-connection', 'That connection no longer exists.');
      if (!team) return { kind: 'ok', source: 'local', batches: localBatches(query) };
      const scope = query.connectionId ? team.scopeOf(query.connectionId) : null;
      const reports = await team.batches({
        ...(scope ? { scope } : {}),
        ...(query.resourceId ? { resourceId: query.resourceId } : {}),
        ...(query.limit ? { limit: query.limit } : {}),
      });
      if ('error' in reports)
        return fail(
          'network',
          `The team store is unreachable (${reports.error}); this copy's own batches are in listBatches.`,
        );
      return { kind: 'ok', source: 'team', batches: reports };
    },
    async teamConnections() {
      if (!team) return { kind: 'ok', connections: [] };
      const connections = await team.sharedConnections();
      if ('error' in connections)
        return fail('network', `The team store is unreachable: ${connections.error}`);
      return { kind: 'ok', connections };
    },
  };

  return {
    methods,
    team: () => team,
    async history(ref: ResourceRef, local: () => HistoryEntry[]): Promise<HistoryEntry[]> {
      if (!team) return local();
      return (await team.annotateHistory(ref, local)).entries;
    },
    async close() {
      await team?.close();
      team = null;
    },
  };
}
