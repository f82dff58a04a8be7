// A tiny argument-schema kit: enough to validate every contract payload at the host boundary
// (IPC or HTTP) and to infer the argument types from the same declaration.

export type Check<T> = {
  readonly parse: (
    value: unknown,
    path: string,
  ) => { ok: true; value: T } | { ok: false; error: string };
  readonly optional?: boolean;
};
export type Infer<C> = C extends Check<infer T> ? T : never;

const fail = (path: string, what: string) => ({
  ok: false as const,
  error: `${path || 'arguments'}: ${what}`,
});

/**
 * Names no record key or parameter may take: `__proto__` and what every object inherits
 * (`constructor`, `toString`, …), which a lookup by name would find even when nobody set it.
 */
export function isReservedName(name: string): boolean {
  return name === '__proto__' || name === 'prototype' || name in Object.prototype;
}

/** How deeply contract arguments may nest (documents travel as text and have their own limit). */
export const MAX_ARGUMENT_DEPTH = 64;

/** Whether a parsed value nests deeper than `limit` arrays/objects; iterative, so any depth is safe. */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (typeof item !== 'object' || item === null) continue;
    if (depth + 1 > limit) return true;
    for (const child of Object.values(item)) stack.push([child, depth + 1]);
  }
  return false;
}
const pass = <T>(value: T) => ({ ok: true as const, value });

export const s = {
  string(
    opts: { min?: number; max?: number; pattern?: RegExp; label?: string } = {},
  ): Check<string> {
    return {
      parse(value, path) {
        if (typeof value !== 'string') return fail(path, 'expected a string');
        if (opts.min !== undefined && value.length < opts.min)
          return fail(
            path,
            opts.min === 1 ? 'must not be empty' : `must have at least ${opts.min} characters`,
          );
        if (opts.max !== undefined && value.length > opts.max)
          return fail(path, `must have at most ${opts.max} characters`);
        if (opts.pattern && !opts.pattern.test(value))
          return fail(path, `is not a valid ${opts.label ?? 'value'}`);
        return pass(value);
      },
    };
  },
  integer(opts: { min?: number; max?: number } = {}): Check<number> {
    return {
      parse(value, path) {
        if (typeof value !== 'number' || !Number.isSafeInteger(value))
          return fail(path, 'expected an integer');
        if (opts.min !== undefined && value < opts.min)
          return fail(path, `must be at least ${opts.min}`);
        if (opts.max !== undefined && value > opts.max)
          return fail(path, `must be at most ${opts.max}`);
        return pass(value);
      },
    };
  },
  boolean(): Check<boolean> {
    return {
      parse: (value, path) =>
        typeof value === 'boolean' ? pass(value) : fail(path, 'expected true or false'),
    };
  },
  literal<const L extends string>(...options: L[]): Check<L> {
    return {
      parse: (value, path) =>
        options.includes(value as L)
          ? pass(value as L)
          : fail(path, `expected one of ${options.map((o) => JSON.stringify(o)).join(', ')}`),
    };
  },
  /** Any JSON value (already parsed); used for document bodies. */
  json(): Check<unknown> {
    return { parse: (value) => pass(value) };
  },
  nullable<T>(inner: Check<T>): Check<T | null> {
    return { parse: (value, path) => (value === null ? pass(null) : inner.parse(value, path)) };
  },
  optional<T>(inner: Check<T>): Check<T | undefined> {
    return {
      optional: true,
      parse: (value, path) => (value === undefined ? pass(undefined) : inner.parse(value, path)),
    };
  },
  array<T>(inner: Check<T>, opts: { max?: number } = {}): Check<T[]> {
    return {
      parse(value, path) {
        if (!Array.isArray(value)) return fail(path, 'expected an array');
        if (opts.max !== undefined && value.length > opts.max)
          return fail(path, `must have at most ${opts.max} items`);
        const out: T[] = [];
        for (let i = 0; i < value.length; i++) {
          const r = inner.parse(value[i], `${path}[${i}]`);
          if (!r.ok) return r;
          out.push(r.value);
        }
        return pass(out);
      },
    };
  },
  record<T>(inner: Check<T>, opts: { maxKeys?: number } = {}): Check<Record<string, T>> {
    return {
      parse(value, path) {
        if (typeof value !== 'object' || value === null || Array.isArray(value))
          return fail(path, 'expected an object');
        const entries = Object.entries(value as Record<string, unknown>);
        if (opts.maxKeys !== undefined && entries.length > opts.maxKeys)
          return fail(path, `must have at most ${opts.maxKeys} keys`);
        const out: Record<string, T> = {};
        for (const [key, item] of entries) {
          if (isReservedName(key)) return fail(path ? `${path}.${key}` : key, 'is a reserved name');
          const r = inner.parse(item, path ? `${path}.${key}` : key);
          if (!r.ok) return r;
          Object.defineProperty(out, key, {
            value: r.value,
            enumerable: true,
            writable: true,
            configurable: true,
          });
        }
        return pass(out);
      },
    };
  },
  /** A tagged union: the value of `tag` picks the shape that must match. */
  tagged<const K extends string, const V extends Record<string, Check<object>>>(
    tag: K,
    variants: V,
  ): Check<Infer<V[keyof V]>> {
    return {
      parse(value, path) {
        if (typeof value !== 'object' || value === null || Array.isArray(value))
          return fail(path, 'expected an object');
        const which = (value as Record<string, unknown>)[tag];
        const variant =
          typeof which === 'string' && Object.hasOwn(variants, which) ? variants[which] : undefined;
        if (!variant)
          return fail(
            path ? `${path}.${tag}` : tag,
            `expected one of ${Object.keys(variants)
              .map((k) => JSON.stringify(k))
              .join(', ')}`,
          );
        return variant.parse(value, path) as
          { ok: true; value: Infer<V[keyof V]> } | { ok: false; error: string };
      },
    };
  },
  object<const Shape extends Record<string, Check<unknown>>>(
    shape: Shape,
  ): Check<{ [K in keyof Shape]: Infer<Shape[K]> }> {
    return {
      parse(value, path) {
        if (typeof value !== 'object' || value === null || Array.isArray(value))
          return fail(path, 'expected an object');
        const input = value as Record<string, unknown>;
        for (const key of Object.keys(input)) {
          // Own fields only: `in` would let `__proto__` or `constructor` pass as known.
          if (!Object.hasOwn(shape, key))
            return fail(path ? `${path}.${key}` : key, 'is not a known field');
        }
        const out: Record<string, unknown> = {};
        for (const [key, check] of Object.entries(shape)) {
          const r = check.parse(input[key], path ? `${path}.${key}` : key);
          if (!r.ok) return r;
          if (r.value !== undefined) out[key] = r.value;
        }
        return pass(out as { [K in keyof Shape]: Infer<Shape[K]> });
      },
    };
  },
};
