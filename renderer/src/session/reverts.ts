// What an overwrite would undo, listed before the operator confirms it: every change by others
// that the written document puts back, with both values.
import { diffPaths, getAt, jsonEqual, parseJson, type JsonValue } from '../../../shared/json';
import { valuePreview } from '../lib/format';
import { pathWords } from './outcome-words';

const parse = (text: string): JsonValue | undefined => {
  const parsed = parseJson(text);
  return parsed.ok ? parsed.value : undefined;
};

function line(path: string, now: JsonValue | undefined, back: JsonValue | undefined): string {
  if (now === undefined) return `${pathWords(path)}: added back as ${valuePreview(back, 60)}`;
  if (back === undefined) return `${pathWords(path)}: ${valuePreview(now, 60)} is removed`;
  return `${pathWords(path)}: ${valuePreview(now, 60)} → ${valuePreview(back, 60)}`;
}

/**
 * *Overwrite with mine*: the server's changes since the base that mine does not hold. Each line
 * reads "path: server's value → the value written".
 */
export function overwriteReverts(baseText: string, theirsText: string, mineText: string): string[] {
  return overwriteRevertsOf(parse(baseText), parse(theirsText), parse(mineText));
}

/** The same, over documents already parsed (a merge session holds all three). */
export function overwriteRevertsOf(
  base: JsonValue | undefined,
  theirs: JsonValue | undefined,
  mine: JsonValue | undefined,
): string[] {
  const reverted = diffPaths(base, theirs).filter(
    (c) => !jsonEqual(getAt(mine, c.path), getAt(theirs, c.path)),
  );
  return reverted.map((c) => line(c.path, getAt(theirs, c.path), getAt(mine, c.path)));
}

/** *Restore revision N*: every field where the latest revision differs from the one restored. */
export function restoreReverts(latestText: string, restoredText: string): string[] {
  const latest = parse(latestText);
  const restored = parse(restoredText);
  return diffPaths(latest, restored).map((c) =>
    line(c.path, getAt(latest, c.path), getAt(restored, c.path)),
  );
}

type Revision = { revision: string | null; text: string };

/**
 * The question *Restore revision N* asks. `latest`: the latest revision the history lists, read
 * (null: its text is not read, still loading or refused). Only a comparison made can say that no
 * field differs: with the latest unread, nothing was compared and the question says so.
 */
export function restoreQuestion(
  restored: Revision,
  latest: Revision | null,
  dirty: boolean,
  merging = false,
) {
  const items = latest ? restoreReverts(latest.text, restored.text) : [];
  const what = !latest
    ? 'The latest revision could not be compared with it (it is not read), so what saving it would undo is not listed: compare them before saving.'
    : items.length > 0
      ? 'Saving it undoes these later changes (latest → restored):'
      : 'It differs from the latest revision in no field.';
  return {
    title: `Restore revision ${restored.revision ?? '(none)'}?`,
    body: `It becomes an unsaved edit on top of the latest revision${latest ? ` (${latest.revision ?? 'none'})` : ''}. ${what}`,
    items,
    // A merge in progress is closed by a restore (its decisions and hand edits go with it), which
    // the editor's text alone does not tell: it may be the base while the merge holds the work.
    note: `Nothing is written until you save.${dirty ? ' Your unsaved edit is replaced.' : ''}${merging ? ' Your merge in progress is closed, with its decisions and hand edits.' : ''}`,
    confirm: 'Restore as an edit',
    danger: dirty || merging || items.length > 0 || !latest,
  };
}
