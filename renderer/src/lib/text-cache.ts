// Values kept for the last few texts, most recently used last, found by comparing texts rather
// than by hashing them. A Map keyed by a 5 MB text hashes the whole of a text it has not seen at
// every lookup (about 10 ms, and the editor makes a new text at every key press); === compares
// lengths first, and contents only for a text as long as a kept one.

export type TextCache<V> = {
  /** The value kept for `text` (it becomes the most recently used), or undefined. */
  get(text: string): V | undefined;
  /** Keeps `value` for `text`, dropping the least recently used beyond the cache's size. */
  set(text: string, value: V): void;
  /** The values kept, most recently used first. */
  values(): V[];
};

export function textCache<V>(size: number): TextCache<V> {
  const entries: Array<{ text: string; value: V }> = [];
  const indexOf = (text: string) => entries.findIndex((entry) => entry.text === text);
  return {
    get(text) {
      const i = indexOf(text);
      if (i < 0) return undefined;
      const [entry] = entries.splice(i, 1);
      entries.push(entry!);
      return entry!.value;
    },
    set(text, value) {
      const i = indexOf(text);
      if (i >= 0) entries.splice(i, 1);
      entries.push({ text, value });
      while (entries.length > size) entries.shift();
    },
    values() {
      return entries.map((entry) => entry.value).reverse();
    },
  };
}
