// One tab's life as a plain value with pure transitions: opened (with a draft, a merge in progress,
// pending outcomes), typed, draft stored, save started / answered with each outcome, server moved,
// refreshed, merge updated / closed, unknown outcome checked / accepted / dismissed. No I/O here:
// tabs-slice calls the API and feeds the answers in, so every rule below is unit-tested without a UI.
import type {
  MissingChange,
  PendingOutcome,
  ResourceRef,
  SaveResult,
  Snapshot,
  UnknownOutcome,
} from '../../../shared/api/types';
import { diffPaths, getAt, jsonEqual, parseJson } from '../../../shared/json';
import { parseText } from '../lib/parsed-texts';
import {
  carriedInto,
  createMergeSession,
  keepsSameDraft,
  rebaseSession,
  resultText,
  type MergeSession,
} from '../merge/merge-session';
import { clause, errorWords } from './error-words';
import { holdsWords, partlyAppliedWords, savedWords, unknownWords } from './outcome-words';

export type ServerMoved = { revision: string | null; journalId: number; changedPaths: string[] };

export type TabView = 'edit' | 'merge' | 'history';

export type TabMessage = { tone: 'ok' | 'error' | 'info'; text: string; detail?: string };

/** A write whose outcome is not known, as the tab shows it until the operator settles it. */
export type UnknownState = {
  auditId: number;
  cause: UnknownOutcome['cause'];
  serverHolds: UnknownOutcome['serverHolds'];
  /** What the server held when last checked (null: unreadable). */
  serverNow: Snapshot | null;
  serverRevision: string | null;
  changedPaths: string[];
  checkedAt: string | null;
  checking: boolean;
};

export type Tab = {
  key: string;
  ref: ResourceRef;
  title: string;
  connectionName: string;
  /** The revision the operator's text is based on ("When you opened it"). */
  base: Snapshot;
  text: string;
  view: TabView;
  saving: boolean;
  watchId: string | null;
  restoredDraftAt: string | null;
  draftSavedAt: string | null;
  /**
   * When the draft this tab last kept (or restored) was kept, null when it knows of none: a draft
   * write or discard names it, so another window's newer draft is never written over. A failed
   * write leaves it as it was.
   */
  draftVersion: string | null;
  /**
   * Who this tab is to the backend's drafts (a random id, kept with a copy made on pagehide so the
   * tab restored after a reload is the same writer): its own writes may overtake each other, and
   * none of them is refused as another window's.
   */
  draftWriter: string;
  /** Why the last draft write failed (the text on screen is then kept nowhere else), until one succeeds. */
  draftError: string | null;
  serverMoved: ServerMoved | null;
  /** A move seen while a save was under way; it applies if the save does not settle it. */
  deferredMoved: ServerMoved | null;
  /** The outcome of the last action, in plain words. */
  message: TabMessage | null;
  merge: MergeSession | null;
  /** Changes a partly applied write left out, until the next save or the operator dismisses them. */
  missing: MissingChange[] | null;
  /** The write whose outcome is unknown (the latest one), until settled. */
  unknown: UnknownState | null;
  /**
   * A restored draft's own base, when it could not be read: the draft is shown against `base`, the
   * server's revision when it was opened (`against`), which it was not typed from. See unreadBase.
   */
  unreadBase?: { journalId: number; against: number } | null;
};

export const tabKey = (ref: ResourceRef) => `${ref.connectionId}\u0000${ref.id}`;

export const isDirty = (tab: Tab) => tab.text !== tab.base.text;

export type Opened = {
  ref: ResourceRef;
  title: string;
  connectionName: string;
  /** What the server holds now. */
  snapshot: Snapshot;
  /** The revision the draft was typed against, when older than `snapshot`. */
  draftBase: Snapshot | null;
  /** That revision's journal entry when it could not be read, and why (draftBase is then null). */
  draftBaseLost?: { journalId: number; reason: string } | null;
  /**
   * `version`: the backend draft a restored copy was made over, when not the one `updatedAt` names;
   * `writer`: the tab that made the copy (see Tab.draftWriter).
   */
  draft: { text: string; updatedAt: string; version?: string | null; writer?: string } | null;
  merge: MergeSession | null;
  pending: readonly PendingOutcome[];
};

