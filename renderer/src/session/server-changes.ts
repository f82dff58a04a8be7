// What the server changed since the revision being edited, field by field, for the banner that
// warns before a save. The same question as the watch's changedPaths, so it is asked of diffPaths.
import { diffPaths, getAt, type JsonValue } from '../../../shared/json';
import { parseText } from '../lib/parsed-texts';

export type FieldChange = {
  path: string;
  before: JsonValue | undefined;
  after: JsonValue | undefined;
};

/** Each changed field with its value in the edited revision and on the server; null if either text is not JSON. */
export function serverFieldChanges(baseText: string, nowText: string): FieldChange[] | null {
  // Kept parses: the base was parsed when the tab opened, and a conflict's merge parses the same
  // Server now again (megabytes each).
  const base = parseText(baseText);
  const now = parseText(nowText);
  if (!base.ok || !now.ok) return null;
  return diffPaths(base.value, now.value).map((c) => ({
    path: c.path,
    before: getAt(base.value, c.path),
    after: getAt(now.value, c.path),
  }));
}

/**
 * The banner's fields for the move it announces: the field-by-field diff against the server's
 * revision once that revision is read, and until then the watch's changed paths. A revision read
 * for an earlier move (the server moved again while a save was under way) describes that move,
 * not this one, so it is not used.
 */
export function movedFields(
  moved: { journalId: number; changedPaths: readonly string[] },
  read: { journalId: number; text: string } | null,
  baseText: string,
): { paths: readonly string[]; diff: FieldChange[] | null } {
  const diff = read?.journalId === moved.journalId ? serverFieldChanges(baseText, read.text) : null;
  return { paths: diff ? diff.map((d) => d.path) : moved.changedPaths, diff };
}
