// The batch screen: what will change (the intent), on how many resources (counted before anything
// runs), a preview on sample targets, then the run's progress, its conflict queue grouped by the
// paths in conflict (one decision per group), and the report to export.
import { useEffect, useMemo, useRef, useState, type RefObject } from 'react';
import type {
  BatchPreview,
  BatchSummary,
  BatchTargetStatus,
  ConflictGroup,
} from '../../../shared/api/types';
import { getAt, parseJson, stringifyJson, COMPACT, type JsonValue } from '../../../shared/json';
import {
  describeIntent,
  emptyRow,
  intentsFromRows,
  KIND_LABELS,
  type IntentKind,
  type IntentRow,
} from '../batch/intent-form';
import { decisionRefused } from '../../../shared/batch/decisions';
import { useDesk } from '../store';
import { BATCH_PREVIEW_SAMPLE } from '../store/batch-slice';
import { Dialog } from './Dialog';
import { inBackground } from '../store/background';

const STATUS_WORDS: Array<[BatchTargetStatus, string]> = [
  ['applied', 'applied'],
  ['reapplied', 're-applied after a conflict'],
  ['queued', 'in the conflict queue'],
  ['skipped', 'skipped (already so)'],
  ['failed', 'failed'],
  ['unknown', 'outcome unknown'],
  ['kept-theirs', 'kept the server’s'],
  ['merged', 'merged by hand'],
  ['cancelled', 'cancelled (not sent)'],
];

export function BatchView() {
  const scope = useDesk((s) => s.batchScope);
  const counting = useDesk((s) => s.batchCounting);
  const batch = useDesk((s) => s.batch);
  const error = useDesk((s) => s.batchError);
  const close = useDesk((s) => s.closeBatch);
  // A batch runs on its own connection, whichever the list shows now.
  const connectionId = useDesk((s) => s.batch?.connectionId ?? s.activeConnectionId);
  const connection = useDesk((s) => s.connections.find((c) => c.id === connectionId));
  const profile = useDesk((s) => s.profiles.find((p) => p.id === connection?.profileId));
  const what =
    scope?.kind === 'matching'
      ? `All ${scope.ids.length} matching${describeFilter(scope.filters, scope.search)}`
      : scope
        ? `${scope.ids.length} selected`
        : batch
          ? // Found again after a reload or a restart: its scope is its targets.
            `${batch.total} resource${batch.total === 1 ? '' : 's'} · ${connection?.name ?? 'a removed connection'}`
          : // Nothing to run on (the count was refused): the connection alone.
            (connection?.name ?? '');
  return (
    <Dialog
      title="Batch edit"
      onClose={close}
      wide
      testId="batch-view"
      // Opened with "Show the batch", which the sidebar hides while the view is open: back to it.
      returnTo={() => document.querySelector<HTMLElement>('[data-testid="batch-show"]')}
    >
      <p className="batch-scope" data-testid="batch-scope">
        {counting ? (
          'Counting every page of the list…'
        ) : (
          <>
            <strong>{what}</strong> · {profile?.label ?? 'resources'}
          </>
        )}
      </p>
      {error ? (
        <p className="message error" role="alert">
          {error}
        </p>
      ) : null}
      {batch ? (
        <BatchRun batch={batch} />
      ) : scope && !counting ? (
        <BatchForm count={scope.ids.length} />
      ) : null}
    </Dialog>
  );
}

function describeFilter(filters: Record<string, string>, search: string): string {
  const parts = [
    ...Object.entries(filters)
      .filter(([, v]) => v)
      .map(([k, v]) => `${k}: ${v}`),
    ...(search ? [`“${search}”`] : []),
  ];
  return parts.length ? ` (${parts.join(' · ')})` : ' (no filter)';
}

