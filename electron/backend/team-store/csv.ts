// The audit as CSV (RFC 4180: CRLF rows, quotes doubled). A cell that a spreadsheet would run as
// a formula (= + - @ tab CR first) is prefixed with an apostrophe: an export must not execute.
import type { SharedAuditEntry } from '../../../shared/api/types';

const COLUMNS = [
  'at',
  'operator',
  'connection',
  'resource',
  'mode',
  'state',
  'outcome',
  'from_revision',
  'to_revision',
  'paths',
  'key',
] as const;

export function csvCell(value: string | null): string {
  if (value === null) return '';
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) || safe !== safe.trim() ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function auditCsv(entries: SharedAuditEntry[]): string {
  const rows = entries.map((e) => [
    e.at,
    e.operator,
    e.connectionName,
    e.resourceId,
    e.mode,
    e.state,
    e.outcome,
    e.fromRevision,
    e.toRevision,
    e.paths.join(' '),
    e.key,
  ]);
  return (
    [COLUMNS.join(','), ...rows.map((row) => row.map(csvCell).join(','))].join('\r\n') + '\r\n'
  );
}