function unknownFromPending(p: PendingOutcome, serverNow: Snapshot | null): UnknownState {
  return {
    auditId: p.auditId,
    cause: p.cause,
    serverHolds: p.serverHolds,
    serverNow,
    serverRevision: p.serverRevision,
    changedPaths: p.changedPaths,
    checkedAt: p.checkedAt,
    checking: false,
  };
}

export function opened(o: Opened): Tab {
  const base = o.draftBase ?? o.snapshot;
  const latestPending = o.pending.at(-1);
  return {
    key: tabKey(o.ref),
    ref: o.ref,
    title: o.title,
    connectionName: o.connectionName,
    base,
    text: o.draft?.text ?? base.text,
    view: o.merge ? 'merge' : 'edit',
    saving: false,
    watchId: null,
    restoredDraftAt: o.draft?.updatedAt ?? null,
    draftSavedAt: o.draft?.updatedAt ?? null,
    draftVersion: o.draft?.version !== undefined ? o.draft.version : (o.draft?.updatedAt ?? null),
    draftWriter: o.draft?.writer ?? newWriterId(),
    draftError: null,
    // A restored merge is against Server now already: that revision is not news.
    serverMoved:
      base.journalId !== o.snapshot.journalId && !mergesAgainst(o.merge, o.snapshot)
        ? { revision: o.snapshot.revision, journalId: o.snapshot.journalId, changedPaths: [] }
        : null,
    deferredMoved: null,
    message: o.draftBaseLost
      ? { tone: 'error', text: unreadBaseWords(o.draftBaseLost) }
      : o.merge
        ? {
            tone: 'info',
            text: 'Your merge in progress was restored, with the decisions you had made.',
          }
        : null,
    merge: o.merge,
    missing: null,
    unreadBase: o.draftBaseLost
      ? { journalId: o.draftBaseLost.journalId, against: base.journalId }
      : null,
    // A pending outcome's server state is what the open just read, when it is that revision.
    unknown: latestPending
      ? unknownFromPending(
          latestPending,
          latestPending.serverRevision === o.snapshot.revision ? o.snapshot : null,
        )
      : null,
  };
}

export function unreadBaseWords(lost: { journalId: number; reason: string }): string {
  return `Your draft was typed against an older revision (journal entry #${lost.journalId}) that can no longer be read (${lost.reason.replace(/\.$/, '')}). It is shown against the server's current revision, which it was not made from, so its differences may undo changes others made since: Save lists every field it would change and asks first.`;
}

/**
 * The unread base of a restored draft while it still matters: the text differs from the revision
 * it is shown against, and that revision is still the tab's base (a save, a merge or a reload
 * gives the text a base it was made from, or one the operator has seen).
 */
export function unreadBase(tab: Tab): { journalId: number } | null {
  const lost = tab.unreadBase;
  return lost && lost.against === tab.base.journalId && isDirty(tab) ? lost : null;
}

/**
 * The base a draft of this tab is kept against: the revision its text was made from. An unread one
 * stays named (its revision unknown), so the next open flags the draft again instead of taking the
 * revision it is shown against for its base.
 */
export function draftBaseOf(tab: Tab): { journalId: number; revision: string | null } {
  const lost = unreadBase(tab);
  return lost
    ? { journalId: lost.journalId, revision: null }
    : { journalId: tab.base.journalId, revision: tab.base.revision };
}

export function typed(tab: Tab, text: string): Tab {
  return { ...tab, text };
}

/** A draft write succeeded: the failure it may end is no longer true, so neither is its message. */
export function draftStored(tab: Tab, updatedAt: string | null): Tab {
  const endsFailure =
    tab.draftError !== null && tab.message?.text === draftFailureWords(tab.draftError);
  return {
    ...tab,
    draftSavedAt: updatedAt,
    draftVersion: updatedAt,
    draftError: null,
    message: endsFailure ? null : tab.message,
  };
}

/**
 * A draft write failed: the time of an earlier draft no longer describes the text on screen, so it
 * is dropped, and the operator is told (the store tries again by itself).
 */
export function draftFailed(tab: Tab, reason: string): Tab {
  return {
    ...tab,
    draftSavedAt: null,
    draftError: reason,
    message: { tone: 'error', text: draftFailureWords(reason) },
  };
}

export function draftFailureWords(reason: string): string {
  return `Your draft could not be kept: ${clause(reason)}. The app keeps trying; keep this tab open until the draft is kept.`;
}