function BatchForm({ count }: { count: number }) {
  const [rows, setRows] = useState<IntentRow[]>([emptyRow('set')]);
  const [concurrency, setConcurrency] = useState(4);
  const [previewId, setPreviewId] = useState('');
  const previews = useDesk((s) => s.batchPreviews);
  const preview = useDesk((s) => s.previewBatch);
  const start = useDesk((s) => s.startBatch);
  const form = useMemo(() => intentsFromRows(rows), [rows]);
  const update = (i: number, patch: Partial<IntentRow>) =>
    setRows(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));

  return (
    <form
      className="batch-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (form.ok && count > 0)
          inBackground(
            start(form.intents, concurrency, form.intents.map(describeIntent).join('; ')),
            'start the batch',
          );
      }}
    >
      <fieldset>
        <legend>Changes (applied in order to each resource’s current state)</legend>
        {rows.map((row, i) => (
          <div className="batch-row" key={i} data-testid={`batch-change-${i}`}>
            <select
              aria-label={`Change ${i + 1}: kind`}
              value={row.kind}
              onChange={(e) => update(i, { kind: e.target.value as IntentKind })}
            >
              {(Object.keys(KIND_LABELS) as IntentKind[]).map((k) => (
                <option key={k} value={k}>
                  {KIND_LABELS[k]}
                </option>
              ))}
            </select>
            {row.kind === 'json-patch' ? (
              <textarea
                aria-label={`Change ${i + 1}: JSON Patch operations`}
                rows={4}
                spellCheck={false}
                value={row.patch}
                onChange={(e) => update(i, { patch: e.target.value })}
              />
            ) : (
              <>
                <input
                  aria-label={`Change ${i + 1}: path`}
                  placeholder="/priority or /attributes/skills"
                  value={row.path}
                  onChange={(e) => update(i, { path: e.target.value })}
                  spellCheck={false}
                />
                {row.kind !== 'remove' ? (
                  <input
                    aria-label={`Change ${i + 1}: value`}
                    placeholder={
                      row.kind === 'set' ? 'value (JSON, or a word)' : 'element (JSON, or a word)'
                    }
                    value={row.value}
                    onChange={(e) => update(i, { value: e.target.value })}
                    spellCheck={false}
                  />
                ) : null}
                {row.kind === 'add-element' || row.kind === 'remove-element' ? (
                  <input
                    aria-label={`Change ${i + 1}: id key`}
                    placeholder="id key (optional)"
                    className="narrow"
                    value={row.idKey}
                    onChange={(e) => update(i, { idKey: e.target.value })}
                  />
                ) : null}
              </>
            )}
            {rows.length > 1 ? (
              <button
                type="button"
                className="link"
                aria-label={`Remove change ${i + 1}`}
                onClick={() => setRows(rows.filter((_, j) => j !== i))}
              >
                ×
              </button>
            ) : null}
          </div>
        ))}
        <button
          type="button"
          className="secondary"
          onClick={() => setRows([...rows, emptyRow('set')])}
        >
          + Add a change
        </button>
      </fieldset>
      {form.ok ? (
        <ul className="batch-summary" aria-label="What the batch will do">
          {form.intents.map((intent, i) => (
            <li key={i}>{describeIntent(intent)}</li>
          ))}
        </ul>
      ) : (
        <ul className="batch-problems muted small">
          {form.errors.map((e) => (
            <li key={e}>{e}</li>
          ))}
        </ul>
      )}
      <div className="row gap wrap">
        <button
          type="button"
          className="secondary"
          disabled={!form.ok}
          onClick={() => form.ok && inBackground(preview(form.intents), 'preview the batch')}
        >
          Preview on {Math.min(BATCH_PREVIEW_SAMPLE, count)} resource
          {Math.min(BATCH_PREVIEW_SAMPLE, count) === 1 ? '' : 's'}
        </button>
        <input
          aria-label="Preview one resource by id"
          placeholder="or one id…"
          value={previewId}
          onChange={(e) => setPreviewId(e.target.value)}
          className="narrow"
        />
        <button
          type="button"
          className="secondary"
          disabled={!form.ok || !previewId.trim()}
          onClick={() =>
            form.ok && inBackground(preview(form.intents, previewId.trim()), 'preview the batch')
          }
        >
          Preview it
        </button>
      </div>
      {previews ? <Previews previews={previews} /> : null}
      <div className="row gap batch-go">
        <label className="row gap small">
          Writes at a time{' '}
          <input
            type="number"
            min={1}
            max={32}
            value={concurrency}
            onChange={(e) => setConcurrency(Math.min(32, Math.max(1, Number(e.target.value) || 1)))}
            className="tiny"
          />
        </label>
        <button
          type="submit"
          className="primary"
          disabled={!form.ok || count === 0}
          data-testid="batch-run"
        >
          Run on {count} resource{count === 1 ? '' : 's'}
        </button>
      </div>
      <p className="muted small">
        Each write is conditional on the revision just read. When another writer changed a resource
        meanwhile, the change is re-applied to the server's version if it touched none of these
        paths; otherwise the resource waits in the conflict queue for your decision.
      </p>
    </form>
  );
}

