// RFC 7396 JSON Merge Patch: the patch that turns `from` into `to`. Arrays are replaced whole.
import { isJsonObject, jsonEqual, type JsonObject, type JsonValue } from '../../../shared/json';

export function createMergePatch(from: JsonValue, to: JsonValue): JsonValue | undefined {
  if (jsonEqual(from, to)) return undefined;
  if (!isJsonObject(from) || !isJsonObject(to)) return to;
  const patch: JsonObject = {};
  for (const key of Object.keys(from)) {
    if (!Object.hasOwn(to, key)) patch[key] = null;
  }
  for (const [key, value] of Object.entries(to)) {
    if (!Object.hasOwn(from, key)) {
      patch[key] = value;
      continue;
    }
    const inner = createMergePatch(from[key]!, value);
    if (inner !== undefined) patch[key] = inner;
  }
  return patch;
}