export function saveStarted(tab: Tab): Tab {
  return { ...tab, saving: true, message: null };
}

/** The backend could not be reached (a thrown call): nothing is known to be written, the edit stays. */
export function saveFailed(tab: Tab, error: string): Tab {
  return {
    ...tab,
    saving: false,
    message: {
      tone: 'error',
      text: `The app could not reach its backend: ${error}. Your edit is kept.`,
    },
  };
}

/**
 * A save whose call to the backend failed (the host went away mid-call): the backend may have sent
 * the write before it did, so nothing is claimed either way. A host that stopped mid-write finds
 * its in-flight row at the next start and shows it as an unknown outcome.
 */
export function saveCutOff(tab: Tab, error: string): Tab {
  return {
    ...tab,
    saving: false,
    message: {
      tone: 'error',
      text: `The app lost its backend during the save (${error}): it is not known whether it reached the server. Your edit is kept; when the app is back, reopen the resource to see what the server holds and whether the save is listed as unknown.`,
    },
  };
}

export type SaveContext = {
  /** The text that was sent. */
  sentText: string;
  /** The revision the write was conditional on, as the renderer holds it (the merge's base for a conflict). */
  sentBase: Snapshot;
  /** The save came from the merge view (the result, or *Overwrite with mine*). */
  fromMerge: boolean;
};

const settledMoves = { serverMoved: null, deferredMoved: null } as const;

/**
 * A save settled on `snapshot`: news the watch brought during the save stays news only when it was
 * journalled after that snapshot (a colleague's write after ours); anything older the save settled.
 */
function movesAfter(tab: Tab, snapshot: Snapshot) {
  const moved = tab.deferredMoved ?? tab.serverMoved;
  return moved && moved.journalId > snapshot.journalId
    ? { serverMoved: moved, deferredMoved: null }
    : settledMoves;
}

/**
 * A merge's save (its result, or *Overwrite with mine*: `sentText`) while the editor holds typing
 * the merge does not have: made there after the merge began ("Back to edit"), it differs from the
 * merge's Your edit, from what was sent and from the tab's base. That typing descends from the
 * tab's base, not from Server now (it lacks their change), so whatever the answer it stays the
 * text over that base: over Server now or a newer revision, saving it would write their old values
 * back. A save of it is conditional on that base and merges again. When the answer does not prove
 * the result saved in full (unknown outcome, partly applied), the merge stays open too, with its
 * decisions and hand edits: both are the operator's work, and the editor holds only one text.
 */
function typedBesideMerge(tab: Tab, sentText: string): boolean {
  return (
    tab.merge !== null &&
    tab.text !== tab.merge.mineText &&
    tab.text !== sentText &&
    tab.text !== tab.base.text
  );
}

/** `snapshot` as news for a tab that stays over its base: the fields changed since that base. */
function movedFromBase(tab: Tab, snapshot: Snapshot): ServerMoved {
  const started = parseText(tab.base.text);
  const now = parseText(snapshot.text);
  return {
    revision: snapshot.revision,
    journalId: snapshot.journalId,
    changedPaths:
      started.ok && now.ok ? diffPaths(started.value, now.value).map((c) => c.path) : [],
  };
}

