// JSON over HTTP cannot carry bigint (integers beyond 2^53 that the merge keeps exactly), so the
// web transport tags them; IPC's structured clone carries them natively.
const TAG = '$conflictDeskBigInt';

// Replacers and revivers make JSON several times slower, and megabyte documents cross here: take
// the plain path unless a bigint is actually present (stringify throws on one; parse looks for the tag).
export function encodeWire(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    return JSON.stringify(value, (_key, v: unknown) =>
      typeof v === 'bigint' ? { [TAG]: v.toString() } : v,
    );
  }
}

export function decodeWire(text: string): unknown {
  if (!text.includes(TAG)) return JSON.parse(text);
  return JSON.parse(text, (_key, v: unknown) => {
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
      const keys = Object.keys(v);
      const tagged = (v as Record<string, unknown>)[TAG];
      if (keys.length === 1 && typeof tagged === 'string' && /^-?\d+$/.test(tagged))
        return BigInt(tagged);
    }
    return v;
  });
}
