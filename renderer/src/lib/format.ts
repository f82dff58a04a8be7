// Small display helpers: times, revisions and JSON values in a line.
import {
  COMPACT,
  decodePointer,
  getAt,
  isJsonObject,
  stringifyJson,
  type JsonValue,
} from '../../../shared/json';

export function timeOf(iso: string | null | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? iso
    : date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

export function dateTimeOf(iso: string | null | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? iso
    : date.toLocaleString([], { dateStyle: 'medium', timeStyle: 'medium' });
}

/** A JSON value on one line, shortened for a list; `undefined` (no such field) reads as "not there". */
export function valuePreview(value: unknown, max = 80): string {
  if (value === undefined) return 'not there';
  const text = stringifyJson(value as JsonValue, COMPACT);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** A JSON Pointer in words: /attributes/customer/tier → attributes › customer › tier. */
export function pathLabel(pointer: string): string {
  if (pointer === '') return '(whole document)';
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'))
    .join(' › ');
}

const ID_KEYS = ['id', 'sid', 'key', 'name'];

/**
 * A JSON Pointer in words, naming list items by their id where they have one, else by their
 * position counted from 1: /attributes/notes/0/text → attributes › notes › item n1 › text.
 */
export function friendlyPath(doc: JsonValue | undefined, pointer: string): string {
  if (pointer === '') return '(whole document)';
  const tokens = decodePointer(pointer);
  if (!tokens.ok) return pathLabel(pointer);
  const parts: string[] = [];
  let current: JsonValue | undefined = doc;
  for (const token of tokens.value) {
    if (Array.isArray(current) && /^\d+$/.test(token)) {
      const item = current[Number(token)];
      const idKey = isJsonObject(item)
        ? ID_KEYS.find((k) => typeof item[k] === 'string' || typeof item[k] === 'number')
        : undefined;
      parts.push(
        idKey && isJsonObject(item) ? `item ${String(item[idKey])}` : `item ${Number(token) + 1}`,
      );
    } else {
      parts.push(token);
    }
    // One step down from where the walk is (a pointer resolves token by token), not from the root
    // again: a list of 700 changes in a 5 MB merge spent 50 ms here.
    current = getAt(current, `/${token.replace(/~/g, '~0').replace(/\//g, '~1')}`);
  }
  return parts.join(' › ');
}

const STATUS_FIELDS = new Set(['assignment_status', 'status', 'state']);

/** Fields whose change operators must not miss (a task cancelled by someone else, say). */
export function isStatusField(pointer: string): boolean {
  return STATUS_FIELDS.has(pointer.slice(pointer.lastIndexOf('/') + 1));
}