/** Applies a save's answer. Every outcome keeps what the operator typed unless it is proven saved. */
export function saveAnswered(tab: Tab, result: SaveResult, ctx: SaveContext): Tab {
  const done = { ...tab, saving: false };
  switch (result.kind) {
    case 'saved': {
      // Typing during the save carries on as a new edit on top of the saved revision.
      const typedDuring = !ctx.fromMerge && tab.text !== ctx.sentText;
      const what = savedWords(result);
      // A merge's result was sent, but the editor holds an edit the merge does not (typed there
      // after the merge began, "Back to edit"): it lacks the server's side, so it stays over the
      // revision it descends from, and the saved revision is news (saving it merges again).
      if (ctx.fromMerge && tab.merge !== null && tab.text !== tab.merge.mineText) {
        return {
          ...done,
          view: 'edit',
          merge: null,
          serverMoved: movedFromBase(tab, result.snapshot),
          deferredMoved: null,
          unknown: null,
          missing: null,
          message: {
            tone: 'info',
            text: `${what} What you typed in the editor during the merge is not in it, and is kept as an unsaved edit.`,
          },
        };
      }
      if (typedDuring && result.movedSince && result.movedSince.changedPaths.length > 0) {
        // The snapshot is a colleague's revision after ours: the text typed meanwhile lacks their
        // change, so it stays over the revision it descends from, and theirs is news (saving
        // merges; the operator's own saved values may show there as a conflict with the typing).
        const { snapshot } = result;
        return {
          ...done,
          serverMoved: {
            revision: snapshot.revision,
            journalId: snapshot.journalId,
            changedPaths: result.movedSince.changedPaths,
          },
          deferredMoved: null,
          unknown: null,
          missing: null,
          message: {
            tone: 'info',
            text: `${what} What you typed meanwhile is kept as an unsaved edit.`,
          },
        };
      }
      return {
        ...done,
        ...movesAfter(tab, result.snapshot),
        base: result.snapshot,
        text: typedDuring ? tab.text : result.snapshot.text,
        view: 'edit',
        merge: null,
        missing: null,
        unknown: null,
        draftSavedAt: null,
        draftError: null,
        restoredDraftAt: null,
        message: {
          tone: result.movedSince ? 'info' : 'ok',
          text: typedDuring ? `${what} What you typed meanwhile is kept as an unsaved edit.` : what,
        },
      };
    }
    case 'conflict': {
      let merge: MergeSession;
      if (ctx.fromMerge && tab.merge) {
        merge = rebaseSession(tab.merge, result);
      } else {
        // Merge what the editor holds now (it may have moved on since the save was sent).
        // (The text sent is the one the backend parsed: no need to parse it again here.)
        const mine = tab.text === ctx.sentText || parseJson(tab.text).ok ? tab.text : ctx.sentText;
        merge = createMergeSession({
          base: ctx.sentBase,
          theirs: result.theirs,
          mine,
          status: result.status,
          mergeOptions: result.mergeOptions,
          afterLostAnswer: result.afterLostAnswer,
        });
        // A merge in progress it replaces (saved from the editor beside it): its decisions and
        // hand edits carry over where they still apply, instead of going without a word.
        if (tab.merge) merge = carriedInto(tab.merge, merge);
      }
      return { ...done, ...settledMoves, view: 'merge', merge, missing: null, message: null };
    }
    case 'partly-applied': {
      const stillBase =
        result.savedRevision === null && result.snapshot.revision === ctx.sentBase.revision
          ? result.snapshot.revision
          : null;
      if (ctx.fromMerge && typedBesideMerge(tab, ctx.sentText)) {
        // Typing beside the merge (see typedBesideMerge): it and the merge are both kept; the new
        // revision is news unless the merge is against it already (or a later move is news).
        const later = movesAfter(tab, result.snapshot).serverMoved;
        return {
          ...done,
          serverMoved:
            later ??
            (mergesAgainst(tab.merge, result.snapshot)
              ? null
              : movedFromBase(tab, result.snapshot)),
          deferredMoved: null,
          view: 'edit',
          missing: result.missing,
          message: {
            tone: 'error',
            text: partlyAppliedWords(result.savedRevision, result.missing, stillBase, true),
          },
        };
      }
      // The server moved to a new revision without every change: the edit stays, over the new base.
      return {
        ...done,
        ...movesAfter(tab, result.snapshot),
        base: result.snapshot,
        text: ctx.fromMerge ? ctx.sentText : tab.text,
        view: 'edit',
        merge: null,
        missing: result.missing,
        message: {
          tone: 'error',
          text: partlyAppliedWords(result.savedRevision, result.missing, stillBase),
        },
      };
    }
    case 'unknown-outcome': {
      const unknown: UnknownState = {
        auditId: result.auditId,
        cause: result.cause,
        serverHolds: result.serverHolds,
        serverNow: result.serverNow,
        serverRevision: result.serverNow?.revision ?? null,
        changedPaths: result.changedPaths,
        checkedAt: null,
        checking: false,
      };
      if (ctx.fromMerge && typedBesideMerge(tab, ctx.sentText))
        // Typing beside the merge (see typedBesideMerge): text, base and merge all stay as they are.
        return {
          ...done,
          ...settledMoves,
          view: 'edit',
          unknown,
          message: {
            tone: 'info',
            text: `What you typed in the editor during the merge is not in the merge’s result that was sent, and is kept as an unsaved edit over revision ${tab.base.revision ?? '(none)'}, the one it was made from. The merge stays open with your decisions until you know what the server holds.`,
          },
        };
      return {
        ...done,
        ...settledMoves,
        // A merge's result is what was sent: it becomes the edit, so nothing decided is lost.
        text: ctx.fromMerge ? ctx.sentText : tab.text,
        view: ctx.fromMerge ? 'edit' : tab.view === 'merge' ? 'edit' : tab.view,
        merge: ctx.fromMerge ? null : tab.merge,
        base: ctx.fromMerge ? ctx.sentBase : tab.base,
        unknown,
        message: null,
      };
    }
    case 'error':
      return {
        ...done,
        serverMoved:
          tab.deferredMoved && tab.deferredMoved.journalId !== tab.base.journalId
            ? tab.deferredMoved
            : tab.serverMoved,
        deferredMoved: null,
        message: {
          tone: 'error',
          text: errorWords(result),
          ...(result.bodyExcerpt ? { detail: result.bodyExcerpt } : {}),
        },
      };
  }
}

