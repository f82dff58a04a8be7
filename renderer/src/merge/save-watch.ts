// Saves under way, for whoever can use the wait: a megabyte save spends most of a second in the
// backend while the window idles, and a conflict then needs the operator's text in a pane. The
// merge view prepares that pane (its editor model, where its changes lie) during the wait.

/** A save of the editor's text (not of a merge result) that has just been sent. */
export type SaveSent = { key: string; sentText: string; baseText: string };

/** Called with the kind of answer the save got ('error' when it failed without one). */
export type SaveSettled = (kind: string) => void;

type Watcher = (save: SaveSent) => SaveSettled | void;

const watchers = new Set<Watcher>();

/** Tells `watcher` of every save sent; it may return what to do once the save is answered. */
export function watchSaves(watcher: Watcher): () => void {
  watchers.add(watcher);
  return () => watchers.delete(watcher);
}

/** Says a save was sent; the function returned is called with the answer's kind. */
export function saveSent(save: SaveSent): SaveSettled {
  const settled: SaveSettled[] = [];
  for (const watcher of watchers) {
    const then = watcher(save);
    if (then) settled.push(then);
  }
  return (kind) => settled.forEach((then) => then(kind));
}
