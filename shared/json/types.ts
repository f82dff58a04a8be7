// The value model shared by the parser, the merge engine and the resolution state. Integers beyond
// 2^53 are held as bigint so they are never silently rounded; everything else is plain JSON.

export type JsonPrimitive = null | boolean | number | bigint | string;
export type JsonObject = { [key: string]: JsonValue };
export type JsonArray = JsonValue[];
export type JsonValue = JsonPrimitive | JsonArray | JsonObject;

export type Result<T, E = string> = { ok: true; value: T } | { ok: false; error: E };

export function isJsonObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Sets a key as an own data property, even when the key is "__proto__". */
export function setKey(target: JsonObject, key: string, value: JsonValue): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else {
    target[key] = value;
  }
}

export function hasKey(target: JsonObject, key: string): boolean {
  return Object.hasOwn(target, key);
}

/** Reads an own key only (never the prototype chain); undefined means absent. */
export function getKey(target: JsonObject, key: string): JsonValue | undefined {
  return Object.hasOwn(target, key) ? target[key] : undefined;
}