/**
 * Whether a merge in progress is against this revision already (its Server now). Only that row is:
 * a watch announces only rows it has not told of, so an older row is news too (a server back at A
 * after B: the journal answers with A's first row).
 */
function mergesAgainst(
  merge: MergeSession | null,
  seen: { journalId: number; revision: string | null },
): boolean {
  return (
    merge !== null &&
    (seen.journalId === merge.theirs.journalId ||
      (seen.revision !== null && seen.revision === merge.theirs.revision))
  );
}

/** Whether the watch's news is what the tab is against already: a merge's Server now, else its base. */
function holdsAlready(tab: Tab, seen: { journalId: number; revision: string | null }): boolean {
  return tab.merge === null
    ? seen.journalId === tab.base.journalId
    : mergesAgainst(tab.merge, seen);
}

/** The watch saw a new revision. During a save it waits: the save's answer may settle it. */
export function serverMoved(tab: Tab, moved: ServerMoved): Tab {
  // Back at (or still at) what the tab is against: an earlier "server changed" no longer holds.
  if (holdsAlready(tab, moved))
    return tab.serverMoved || tab.deferredMoved
      ? { ...tab, serverMoved: null, deferredMoved: null }
      : tab;
  return tab.saving ? { ...tab, deferredMoved: moved } : { ...tab, serverMoved: moved };
}

/** A refresh answered with the server's latest revision. */
export function refreshed(tab: Tab, latest: Snapshot): Tab {
  if (latest.journalId === tab.base.journalId) {
    return {
      ...tab,
      serverMoved: null,
      message: {
        tone: 'info',
        text: `Up to date: the server still has revision ${tab.base.revision ?? '(none)'}.`,
      },
    };
  }
  if (!isDirty(tab)) {
    return {
      ...tab,
      base: latest,
      text: latest.text,
      serverMoved: null,
      message: { tone: 'info', text: `Refreshed to revision ${latest.revision ?? '(none)'}.` },
    };
  }
  return {
    ...tab,
    serverMoved: {
      revision: latest.revision,
      journalId: latest.journalId,
      changedPaths: tab.serverMoved?.changedPaths ?? [],
    },
  };
}

/** The operator loads the server's revision, dropping their edit. */
export function tookServer(tab: Tab, latest: Snapshot): Tab {
  return {
    ...tab,
    base: latest,
    text: latest.text,
    serverMoved: null,
    missing: null,
    message: { tone: 'info', text: `Now showing revision ${latest.revision ?? '(none)'}.` },
  };
}

export function draftDiscarded(tab: Tab, latest: Snapshot): Tab {
  return {
    ...tab,
    base: latest,
    text: latest.text,
    restoredDraftAt: null,
    draftSavedAt: null,
    draftVersion: null,
    draftError: null,
    serverMoved: null,
    message: null,
    merge: null,
    missing: null,
    view: 'edit',
  };
}

