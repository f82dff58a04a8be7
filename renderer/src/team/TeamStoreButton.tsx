// The team store in the top bar: its state at a glance, and a dialog with the setting and the
// shared audit (filter by operator, resource and time; export as CSV).
import { useEffect, useState } from 'react';
import type { SharedAuditEntry, SharedConnection, TeamStatus } from '../../../shared/api/types';
import { api } from '../lib/api';
import { dateTimeOf } from '../lib/format';
import { Dialog } from '../components/Dialog';
import { useDesk } from '../store';
import { reasonOf } from '../store/failures';
import { loadTeamStatus, useTeam } from './team-state';

/** The status poll: loadTeamStatus keeps its own failure in `statusError` and does not reject. */
const refreshStatus = (): void => {
  loadTeamStatus().catch((error: unknown) => useTeam.setState({ statusError: reasonOf(error) }));
};

const STATE_WORDS: Record<TeamStatus['state'], string> = {
  off: 'off',
  connecting: 'connecting…',
  connected: 'connected',
  offline: 'unreachable — saving locally, will catch up',
  refused: 'refused',
};

export function TeamStoreButton() {
  const status = useTeam((s) => s.status);
  const statusError = useTeam((s) => s.statusError);
  const [open, setOpen] = useState(false);
  useEffect(() => {
    if (!status?.configured) return;
    const timer = setInterval(refreshStatus, 5000);
    return () => clearInterval(timer);
  }, [status?.configured]);
  const tone = !status?.configured
    ? ''
    : status.state === 'connected'
      ? 'ok'
      : status.state === 'connecting'
        ? ''
        : 'warn';
  return (
    <>
      <button
        type="button"
        className="link"
        data-testid="team-store-button"
        onClick={() => setOpen(true)}
        title="Team store: shared history, audit and presence"
      >
        Team
        {statusError ? (
          <span className="chip warn" data-testid="team-state-unknown" title={statusError}>
            state unknown
          </span>
        ) : null}
        {status?.configured ? (
          <span className={`chip ${tone}`} data-testid="team-state">
            {status.operator} · {STATE_WORDS[status.state].split(' — ')[0]}
            {status.queued > 0 ? ` · ${status.queued} queued` : ''}
          </span>
        ) : null}
      </button>
      {open ? <TeamStoreDialog onClose={() => setOpen(false)} /> : null}
    </>
  );
}

function TeamStoreDialog({ onClose }: { onClose: () => void }) {
  const status = useTeam((s) => s.status);
  const statusError = useTeam((s) => s.statusError);
  const presenceError = useTeam((s) => s.presenceError);
  const [url, setUrl] = useState('');
  const [operator, setOperator] = useState(status?.operator ?? '');
  const [message, setMessage] = useState<string | null>(null);
  const locked = status?.source === 'command-line' || status?.source === 'environment';

  const apply = async (next: string | null) => {
    let result;
    try {
      result = await api.setTeamStore({
        url: next,
        ...(operator.trim() ? { operator: operator.trim() } : {}),
      });
    } catch (error) {
      // The address stays typed, so it can be sent again.
      setMessage(`Nothing was changed: ${reasonOf(error)}`);
      return;
    }
    if (result.kind !== 'ok') {
      setMessage(result.message);
      return;
    }
    setMessage(next ? 'Saved. Connecting…' : 'Team store turned off; this copy works on its own.');
    setUrl('');
    await loadTeamStatus();
  };

  return (
    <Dialog title="Team store" onClose={onClose} wide testId="team-store-dialog">
      <section className="team-status">
        <p data-testid="team-status-line">
          {status?.configured ? (
            <>
              <strong>{status.operator}</strong> on <span className="mono">{status.where}</span> ·{' '}
              {STATE_WORDS[status.state]}
              {status.queued > 0 ? ` · ${status.queued} rows waiting to reach it` : ''}
            </>
          ) : (
            'No team store: history, audit and drafts stay on this machine only.'
          )}
        </p>
        {status?.lastError ? <div className="banner warn">{status.lastError}</div> : null}
        {statusError ? (
          <div className="banner error" role="alert" data-testid="team-status-error">
            {statusError} — what is shown here may be out of date.
          </div>
        ) : null}
        {presenceError ? (
          <div className="banner warn" role="status">
            {presenceError}
          </div>
        ) : null}
        <p className="muted small">
          Shared with the team: the journal of revisions, the audit of writes with your name, who
          has what open, connection definitions without their secrets. Never shared: secrets (each
          operator types their own) and drafts.
        </p>
      </section>
      {locked ? (
        <p className="muted small">
          Set by the{' '}
          {status?.source === 'command-line'
            ? 'command line (--team-store)'
            : 'environment (CONFLICT_DESK_TEAM_STORE)'}
          .
        </p>
      ) : (
        <form
          className="team-form"
          onSubmit={(e) => {
            e.preventDefault();
            apply(url.trim()).catch((error: unknown) => setMessage(reasonOf(error)));
          }}
        >
          <label className="field-label" htmlFor="team-url">
            PostgreSQL address
          </label>
          <input
            id="team-url"
            type="password"
            autoComplete="off"
            placeholder="postgres://user:password@host:5432/database"
            value={url}
            onChange={(e) => setUrl(e.target.value)}
          />
          <label className="field-label" htmlFor="team-operator">
            Your name, as teammates see it
          </label>
          <input
            id="team-operator"
            value={operator}
            onChange={(e) => setOperator(e.target.value)}
          />
          <div className="row gap">
            <button type="submit" disabled={!url.trim()}>
              Connect
            </button>
            {status?.configured ? (
              <button
                type="button"
                className="secondary"
                onClick={() => apply(null).catch((error: unknown) => setMessage(reasonOf(error)))}
              >
                Turn off
              </button>
            ) : null}
          </div>
        </form>
      )}
      {message ? (
        <p className="small" role="status">
          {message}
        </p>
      ) : null}
      {status?.configured ? <SharedConnections /> : null}
      <AuditSection />
    </Dialog>
  );
}

