// Structural equality and fingerprints. Object key order is not significant (JSON semantics);
// fingerprints are memoised per object so a subtree is serialised at most once per merge.
import type { JsonValue } from './types';

export function jsonEqual(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    // bigint compares by value with ===; NaN cannot occur in JSON.
    return false;
  }
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  // for-in over parsed objects is much cheaper than Object.keys (no array per object).
  let count = 0;
  for (const key in a) {
    const other = b[key];
    // JSON values are never undefined, so undefined means "absent" — except for an inherited
    // "__proto__", which must be checked as an own key.
    if (
      other === undefined ||
      (key === '__proto__' && !Object.hasOwn(b, key)) ||
      !jsonEqual(a[key], other)
    )
      return false;
    count++;
  }
  for (const _key in b) count--;
  return count === 0;
}

/**
 * jsonEqual of all three at once: one walk over the three trees instead of two pairwise walks,
 * stopping at the first place where any of them differs.
 */
export function equal3(
  a: JsonValue | undefined,
  b: JsonValue | undefined,
  c: JsonValue | undefined,
): boolean {
  if (a === b) return a === c || jsonEqual(a, c);
  if (a === c || b === c) return jsonEqual(a, b);
  if (
    typeof a !== 'object' ||
    typeof b !== 'object' ||
    typeof c !== 'object' ||
    a === null ||
    b === null ||
    c === null
  ) {
    // At least one primitive, and no two of the three are identical.
    return false;
  }
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || !Array.isArray(c) || a.length !== b.length || a.length !== c.length)
      return false;
    for (let i = 0; i < a.length; i++) if (!equal3(a[i], b[i], c[i])) return false;
    return true;
  }
  if (Array.isArray(b) || Array.isArray(c)) return false;
  let count = 0;
  for (const key in a) {
    const inB = b[key];
    const inC = c[key];
    if (inB === undefined || inC === undefined) return false;
    if (key === '__proto__' && (!Object.hasOwn(b, key) || !Object.hasOwn(c, key))) return false;
    if (!equal3(a[key], inB, inC)) return false;
    count++;
  }
  let inB = 0;
  for (const _key in b) inB++;
  if (inB !== count) return false;
  let inC = 0;
  for (const _key in c) inC++;
  return inC === count;
}

const memo = new WeakMap<object, string>();

/** A string that is equal for two values exactly when jsonEqual holds. */
export function fingerprint(value: JsonValue): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return String(value);
    case 'bigint':
      return value.toString();
    case 'boolean':
      return value ? 'true' : 'false';
    default:
      break;
  }
  if (value === null) return 'null';
  const known = memo.get(value);
  if (known !== undefined) return known;
  let out: string;
  if (Array.isArray(value)) {
    out = '[' + value.map(fingerprint).join(',') + ']';
  } else {
    const keys = Object.keys(value).sort();
    out =
      '{' + keys.map((key) => JSON.stringify(key) + ':' + fingerprint(value[key]!)).join(',') + '}';
  }
  memo.set(value, out);
  return out;
}
