// "What changed between a and b", as JSON Pointers at the deepest level where the two differ.
// Objects are compared key by key (own keys only: `__proto__` and `constructor` are data); arrays
// of equal length element by element; an array whose length changed is one change at the array.
import { jsonEqual } from './canonical';
import { escapeToken } from './pointer';
import { isJsonObject, type JsonValue } from './types';

export type PathChange = { path: string; op: 'add' | 'remove' | 'replace' };

export function diffPaths(a: JsonValue | undefined, b: JsonValue | undefined): PathChange[] {
  const out: PathChange[] = [];
  walk(a, b, [], out);
  return out;
}

/**
 * The pointer of the walk's position. Only changes need one: the walk keeps the raw keys and
 * indexes on a stack, so a megabyte of unchanged members costs no string building.
 */
function pathOf(tokens: ReadonlyArray<string | number>): string {
  let path = '';
  for (const token of tokens)
    path += '/' + (typeof token === 'number' ? String(token) : escapeToken(token));
  return path;
}

function walk(
  a: JsonValue | undefined,
  b: JsonValue | undefined,
  tokens: Array<string | number>,
  out: PathChange[],
): void {
  // The same primitive, a shared subtree, or both absent: nothing changed here.
  if (a === b) return;
  if (a === undefined) return void out.push({ path: pathOf(tokens), op: 'add' });
  if (b === undefined) return void out.push({ path: pathOf(tokens), op: 'remove' });
  if (isJsonObject(a) && isJsonObject(b)) {
    for (const key of Object.keys(a)) {
      tokens.push(key);
      walk(a[key], Object.hasOwn(b, key) ? b[key] : undefined, tokens, out);
      tokens.pop();
    }
    for (const key of Object.keys(b)) {
      if (Object.hasOwn(a, key)) continue;
      tokens.push(key);
      out.push({ path: pathOf(tokens), op: 'add' });
      tokens.pop();
    }
    return;
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    for (let i = 0; i < a.length; i++) {
      tokens.push(i);
      walk(a[i], b[i], tokens, out);
      tokens.pop();
    }
    return;
  }
  if (!jsonEqual(a, b)) out.push({ path: pathOf(tokens), op: 'replace' });
}
