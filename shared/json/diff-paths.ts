// "What changed between a and b", as JSON Pointers at the deepest level where the two differ.
// Objects are compared key by key (own keys only: `__proto__` and `constructor` are data); arrays
// of equal length element by element; an array whose length changed is one change at the array.
import { jsonEqual } from './canonical';
import { escapeToken } from './pointer';
import { isJsonObject, type JsonValue } from './types';

export type PathChange = { path: string; op: 'add' | 'remove' | 'replace' };

export function diffPaths(a: JsonValue | undefined, b: JsonValue | undefined): PathChange[] {
  const out: PathChange[] = [];
  walk(a, b, '', out);
  return out;
}

function walk(
  a: JsonValue | undefined,
  b: JsonValue | undefined,
  path: string,
  out: PathChange[],
): void {
  if (a === undefined && b === undefined) return;
  if (a === undefined) return void out.push({ path, op: 'add' });
  if (b === undefined) return void out.push({ path, op: 'remove' });
  if (isJsonObject(a) && isJsonObject(b)) {
    for (const key of Object.keys(a))
      walk(a[key], Object.hasOwn(b, key) ? b[key] : undefined, `${path}/${escapeToken(key)}`, out);
    for (const key of Object.keys(b))
      if (!Object.hasOwn(a, key)) out.push({ path: `${path}/${escapeToken(key)}`, op: 'add' });
    return;
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    a.forEach((item, i) => walk(item, b[i], `${path}/${i}`, out));
    return;
  }
  if (!jsonEqual(a, b)) out.push({ path, op: 'replace' });
}
