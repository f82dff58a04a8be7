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
    if (other === undefined || (key === '__proto__' && !Object.hasOwn(b, key)) || !jsonEqual(a[key], other)) return false;
    count++;
  }
  for (const _key in b) count--;
  return count === 0;
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
    out = '{' + keys.map((key) => JSON.stringify(key) + ':' + fingerprint(value[key]!)).join(',') + '}';
  }
  memo.set(value, out);
  return out;
}