export function mergeUpdated(tab: Tab, update: (s: MergeSession) => MergeSession): Tab {
  if (!tab.merge) return tab;
  const merge = update(tab.merge);
  // While a save is under way, a decision, revert or hand edit is not in what was sent, and a
  // "saved" answer closes the merge on what was: taken, it would be dropped unsaid. Refused (the
  // view holds the Result read-only meanwhile); moving the focus changes nothing kept.
  if (tab.saving && !keepsSameDraft(tab.merge, merge))
    return {
      ...tab,
      message: {
        tone: 'error',
        text: 'The merge’s result is being saved: wait for the answer before changing the merge.',
      },
    };
  return { ...tab, merge };
}

/** *Redo the merge keeping my decisions*: the server moved again while the operator was merging. */
export function mergeRedone(tab: Tab, latest: Snapshot): Tab {
  if (!tab.merge) return tab;
  const merge = rebaseSession(tab.merge, {
    theirs: latest,
    status: tab.merge.status,
    afterLostAnswer: false,
    mergeOptions: tab.merge.options,
  });
  return { ...tab, merge, serverMoved: null };
}

/**
 * The merge's result is exactly what the server holds (every conflict settled the server's way):
 * there is nothing to write, and a save would only be refused as "nothing to save".
 */
export function mergeNeedsNoWrite(tab: Tab): boolean {
  if (!tab.merge) return false;
  const result = resultText(tab.merge);
  if (result === tab.merge.theirs.text) return true;
  // Kept parses: Server now was parsed for the merge, and the result is parsed for the write.
  const mine = parseText(result);
  const theirs = parseText(tab.merge.theirs.text);
  return mine.ok && theirs.ok && jsonEqual(mine.value, theirs.value);
}

/** Closes such a merge on Server now: the tab shows the server's revision, nothing was sent. */
export function mergeMatchedServer(tab: Tab): Tab {
  if (!tab.merge) return tab;
  const { theirs } = tab.merge;
  const nothing = `Nothing to write: the result is exactly what the server holds (revision ${theirs.revision ?? '(none)'})`;
  // Typing beside the merge (see typedBesideMerge) stays over its base; Server now is news.
  if (typedBesideMerge(tab, theirs.text))
    return {
      ...tab,
      serverMoved: movesAfter(tab, theirs).serverMoved ?? movedFromBase(tab, theirs),
      deferredMoved: null,
      view: 'edit',
      merge: null,
      missing: null,
      message: {
        tone: 'info',
        text: `${nothing}. What you typed in the editor during the merge is not in it, and is kept as an unsaved edit.`,
      },
    };
  return {
    ...tab,
    ...movesAfter(tab, theirs),
    base: theirs,
    text: theirs.text,
    view: 'edit',
    merge: null,
    missing: null,
    message: {
      tone: 'ok',
      text: `${nothing}, which this tab now shows.`,
    },
  };
}

export function mergeClosed(tab: Tab): Tab {
  return {
    ...tab,
    view: 'edit',
    merge: null,
    message: {
      tone: 'info',
      text: 'Merge closed. Your edit is kept; saving again will compare it with the server once more.',
    },
  };
}

/**
 * *Restore revision N*: its text becomes an unsaved edit. The edit is based on the latest revision
 * the operator confirmed the restore against (`seenLatest`, the history's latest, whose later
 * changes the dialog listed as undone), so saving it is conditional on that very revision. A
 * server that moved on since (`serverNow`, read just before) is news, as the watch reports it:
 * basing the edit on it would write the restored text over changes the operator was never shown.
 * With no revision seen (the history's latest unread), the server's is the base. `readFailed`: why
 * the server could not be read to check.
 */
export function revisionRestored(
  tab: Tab,
  restored: Snapshot,
  seenLatest: Snapshot | null,
  serverNow: Snapshot | null,
  readFailed: string | null = null,
): Tab {
  // A save under way would answer over the restored text: a save's answer moves the base (or
  // merges what the editor holds against the base it sent), so the restored edit would no longer
  // undo what the restore question listed. The restore waits for the answer instead.
  if (tab.saving)
    return {
      ...tab,
      message: {
        tone: 'error',
        text: `Revision ${restored.revision ?? '(none)'} was not restored: a save of this resource is under way. Restore it again once the save has answered.`,
      },
    };
  const base = seenLatest ?? serverNow ?? tab.base;
  const moved =
    serverNow !== null && serverNow.journalId !== base.journalId
      ? movedFromBase({ ...tab, base }, serverNow)
      : null;
  const news = moved
    ? ` The server has moved on to revision ${moved.revision ?? '(none)'} since: saving is conditional on revision ${base.revision ?? '(none)'}, so that change comes back to merge, not overwritten.`
    : readFailed !== null
      ? ` The server could not be read to check it still holds revision ${base.revision ?? '(none)'} (${readFailed}); saving is conditional on it all the same.`
      : '';
  return {
    ...tab,
    base,
    text: restored.text,
    view: 'edit',
    // The restored text replaces the edit a merge in progress was merging (the restore question
    // says so): left on the tab, that merge would be taken for one beside the restored edit, and
    // the watch's news judged against its Server now rather than the restored edit's base.
    merge: null,
    serverMoved: moved,
    deferredMoved: null,
    message: {
      tone: 'info',
      text: `Revision ${restored.revision ?? '(none)'} restored as an unsaved edit on top of revision ${base.revision ?? '(none)'}. Review and save.${news}`,
    },
  };
}

