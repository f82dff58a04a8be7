// A Map kept to its most recent entries, for the backend's and the sandbox's small caches.

/** Sets `key` as the newest entry of `map`, dropping the oldest beyond `limit`. */
export function keepRecent<K, V>(map: Map<K, V>, key: K, value: V, limit: number): void {
  map.delete(key);
  map.set(key, value);
  while (map.size > limit) map.delete(map.keys().next().value as K);
}