function SharedConnections() {
  const loadConnections = useDesk((s) => s.loadConnections);
  const [list, setList] = useState<SharedConnection[] | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const show = (result: Awaited<ReturnType<typeof api.teamConnections>>) =>
    result.kind === 'ok' ? setList(result.connections) : setNote(result.message);
  const unreadable = (error: unknown) =>
    setNote(`The team's connections could not be read: ${reasonOf(error)}`);
  useEffect(() => {
    api.teamConnections({}).then(show, unreadable);
  }, []);
  const add = async (c: SharedConnection) => {
    const auth =
      c.auth.kind === 'basic'
        ? { kind: 'basic' as const, username: c.auth.username ?? '' }
        : c.auth.kind === 'bearer'
          ? { kind: 'bearer' as const }
          : c.auth.kind === 'api-key-header'
            ? { kind: 'api-key-header' as const, header: c.auth.header ?? 'x-api-key' }
            : { kind: 'none' as const };
    let saved;
    try {
      saved = await api.saveConnection({
        connection: {
          name: c.name,
          profileId: c.profileId,
          baseUrl: c.baseUrl,
          params: c.params,
          auth,
          ...(c.customProfile !== null ? { customProfile: c.customProfile } : {}),
        },
      });
    } catch (error) {
      setNote(`“${c.name}” was not added: ${reasonOf(error)}`);
      return;
    }
    if (saved.kind !== 'ok') {
      setNote(saved.message);
      return;
    }
    await loadConnections();
    setNote(
      c.auth.kind === 'none'
        ? `Added “${c.name}”.`
        : `Added “${c.name}”. Type your own credentials for it in Manage… — secrets are never shared.`,
    );
    await api.teamConnections({}).then(show, unreadable);
  };
  if (!list || list.length === 0)
    return note ? (
      <p className="small" role="status">
        {note}
      </p>
    ) : null;
  return (
    <section className="team-connections">
      <h3>Connections shared by the team</h3>
      <ul className="plain-list">
        {list.map((c) => (
          <li key={`${c.profileId} ${c.baseUrl} ${JSON.stringify(c.params)}`} className="row gap">
            <strong>{c.name}</strong>
            <span className="muted small ellipsis">
              {c.baseUrl} · {c.auth.kind} · shared by {c.sharedBy}
            </span>
            {c.alreadyHere ? (
              <span className="chip ok">you have it</span>
            ) : (
              <button
                type="button"
                className="secondary"
                onClick={() => add(c).catch((error: unknown) => setNote(reasonOf(error)))}
              >
                Add to mine
              </button>
            )}
          </li>
        ))}
      </ul>
      {note ? (
        <p className="small" role="status">
          {note}
        </p>
      ) : null}
    </section>
  );
}