export function outcomeChecking(tab: Tab): Tab {
  return tab.unknown ? { ...tab, unknown: { ...tab.unknown, checking: true } } : tab;
}

/** A check of a pending outcome (the operator's *Check again*, the watch, or the start). */
export function outcomeChecked(
  tab: Tab,
  pending: PendingOutcome,
  serverNow: Snapshot | null | undefined,
): Tab {
  if (!tab.unknown || tab.unknown.auditId !== pending.auditId) return tab;
  const known =
    serverNow !== undefined
      ? serverNow
      : pending.serverRevision === tab.unknown.serverRevision
        ? tab.unknown.serverNow
        : null;
  // Only the answer to the operator's own check ends it (an event, from the watch or the start,
  // brings no snapshot): Accept stays off until what they asked for has answered.
  const checking = serverNow === undefined && tab.unknown.checking === true;
  return { ...tab, unknown: { ...unknownFromPending(pending, known), checking } };
}

/**
 * *Accept what the server holds*: the unknown outcome is settled on Server now. The operator's text
 * is never rebased over changes it does not have (saving it would write their old values back):
 * - the server holds every change of the edit → Server now is the base and the text, nothing left;
 * - the server still holds the document the edit started from → it is the base, the edit a draft;
 * - else (someone else's change, with or without ours) → the edit stays over its own base and
 *   Server now is news, so saving is conditional on the old revision and merges;
 * - a merge against Server now already goes on.
 */
export function outcomeAccepted(tab: Tab, serverNow: Snapshot): Tab {
  const settled = { ...tab, unknown: null, missing: null };
  // A merge in progress against that very revision (its save was cut off): it goes on from there.
  if (tab.merge && mergesAgainst(tab.merge, serverNow))
    return {
      ...settled,
      message: {
        tone: 'info',
        text: `The server holds revision ${serverNow.revision ?? '(none)'}, the one your merge is against: finish the merge and save it.`,
      },
    };
  // A merge against an older Server now (its result was sent, the answer lost) is never left
  // there: saved, it would be conditional on a revision the server no longer holds.
  if (tab.merge) return mergeSettledOn(settled, tab.merge, serverNow);
  return editSettledOn(settled, serverNow);
}

/** outcomeAccepted for the editor's text (see there), a merge aside. */
function editSettledOn(settled: Tab, serverNow: Snapshot): Tab {
  const tab = settled;
  const theirs = parseText(serverNow.text);
  const started = parseText(tab.base.text);
  const mine = parseText(tab.text);
  if (theirs.ok && started.ok && mine.ok) {
    const edits = diffPaths(started.value, mine.value);
    const held = edits.every(({ path }) =>
      jsonEqual(getAt(mine.value, path), getAt(theirs.value, path)),
    );
    if (held || tab.text === serverNow.text)
      return {
        ...settled,
        base: serverNow,
        text: serverNow.text,
        serverMoved: null,
        message: {
          tone: 'info',
          text: `Revision ${serverNow.revision ?? '(none)'} holds your edit; nothing is left to save.`,
        },
      };
    if (jsonEqual(started.value, theirs.value))
      return {
        ...settled,
        base: serverNow,
        serverMoved: null,
        message: {
          tone: 'info',
          text: `Revision ${serverNow.revision ?? '(none)'} is now the base. Your edit differs from it and is kept as an unsaved edit.`,
        },
      };
  }
  return {
    ...settled,
    serverMoved: {
      revision: serverNow.revision,
      journalId: serverNow.journalId,
      changedPaths:
        theirs.ok && started.ok ? diffPaths(started.value, theirs.value).map((c) => c.path) : [],
    },
    message: {
      tone: 'info',
      text: `The server holds revision ${serverNow.revision ?? '(none)'}, with changes your edit does not have. Your edit is kept over the revision you started from: saving it merges the two, so nothing of theirs is overwritten.`,
    },
  };
}

