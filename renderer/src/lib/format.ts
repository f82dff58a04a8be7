// Small display helpers: times, revisions and JSON values in a line.
import { COMPACT, stringifyJson, type JsonValue } from '../../../shared/json';

export function timeOf(iso: string | null | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

export function dateTimeOf(iso: string | null | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString([], { dateStyle: 'medium', timeStyle: 'medium' });
}


/** A JSON value on one line, shortened for a list; `undefined` reads as "(absent)". */
export function valuePreview(value: unknown, max = 80): string {
  if (value === undefined) return '(absent)';
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