function AuditSection() {
  const connections = useDesk((s) => s.connections);
  const [operator, setOperator] = useState('');
  const [connectionId, setConnectionId] = useState('');
  const [resourceId, setResourceId] = useState('');
  const [since, setSince] = useState('');
  const [until, setUntil] = useState('');
  const [rows, setRows] = useState<SharedAuditEntry[] | null>(null);
  const [source, setSource] = useState<'team' | 'local' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const query = () => ({
    ...(operator.trim() ? { operator: operator.trim() } : {}),
    ...(connectionId ? { connectionId } : {}),
    ...(resourceId.trim() ? { resourceId: resourceId.trim() } : {}),
    ...(since ? { since: new Date(since).toISOString() } : {}),
    ...(until ? { until: new Date(until).toISOString() } : {}),
  });
  const show = (result: Awaited<ReturnType<typeof api.auditQuery>>) => {
    if (result.kind !== 'ok') {
      setError(result.message);
      return;
    }
    setError(null);
    setRows(result.entries);
    setSource(result.source);
  };
  const unreadable = (error: unknown) =>
    setError(`The audit could not be read: ${reasonOf(error)}`);
  const search = () => api.auditQuery(query()).then(show, unreadable);
  const exportCsv = async () => {
    let result;
    try {
      result = await api.auditCsv(query());
    } catch (error) {
      setError(`The audit was not exported: ${reasonOf(error)}`);
      return;
    }
    if (result.kind !== 'ok') {
      setError(result.message);
      return;
    }
    const link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([result.csv], { type: 'text/csv' }));
    link.download = result.filename;
    link.click();
    URL.revokeObjectURL(link.href);
  };
  // The latest writes on open; later searches are asked for.
  useEffect(() => {
    api.auditQuery({}).then(show, unreadable);
  }, []);
  return (
    <section className="team-audit">
      <h3>
        Audit of writes
        {source ? (
          <span className="muted small">
            {' '}
            · {source === 'team' ? 'the whole team' : 'this copy only'}
          </span>
        ) : null}
      </h3>
      <form
        className="row gap wrap"
        onSubmit={(e) => {
          e.preventDefault();
          search().catch(unreadable);
        }}
      >
        <input
          aria-label="Operator"
          placeholder="Operator"
          value={operator}
          onChange={(e) => setOperator(e.target.value)}
          data-testid="audit-operator"
        />
        <select
          aria-label="Connection"
          value={connectionId}
          onChange={(e) => setConnectionId(e.target.value)}
        >
          <option value="">Any connection</option>
          {connections.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
        <input
          aria-label="Resource id"
          placeholder="Resource id"
          value={resourceId}
          onChange={(e) => setResourceId(e.target.value)}
        />
        <label className="small muted">
          from{' '}
          <input
            type="datetime-local"
            aria-label="From"
            value={since}
            onChange={(e) => setSince(e.target.value)}
          />
        </label>
        <label className="small muted">
          to{' '}
          <input
            type="datetime-local"
            aria-label="To"
            value={until}
            onChange={(e) => setUntil(e.target.value)}
          />
        </label>
        <button type="submit" className="secondary">
          Filter
        </button>
        <button
          type="button"
          className="secondary"
          onClick={() => exportCsv().catch(unreadable)}
          data-testid="audit-export"
        >
          Export CSV
        </button>
      </form>
      {error ? (
        <div className="inline-error" role="alert">
          {error}
        </div>
      ) : null}
      <table className="audit-table" data-testid="audit-table">
        <thead>
          <tr>
            <th>When</th>
            <th>Operator</th>
            <th>Resource</th>
            <th>Outcome</th>
            <th>Revisions</th>
          </tr>
        </thead>
        <tbody>
          {(rows ?? [])
            .slice(-200)
            .reverse()
            .map((row) => (
              <tr key={row.key}>
                <td className="small">{dateTimeOf(row.at)}</td>
                <td>{row.operator}</td>
                <td className="small">
                  <span className="muted">{row.connectionName}</span> ·{' '}
                  <span className="mono">{row.resourceId}</span>
                </td>
                <td className="small">
                  {row.state === 'settled' ? row.outcome : `${row.state}: ${row.outcome}`}
                </td>
                <td className="mono small">
                  {row.fromRevision ?? '—'} → {row.toRevision ?? '—'}
                </td>
              </tr>
            ))}
        </tbody>
      </table>
      {rows && rows.length === 0 ? <p className="muted small">No writes match.</p> : null}
    </section>
  );
}