/**
 * outcomeAccepted for a tab whose merge is against an older revision than `serverNow`:
 * - the server holds every change the merge's result makes to its Server now → that result
 *   landed: the merge is closed (its work is saved). The editor's text goes onto `serverNow` when
 *   it is the merge's Your edit (in the result) or the base; typing beside the merge stays over
 *   the base it descends from, and `serverNow` is news to it;
 * - else the merge is redone on `serverNow`, keeping the decisions that still apply (hand edits set
 *   aside, as for any move during a merge), so its save is conditional on what the server holds.
 */
function mergeSettledOn(tab: Tab, merge: MergeSession, serverNow: Snapshot): Tab {
  // The write may have been the editor's (saved beside the merge): when the server holds that
  // edit, the tab takes it as for any edit, and the merge goes on against what the server holds.
  const own = editSettledOn({ ...tab, merge: null }, serverNow);
  const redone = rebaseSession(merge, {
    theirs: serverNow,
    status: merge.status,
    // Accepted: the write is settled as not there; no later landing is waited for.
    afterLostAnswer: false,
    mergeOptions: merge.options,
  });
  if (own.base === serverNow && own.text === serverNow.text && tab.text !== merge.mineText)
    return {
      ...own,
      merge: redone,
      message: {
        tone: 'info',
        text: `${own.message?.text ?? ''} Your merge in progress was redone against it, keeping your decisions.`,
      },
    };
  const result = resultText(merge);
  const done = parseText(result);
  const from = parseText(merge.theirs.text);
  const now = parseText(serverNow.text);
  const made = done.ok && from.ok ? diffPaths(from.value, done.value) : [];
  const landed =
    done.ok &&
    now.ok &&
    made.length > 0 &&
    made.every(({ path }) => jsonEqual(getAt(done.value, path), getAt(now.value, path)));
  const revision = serverNow.revision ?? '(none)';
  if (landed) {
    const holds = `Revision ${revision} holds your merge’s result; the merge is closed.`;
    if (typedBesideMerge(tab, result))
      return {
        ...tab,
        view: tab.view === 'merge' ? 'edit' : tab.view,
        merge: null,
        serverMoved: movedFromBase(tab, serverNow),
        deferredMoved: null,
        message: {
          tone: 'info',
          text: `${holds} What you typed in the editor during the merge is not in it, and is kept as an unsaved edit over revision ${tab.base.revision ?? '(none)'}, the one it was made from.`,
        },
      };
    return {
      ...tab,
      view: tab.view === 'merge' ? 'edit' : tab.view,
      merge: null,
      base: serverNow,
      text: serverNow.text,
      serverMoved: null,
      deferredMoved: null,
      message: { tone: 'info', text: `${holds} Nothing is left to save.` },
    };
  }
  return {
    ...tab,
    merge: redone,
    serverMoved: null,
    deferredMoved: null,
    message: {
      tone: 'info',
      text: `The server holds revision ${revision}, without your merge’s result: the merge was redone against it, keeping your decisions. Finish it and save.`,
    },
  };
}

export function outcomeDismissed(tab: Tab): Tab {
  return { ...tab, unknown: null };
}

export function messageDismissed(tab: Tab): Tab {
  return { ...tab, message: null, missing: null };
}

/** What the tab says about an unknown outcome: the cause, what the server holds, what is kept. */
export function unknownSummary(u: UnknownState): { headline: string; holds: string } {
  return { headline: unknownWords(u.cause), holds: holdsWords(u.serverHolds, u.serverRevision) };
}

/** What must be written down before the page goes away: the text and merge of each unsaved tab. */
export function needsDraft(tab: Tab): boolean {
  return isDirty(tab) || tab.merge !== null;
}

/** A new tab's id as a writer of drafts (see Tab.draftWriter). */
function newWriterId(): string {
  return globalThis.crypto.randomUUID();
}
