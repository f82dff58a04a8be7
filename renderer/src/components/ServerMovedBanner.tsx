import { useEffect, useMemo, useState } from 'react';
import type { Snapshot } from '../../../shared/api/types';
import { api } from '../lib/api';
import { parseText } from '../lib/parsed-texts';
import { friendlyPath, isStatusField, valuePreview } from '../lib/format';
import { movedFields } from '../session/server-changes';
import { useDesk } from '../store';
import { inBackground } from '../store/background';
import { reasonOf } from '../store/failures';
import { isDirty, type Tab } from '../store/tabs-slice';

/** Says, before the operator saves, that the server moved and which fields changed. */
export function ServerMovedBanner({ tab }: { tab: Tab }) {
  const takeServerVersion = useDesk((s) => s.takeServerVersion);
  const moved = tab.serverMoved!;
  const [latest, setLatest] = useState<Snapshot | null>(null);
  /** Why the server's revision could not be read (then the fields come from the watch, with no preview). */
  const [unreadable, setUnreadable] = useState<string | null>(null);
  const [preview, setPreview] = useState(false);

  // The server's revision is read for the field-by-field preview, but not while a save is under
  // way: the save's own answer says what happened (a conflict shows all three), and reading and
  // comparing a 5 MB revision then only slowed it.
  const saving = tab.saving;
  useEffect(() => {
    if (saving) return;
    let live = true;
    api.revision({ ref: tab.ref, journalId: moved.journalId }).then(
      (r) => {
        if (!live) return;
        setLatest(r.kind === 'ok' ? r.snapshot : null);
        setUnreadable(r.kind === 'ok' ? null : r.message);
      },
      (error: unknown) => live && setUnreadable(reasonOf(error)),
    );
    return () => {
      live = false;
    };
  }, [tab.ref, moved.journalId, saving]);

  // What changed between the revision being edited and the server's, field by field.
  const { paths: changed, diff } = useMemo(
    () => movedFields(moved, latest, tab.base.text),
    [moved, latest, tab.base.text],
  );
  const fields = changed.length === 1 ? '1 field' : `${changed.length} fields`;
  const baseDoc = useMemo(() => {
    const parsed = parseText(tab.base.text);
    return parsed.ok ? parsed.value : undefined;
  }, [tab.base.text]);
  const statusChanges = (diff ?? []).filter((d) => isStatusField(d.path));

  return (
    <div className="banner warn server-moved" data-testid="server-moved">
      <div className="grow">
        <strong>The server changed this resource</strong> (now revision {moved.revision ?? '?'}; you
        are editing revision {tab.base.revision ?? '?'}).{' '}
        {statusChanges.map((d) => (
          <div key={d.path} className="status-line" data-testid="status-changed">
            Status changed:{' '}
            <strong>
              {valuePreview(d.before, 40)} → {valuePreview(d.after, 40)}
            </strong>{' '}
            ({friendlyPath(baseDoc, d.path)}).
          </div>
        ))}
        {changed.length > 0 ? (
          <>
            Server changed {fields}:{' '}
            <span className="mono small">
              {changed.map((p) => friendlyPath(baseDoc, p)).join(', ')}
            </span>
            .
          </>
        ) : null}{' '}
        {isDirty(tab) ? 'When you save, your edit is merged with it.' : ''}
        {unreadable ? (
          <div className="small" role="status" data-testid="server-moved-unreadable">
            The server’s revision could not be read here ({unreadable}), so there is no preview.
          </div>
        ) : null}
        {preview && diff ? (
          <table className="moved-fields" data-testid="server-moved-fields">
            <thead>
              <tr>
                <th>Field</th>
                <th>Revision {tab.base.revision ?? '?'} (yours)</th>
                <th>Revision {moved.revision ?? '?'} (server now)</th>
              </tr>
            </thead>
            <tbody>
              {diff.map((d) => (
                <tr key={d.path}>
                  <td className="mono">{friendlyPath(baseDoc, d.path)}</td>
                  <td className="mono">{valuePreview(d.before, 100)}</td>
                  <td className="mono">{valuePreview(d.after, 100)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </div>
      <div className="banner-actions">
        <button
          type="button"
          className="link"
          onClick={() => setPreview(!preview)}
          disabled={diff === null}
          title={unreadable ? 'The server’s revision could not be read' : undefined}
        >
          {preview ? 'Hide preview' : 'Preview'}
        </button>
        <button
          type="button"
          className="link"
          onClick={() => inBackground(takeServerVersion(tab.key), 'load the server’s revision')}
        >
          {isDirty(tab) ? 'Discard my edit, load it' : 'Load it'}
        </button>
      </div>
    </div>
  );
}
