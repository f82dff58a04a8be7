import type { BatchTargetStatus, ResourceBatch } from '../../../shared/api/types';
import { useEffect, useRef, useState } from 'react';
import type { HistoryEntry, Snapshot } from '../../../shared/api/types';
import { api } from '../lib/api';
import { dateTimeOf } from '../lib/format';
import { useDesk } from '../store';
import { isDirty, type Tab } from '../store/tabs-slice';
import { JsonDiff } from './JsonEditor';
import { attributionWords } from '../team/attribution';
import { useTeam } from '../team/team-state';
import { restoreQuestion } from '../session/reverts';
import { latestSeen, newestPair } from '../session/history-latest';
import { inBackground } from '../store/background';
import { reasonOf } from '../store/failures';
import { focusDropped } from '../lib/return-focus';

const SOURCE_WORDS: Record<HistoryEntry['source'], string> = {
  opened: 'opened',
  refreshed: 'refreshed',
  saved: 'saved by you',
  conflict: 'server’s, at a conflict',
  watch: 'changed on the server (noticed while open)',
  listed: 'listed',
  verified: 're-read after a lost answer',
};

/** Every revision this app has seen of the resource; any two side by side. */
const BATCH_WORDS: Record<BatchTargetStatus, string> = {
  pending: 'Waiting in a batch',
  running: 'Being written by a batch',
  applied: 'Changed by a batch',
  reapplied: 'Changed by a batch (after a conflict)',
  queued: 'In a batch’s conflict queue',
  skipped: 'Left as it was by a batch',
  failed: 'A batch failed here',
  unknown: 'A batch write with an unknown outcome',
  'kept-theirs': 'A batch kept the server’s version',
  merged: 'A batch’s change, saved by hand',
  cancelled: 'A cancelled batch (not sent)',
};