function Previews({ previews }: { previews: BatchPreview[] }) {
  return (
    <div className="batch-previews" data-testid="batch-previews">
      {previews.map((p) => (
        <section key={p.resourceId} className="batch-preview">
          <h4 className="mono">{p.resourceId}</h4>
          {p.kind === 'error' ? (
            <p className="message error">{p.message}</p>
          ) : p.kind === 'no-change' ? (
            <p className="muted">No change: it is already so (this one would be skipped).</p>
          ) : (
            <table className="field-table">
              <thead>
                <tr>
                  <th>path</th>
                  <th>now</th>
                  <th>after</th>
                </tr>
              </thead>
              <tbody>
                {p.changedPaths.map((path) => (
                  <tr key={path}>
                    <td className="mono">{path}</td>
                    <td className="mono">{valueText(p.before, path)}</td>
                    <td className="mono">{valueText(p.after, path)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      ))}
    </div>
  );
}

function valueText(doc: string, path: string): string {
  const parsed = parseJson(doc);
  const value: JsonValue | undefined = parsed.ok ? getAt(parsed.value, path) : undefined;
  return value === undefined ? '(absent)' : stringifyJson(value, COMPACT);
}

function BatchRun({ batch }: { batch: BatchSummary }) {
  const pause = useDesk((s) => s.pauseBatch);
  const resume = useDesk((s) => s.resumeBatch);
  const cancel = useDesk((s) => s.cancelBatch);
  const groups = useDesk((s) => s.batchGroups);
  const attention = useDesk((s) => s.batchAttention);
  const exportText = useDesk((s) => s.batchReportText);
  const own = useDesk((s) =>
    s.batchDeciding && s.batchDeciding.batchId === batch.batchId ? s.batchDeciding : null,
  );
  // The groups showing a decision's bar: this window's own, and the one under way (from anywhere).
  const bars = [own?.signature, batch.deciding?.signature].filter(
    (s): s is string => s !== undefined,
  );
  const decided = useDesk((s) =>
    s.batchDecided?.batchId === batch.batchId ? s.batchDecided : null,
  );
  const runRef = useRef<HTMLDivElement>(null);
  useKeyboardAfterDecision(runRef, bars, groups);
  const settled = batch.total - batch.counts.pending - batch.counts.running;
  const percent = batch.total ? Math.round((settled / batch.total) * 100) : 100;
  const stateWords: Record<BatchSummary['state'], string> = {
    running: `Running · ${batch.rate} per second`,
    paused: 'Paused — resume to continue',
    cancelled: 'Cancelled',
    done: 'Done',
    interrupted: 'Interrupted (the app stopped) — resume to continue',
  };
  const download = async (format: 'csv' | 'json') => {
    const text = await exportText(format);
    if (text === null) return;
    const url = URL.createObjectURL(
      new Blob([text], { type: format === 'csv' ? 'text/csv' : 'application/json' }),
    );
    const a = document.createElement('a');
    a.href = url;
    a.download = `batch-${batch.batchId.slice(0, 8)}.${format}`;
    a.click();
    URL.revokeObjectURL(url);
  };
  return (
    <div className="batch-run" data-testid="batch-run-status" ref={runRef}>
      <p className="muted small">{batch.description}</p>
      <div className="row gap">
        <progress
          max={batch.total}
          value={settled}
          aria-label={`${settled} of ${batch.total} done`}
        />
        <span className="small" data-testid="batch-progress-text">
          {settled} of {batch.total} · {percent}% · {stateWords[batch.state]}
        </span>
      </div>
      <ul className="batch-counts" aria-label="Outcomes so far">
        {STATUS_WORDS.filter(([s]) => batch.counts[s] > 0).map(([s, words]) => (
          <li key={s} className={`chip ${s}`} data-testid={`batch-count-${s}`}>
            {batch.counts[s]} {words}
          </li>
        ))}
        <li
          className="chip"
          title="Every write that left the app: a resource retried (a 429, a conflict) counts each attempt"
        >
          {batch.writesSent} write{batch.writesSent === 1 ? '' : 's'} sent
        </li>
      </ul>
      <div className="row gap">
        {batch.state === 'running' ? (
          <button
            type="button"
            className="secondary"
            onClick={() => inBackground(pause(), 'pause the batch')}
          >
            Pause
          </button>
        ) : null}
        {batch.state === 'paused' || batch.state === 'interrupted' ? (
          <button
            type="button"
            className="secondary"
            onClick={() => inBackground(resume(), 'resume the batch')}
          >
            Resume
          </button>
        ) : null}
        {batch.state === 'running' || batch.state === 'paused' || batch.state === 'interrupted' ? (
          <button
            type="button"
            className="secondary danger"
            onClick={() => inBackground(cancel(), 'cancel the batch')}
          >
            Cancel the rest
          </button>
        ) : null}
        {batch.state !== 'running' ? (
          <>
            <button
              type="button"
              className="secondary"
              onClick={() => inBackground(download('csv'), 'export the report')}
            >
              Export CSV
            </button>
            <button
              type="button"
              className="secondary"
              onClick={() => inBackground(download('json'), 'export the report')}
            >
              Export JSON
            </button>
          </>
        ) : null}
      </div>
      {batch.state === 'cancelled' ? (
        <p className="small">
          Cancelled: {batch.writesSent} write{batch.writesSent === 1 ? ' was' : 's were'} sent;{' '}
          {batch.counts.cancelled} resource{batch.counts.cancelled === 1 ? ' was' : 's were'} not
          written (never read, or refused by the server with 429). The report lists each.
        </p>
      ) : null}
      {batch.state !== 'running' && attention.length > 0 ? (
        <section className="batch-queue" aria-label="Not applied" data-testid="batch-attention">
          <h3>Not applied or not known</h3>
          <ul className="batch-targets">
            {attention.map((t) => (
              <li key={t.resourceId}>
                <span className="mono">{t.resourceId}</span>{' '}
                <strong className="small">
                  {t.status === 'failed' ? 'failed' : 'outcome unknown'}
                </strong>{' '}
                <span className="muted small">{t.reason}</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {/* Always there, so a screen reader hears how a decision ended (its bar is gone with it). */}
      <p
        className={decided ? 'small' : 'visually-hidden'}
        role="status"
        data-testid="batch-decision-status"
      >
        {decided
          ? decidedWords(
              decided,
              groups.find((g) => g.signature === decided.signature)?.targets.length ?? 0,
            )
          : null}
      </p>
      {groups.length > 0 ? (
        <ConflictQueue
          groups={groups}
          own={own}
          under={batch.deciding}
          held={decisionRefused(batch.state)}
        />
      ) : batch.state !== 'running' && batch.counts.queued === 0 ? (
        <p className="muted small">The conflict queue is empty.</p>
      ) : null}
    </div>
  );
}

/**
 * A decision's bar held the keyboard (its stop button); when the decision ends or is stopped the
 * bar goes, and with the group settled the group goes too. The keyboard would land on the page:
 * it goes to the group's decision again if members are left, else to the next group's, else to
 * the batch's first control. Focus the operator moved elsewhere meanwhile is left where it is.
 */
function useKeyboardAfterDecision(
  runRef: RefObject<HTMLDivElement | null>,
  bars: string[],
  groups: ConflictGroup[],
): void {
  const before = useRef<string[]>([]);
  const key = JSON.stringify(bars);
  useEffect(() => {
    const now = JSON.parse(key) as string[];
    const [signature] = before.current.filter((s) => !now.includes(s));
    before.current = now;
    const run = runRef.current;
    const active = document.activeElement;
    if (signature === undefined || !run || (active && active !== document.body)) return;
    const articles = [...run.querySelectorAll<HTMLElement>('[data-testid="batch-group"]')];
    const group = articles.find((a) => a.dataset['signature'] === signature) ?? articles[0] ?? run;
    group.querySelector<HTMLButtonElement>('button:not([disabled])')?.focus();
  }, [key, groups, runRef]);
}

/** Why a group with no path in conflict is queued (the runner's signatures). */
const QUEUED_WHY: Record<string, string> = {
  'kept moving': 'The server changed again at every try',
  'the intent no longer applies': 'The change no longer applies to what the server holds now',
  // A change that sets the whole document ("") collides wherever another writer changed it.
  '': 'The whole document',
};

/** How a group decision of this window ended; `left`: the members its group still has. */
function decidedWords(
  decided: { signature: string; stopped: boolean; stoppedHere: boolean },
  left: number,
): string {
  const { signature } = decided;
  const on = signature.startsWith('/')
    ? `on ${signature.split(' · ').join(', ')}`
    : `on the group “${QUEUED_WHY[signature] ?? signature}”`;
  if (decided.stopped && decided.stoppedHere)
    return `You stopped your decision ${on} after the write under way: the resources it had not reached stay in the conflict queue.`;
  if (decided.stopped)
    return `Your decision ${on} was stopped from elsewhere (another window, a script, or the app closing) before it reached every resource: those not reached stay in the conflict queue.`;
  return `Your decision ${on} went through the whole group.${
    left > 0
      ? ` ${left} of its resources ${left === 1 ? 'is' : 'are'} still in the queue: see the reason beside each.`
      : ''
  }`;
}

/**
 * A decision under way writes the group's members one by one: it can be stopped between two. The
 * button that started it is gone, so the keyboard goes to the way to stop it.
 */
function DecidingBar({
  onStop,
  stopping,
  mine,
  waiting,
}: {
  onStop: () => void;
  stopping: boolean;
  /** This window's decision: the keyboard goes to its stop (another's does not take it). */
  mine: boolean;
  /** This window's decision waits for the one under way on another group. */
  waiting: boolean;
}) {
  const stop = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (mine) stop.current?.focus();
  }, [mine]);
  return (
    <div className="row gap" role="status" data-testid="batch-deciding">
      <span>
        {stopping
          ? 'Stopping: the write under way finishes first…'
          : waiting
            ? 'Your decision waits for the one under way on another group…'
            : mine
              ? 'Applying your decision, one resource at a time…'
              : 'A decision on this group is being applied, one resource at a time…'}
      </span>
      <button
        ref={stop}
        type="button"
        className="secondary"
        data-testid="stop-decision"
        title="The write under way finishes; the resources not reached stay in the queue"
        onClick={onStop}
      >
        Stop after the write under way
      </button>
    </div>
  );
}

function ConflictQueue({
  groups,
  own,
  under,
  held,
}: {
  groups: ConflictGroup[];
  /** This window's decision waiting for its answer. */
  own: { signature: string; stopping: boolean } | null;
  /** The decision under way on the batch, from any window or script. */
  under: BatchSummary['deciding'];
  /** Why no decision is taken now (a paused or cancelled batch), or null. */
  held: string | null;
}) {
  const settle = useDesk((s) => s.settleBatchGroup);
  const openQueued = useDesk((s) => s.openQueuedTarget);
  const stopDecision = useDesk((s) => s.stopBatchDecision);
  return (
    <section className="batch-queue" aria-label="Conflict queue" data-testid="batch-queue">
      <h3>Conflict queue</h3>
      <p className="muted small">
        These paths changed on the server after the batch read them. One decision settles a whole
        group; or open a resource to merge it by hand.
      </p>
      {held ? (
        <p className="muted small" role="status" data-testid="batch-queue-held">
          {held}
        </p>
      ) : null}
      {groups.map((group) => {
        // A group is named by the paths in conflict, or (no path) by why it is queued.
        const where = group.paths.length ? group.paths.join(', ') : null;
        const n = group.targets.length;
        const ownHere = own?.signature === group.signature ? own : null;
        const underHere = under?.signature === group.signature ? under : null;
        return (
          <article
            key={group.signature}
            className="batch-group"
            data-testid="batch-group"
            data-signature={group.signature}
          >
            <h4>
              {where ? (
                <span className="mono">{where}</span>
              ) : (
                (QUEUED_WHY[group.signature] ?? group.signature)
              )}{' '}
              · {n} resource{n === 1 ? '' : 's'}
            </h4>
            {ownHere || underHere ? (
              <DecidingBar
                mine={ownHere !== null}
                waiting={ownHere !== null && under !== undefined && underHere === null}
                stopping={ownHere?.stopping === true || underHere?.stopping === true}
                onStop={() => inBackground(stopDecision(), 'stop the decision')}
              />
            ) : held ? null : (
              <div className="row gap">
                <button
                  type="button"
                  className="primary"
                  onClick={() =>
                    inBackground(settle(group.signature, 'mine'), 'settle the conflicts')
                  }
                >
                  {where ? `Keep mine for ${where} on all ${n}` : `Try my change again on all ${n}`}
                </button>
                <button
                  type="button"
                  className="secondary"
                  onClick={() =>
                    inBackground(settle(group.signature, 'theirs'), 'settle the conflicts')
                  }
                >
                  Keep the server’s on all {n}
                </button>
              </div>
            )}
            <details>
              <summary>
                Show the {n} resource{n === 1 ? '' : 's'}
              </summary>
              <ul className="batch-targets">
                {group.targets.map((t) => (
                  <li key={t.resourceId}>
                    <span className="mono">{t.resourceId}</span>{' '}
                    <span className="muted small">{t.reason}</span>{' '}
                    <button
                      type="button"
                      className="link"
                      onClick={() =>
                        inBackground(openQueued(t), 'open the resource in the three-way view')
                      }
                    >
                      Open in the three-way view
                    </button>
                  </li>
                ))}
              </ul>
            </details>
          </article>
        );
      })}
    </section>
  );
}