export function HistoryView({ tab }: { tab: Tab }) {
  const setView = useDesk((s) => s.setView);
  const restore = useDesk((s) => s.restoreRevision);
  const ask = useDesk((s) => s.ask);
  const [entries, setEntries] = useState<HistoryEntry[] | null>(null);
  const [batches, setBatches] = useState<ResourceBatch[]>([]);
  const [error, setError] = useState<string | null>(null);
  /** Bumped by *Try again* after a failed load. */
  const [attempt, setAttempt] = useState(0);
  const [left, setLeft] = useState<number | null>(null);
  const [right, setRight] = useState<number | null>(null);
  const [snapshots, setSnapshots] = useState<Record<number, Snapshot>>({});
  // Team store (#11): reload when a teammate's row touches this resource; attribute each revision.
  const teamChanges = useTeam((s) => s.changes[tab.key] ?? 0);
  const me = useTeam((s) => (s.status?.configured ? s.status.operator : null));

  // A read or save journalled while the history is on show (this window's, another's, the
  // watch's) is listed at once: the history reads itself again. A revision listed already and only
  // seen again (every poll of the watch) moves its "last seen" in place: reading the whole history
  // again at each poll would read every revision's body every 3 s for nothing new.
  const [recorded, setRecorded] = useState(0);
  const listed = useRef<ReadonlySet<number>>(new Set());
  useEffect(
    () =>
      api.onEvent((event) => {
        // Events may have been lost (the page's stream dropped): the history reads itself again.
        if (event.type === 'events-missed') return setRecorded((n) => n + 1);
        if (
          event.type !== 'journal-recorded' ||
          event.ref.connectionId !== tab.ref.connectionId ||
          event.ref.id !== tab.ref.id
        )
          return;
        if (event.seenAgain && listed.current.has(event.journalId))
          setEntries(
            (shown) =>
              shown?.map((e) =>
                e.journalId === event.journalId ? { ...e, lastSeenAt: event.lastSeenAt } : e,
              ) ?? shown,
          );
        else setRecorded((n) => n + 1);
      }),
    [tab.ref.connectionId, tab.ref.id],
  );
  /** The tab's base when the pair compared was last chosen for it: a new base shows the newest pair. */
  const pairFor = useRef<number | null>(null);

  useEffect(() => {
    let live = true;
    api.history({ ref: tab.ref }).then(
      (h) => {
        if (!live) return;
        if (h.kind !== 'ok') {
          setError(`The history could not be loaded: ${h.message}`);
          return;
        }
        setError(null);
        setEntries(h.entries);
        setBatches(h.batches);
        // The pair the operator compares stays put when a read is only added to the list.
        const ids = new Set(h.entries.map((e) => e.journalId));
        // A team-only revision this copy reads at last is news (it is no longer the team's only).
        listed.current = new Set(
          h.entries.filter((e) => !e.team?.teamOnly).map((e) => e.journalId),
        );
        const sameBase = pairFor.current === tab.base.journalId;
        pairFor.current = tab.base.journalId;
        // The newest pair ends at the revision the server was seen holding last (A → B → A: A).
        const { before, last } = newestPair(h.entries);
        const kept = (shown: number | null, newest: number | null) =>
          sameBase && shown !== null && ids.has(shown) ? shown : newest;
        setRight((shown) => kept(shown, last));
        setLeft((shown) => kept(shown, before));
      },
      (failure: unknown) => {
        if (live) setError(`The history could not be loaded: ${reasonOf(failure)}`);
      },
    );
    return () => {
      live = false;
    };
  }, [tab.ref, tab.base.journalId, teamChanges, attempt, recorded]);

  // Opened from the keyboard (Alt+H), the editor that had it is gone: the keyboard goes to the
  // revisions, on the one compared from (arrow keys pick another).
  const view = useRef<HTMLDivElement>(null);
  const loaded = entries !== null;
  useEffect(() => {
    if (!focusDropped()) return;
    const root = view.current;
    root
      ?.querySelector<HTMLElement>('input[name="left"]:checked, [data-testid="back-from-history"]')
      ?.focus();
  }, [loaded]);

  useEffect(() => {
    // The latest revision too: restoring lists what it would undo there.
    for (const id of [left, right, latestSeen(entries)?.journalId ?? null]) {
      if (id === null || snapshots[id]) continue;
      api.revision({ ref: tab.ref, journalId: id }).then(
        (r) =>
          r.kind === 'ok'
            ? setSnapshots((all) => ({ ...all, [id]: r.snapshot }))
            : setError(`A revision could not be read: ${r.message}`),
        (failure: unknown) => setError(`A revision could not be read: ${reasonOf(failure)}`),
      );
    }
  }, [left, right, entries, snapshots, tab.ref]);

  // One timestamp throughout: when the revision was first seen.
  const firstSeen = (journalId: number | null) =>
    entries?.find((e) => e.journalId === journalId)?.seenAt ?? null;
  const a = left !== null ? snapshots[left] : undefined;
  const b = right !== null ? snapshots[right] : undefined;

  return (
    <div className="history-view" data-testid="history-view" ref={view}>
      <div className="toolbar">
        <div className="toolbar-title">
          <strong>History of “{tab.title}”</strong>
          <span className="muted small">
            {me !== null
              ? 'Every revision the team has seen, with who saved it — even where the API keeps no history.'
              : 'Every revision this app has seen, kept locally — even where the API keeps no history.'}
          </span>
        </div>
        <div className="toolbar-actions">
          {a ? (
            <button
              type="button"
              className="secondary"
              data-testid="restore-revision"
              // Not while a save is under way: its answer would land over the restored text.
              disabled={tab.saving}
              title={
                tab.saving
                  ? 'A save is under way: restore once it has answered'
                  : 'Open this revision as an unsaved edit on top of the latest; save it like any edit'
              }
              onClick={() => {
                const latest = latestSeen(entries);
                // The restore is based on this very revision, the one its question compares with.
                const latestSnapshot = latest ? (snapshots[latest.journalId] ?? null) : null;
                inBackground(
                  ask(restoreQuestion(a, latestSnapshot, isDirty(tab), tab.merge !== null)).then(
                    (yes) => (yes ? restore(tab.key, a, latestSnapshot) : undefined),
                  ),
                  'restore the revision',
                );
              }}
            >
              Restore revision {a.revision ?? '(none)'} as an edit…
            </button>
          ) : null}
          <button
            type="button"
            onClick={() => setView(tab.key, tab.merge ? 'merge' : 'edit')}
            data-testid="back-from-history"
          >
            {tab.merge ? 'Back to the merge' : 'Back to editor'}
          </button>
        </div>
      </div>
      {error ? (
        <div className="banner error" role="alert" data-testid="history-error">
          <span className="grow">{error}</span>
          <button
            type="button"
            className="link"
            onClick={() => {
              setError(null);
              setSnapshots({});
              setAttempt((n) => n + 1);
            }}
          >
            Try again
          </button>
        </div>
      ) : null}
      <div className="history-body">
        <div className="history-side">
          {batches.length > 0 ? (
            <section
              className="history-batches"
              aria-label="Batches that touched this resource"
              data-testid="history-batches"
            >
              <h4>Batches</h4>
              <ul>
                {batches
                  .slice()
                  .reverse()
                  .map((b) => (
                    <li key={b.batchId} className="small">
                      <strong>{BATCH_WORDS[b.target.status]}</strong> · {b.description}
                      <div className="muted">
                        {dateTimeOf(b.createdAt)}
                        {b.target.toRevision ? ` · wrote revision ${b.target.toRevision}` : ''}
                        {b.target.reason ? ` · ${b.target.reason}` : ''}
                      </div>
                    </li>
                  ))}
              </ul>
            </section>
          ) : null}
          <ol className="timeline" aria-label="Revisions">
            {(entries ?? [])
              .slice()
              .reverse()
              .map((entry) => (
                <li
                  key={entry.journalId}
                  className={entry.journalId === left || entry.journalId === right ? 'picked' : ''}
                  data-testid="history-entry"
                  data-revision={entry.revision ?? ''}
                  onClick={(e) => {
                    // Clicking a card compares it with the newest revision (the radios pick freely).
                    if ((e.target as HTMLElement).tagName === 'INPUT') return;
                    setLeft(entry.journalId);
                    setRight(latestSeen(entries)?.journalId ?? entry.journalId);
                  }}
                >
                  <div className="timeline-head">
                    <span className="badge revision">Revision {entry.revision ?? '(none)'}</span>
                    {attributionWords(entry, me) ? (
                      <span
                        className={`small attribution ${attributionWords(entry, me)!.tone}`}
                        data-testid="attribution"
                      >
                        {attributionWords(entry, me)!.text}
                      </span>
                    ) : (
                      <span className="muted small">{SOURCE_WORDS[entry.source]}</span>
                    )}
                  </div>
                  <div className="muted small">
                    {dateTimeOf(entry.seenAt)}
                    {entry.lastSeenAt !== entry.seenAt
                      ? ` · last seen ${dateTimeOf(entry.lastSeenAt)}`
                      : ''}
                  </div>
                  <div className="row gap small">
                    <label>
                      <input
                        type="radio"
                        name="left"
                        checked={entry.journalId === left}
                        onChange={() => setLeft(entry.journalId)}
                        aria-label={`Compare from revision ${entry.revision}`}
                      />{' '}
                      from
                    </label>
                    <label>
                      <input
                        type="radio"
                        name="right"
                        checked={entry.journalId === right}
                        onChange={() => setRight(entry.journalId)}
                        aria-label={`Compare to revision ${entry.revision}`}
                      />{' '}
                      to
                    </label>
                  </div>
                </li>
              ))}
          </ol>
        </div>
        <div className="history-diff">
          {a && b ? (
            <>
              <div className="pane-title">
                Revision {a.revision ?? '(none)'}{' '}
                <span className="muted small">({dateTimeOf(firstSeen(left))})</span> → Revision{' '}
                {b.revision ?? '(none)'}{' '}
                <span className="muted small">({dateTimeOf(firstSeen(right))})</span>
              </div>
              <JsonDiff
                original={a.text}
                modified={b.text}
                originalPath={`history/${tab.key}/${a.journalId}`}
                modifiedPath={`history/${tab.key}/${b.journalId}/to`}
                originalLabel={`Revision ${a.revision ?? '(none)'}, compared from`}
                modifiedLabel={`Revision ${b.revision ?? '(none)'}, compared to`}
                testId="history-diff"
              />
            </>
          ) : (
            <p className="muted pad">
              {entries && entries.length < 2
                ? 'Only one revision seen so far. Edits, refreshes and conflicts add more.'
                : error
                  ? 'Nothing to compare: see the error above.'
                  : 'Loading…'}
            </p>
          )}
        </div>
      </div>
    </div>
  );
}
