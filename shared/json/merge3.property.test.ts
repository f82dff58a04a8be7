// Algebraic properties of merge3 over generated documents and generated concurrent edits.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fingerprint, jsonEqual } from './canonical';
import { merge3 } from './merge3';
import type { Conflict } from './merge-types';
import type { JsonObject, JsonValue } from './types';

const KEYS = ['a', 'b', 'c', 'd'];
const scalar = fc.oneof(
  fc.integer({ min: 0, max: 3 }),
  fc.constantFrom('x', 'y'),
  fc.boolean(),
  fc.constant(null),
);
const { doc } = fc.letrec<{ doc: JsonValue; obj: JsonValue; keyed: JsonValue }>((tie) => ({
  doc: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    tie('obj'),
    fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 5 }),
    tie('keyed'),
  ),
  obj: fc.dictionary(fc.constantFrom(...KEYS), tie('doc'), { maxKeys: 4 }),
  keyed: fc
    .uniqueArray(fc.integer({ min: 1, max: 5 }), { maxLength: 4 })
    .chain((ids) => fc.tuple(...ids.map((id) => tie('doc').map((v) => ({ id, v }))))),
}));

/** A deterministic random edit of `value`: keep, replace, delete or add, recursively. */
function perturb(value: JsonValue, random: () => number, fresh: () => JsonValue): JsonValue {
  const roll = random();
  if (roll < 0.12) return fresh();
  if (Array.isArray(value)) {
    const out: JsonValue[] = [];
    for (const item of value) {
      const r = random();
      if (r < 0.15) continue;
      if (typeof item === 'object' && item !== null && !Array.isArray(item) && 'id' in item) {
        out.push(r < 0.5 ? { id: item.id!, v: perturb(item.v!, random, fresh) } : item);
      } else {
        out.push(r < 0.3 ? Math.floor(random() * 5) : item);
      }
    }
    if (random() < 0.3) {
      const keyed = value.some((item) => typeof item === 'object');
      out.splice(
        Math.floor(random() * (out.length + 1)),
        0,
        keyed ? { id: 100 + Math.floor(random() * 3), v: fresh() } : Math.floor(random() * 5),
      );
    }
    return out;
  }
  if (typeof value === 'object' && value !== null) {
    const out: JsonObject = {};
    for (const [key, item] of Object.entries(value)) {
      if (random() < 0.15) continue;
      out[key] = perturb(item, random, fresh);
    }
    if (random() < 0.3) out[KEYS[Math.floor(random() * KEYS.length)]!] = fresh();
    return out;
  }
  return value;
}

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => ((s = Math.imul(s ^ (s >>> 15), 2246822507) + 0x9e3779b9) >>> 0) / 4294967296;
}

const edited = fc
  .tuple(doc, fc.nat(), fc.array(doc, { minLength: 8, maxLength: 8 }))
  .map(([base, seed, pool]) => {
    const random = rng(seed);
    const fresh = () => pool[Math.floor(random() * pool.length)]!;
    return { base, mine: perturb(base, random, fresh), theirs: perturb(base, random, fresh) };
  });
const threeWay = fc
  .tuple(doc, edited)
  .map(([other, { base, mine, theirs }]) => ({ base, mine, theirs, other }));

const mirror = (c: Conflict) => ({
  id: c.id,
  kind:
    c.kind === 'mine-deleted'
      ? 'theirs-deleted'
      : c.kind === 'theirs-deleted'
        ? 'mine-deleted'
        : c.kind,
  base: c.base,
  mine: c.theirs,
  theirs: c.mine,
});

// --- "Nothing is lost silently" ----------------------------------------------------------------
// Arrays of {id, v} become objects keyed like conflict ids, so paths can be compared by identity.
type Norm =
  { kind: 'obj'; list: boolean; entries: Map<string, Norm> } | { kind: 'leaf'; value: JsonValue };

function normalize(value: JsonValue): Norm {
  if (
    Array.isArray(value) &&
    value.every((i) => typeof i === 'object' && i !== null && !Array.isArray(i) && 'id' in i)
  ) {
    // An empty array counts as an (empty) keyed list, so a side that emptied one is compared by id.
    if (value.length === 0) return { kind: 'obj', list: true, entries: new Map() };
    return {
      kind: 'obj',
      list: true,
      entries: new Map(
        value.map((i) => [`[id=${JSON.stringify((i as JsonObject).id)}]`, normalize(i)]),
      ),
    };
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    return {
      kind: 'obj',
      list: false,
      entries: new Map(Object.entries(value).map(([k, v]) => [k, normalize(v)])),
    };
  }
  return { kind: 'leaf', value };
}

function at(norm: Norm | undefined, path: string[]): Norm | undefined {
  let n = norm;
  for (const seg of path) n = n?.kind === 'obj' ? n.entries.get(seg) : undefined;
  return n;
}

function same(x: Norm | undefined, y: Norm | undefined): boolean {
  if (x === undefined || y === undefined) return x === y;
  if (x.kind === 'leaf' || y.kind === 'leaf')
    return x.kind === 'leaf' && y.kind === 'leaf' && jsonEqual(x.value, y.value);
  if (x.list !== y.list || x.entries.size !== y.entries.size) return false;
  for (const [k, v] of x.entries) if (!same(v, y.entries.get(k))) return false;
  return true;
}

/** Paths (normalised) where `from` and `to` differ, objects walked, other values as leaves. */
function changedPaths(
  from: Norm | undefined,
  to: Norm | undefined,
  path: string[] = [],
): string[][] {
  // An added container is compared with an empty one of its kind: each of its members is a change.
  if (from === undefined && to?.kind === 'obj')
    from = { kind: 'obj', list: to.list, entries: new Map() };
  if (from?.kind === 'obj' && to?.kind === 'obj' && from.list === to.list) {
    const keys = new Set([...from.entries.keys(), ...to.entries.keys()]);
    return [...keys].flatMap((k) =>
      changedPaths(from.entries.get(k), to.entries.get(k), [...path, k]),
    );
  }
  return same(from, to) ? [] : [path];
}

/** The identity part of a conflict id: up to the first positional or embedded segment. */
function conflictPrefix(c: Conflict): string[] {
  const segs = c.id === '' ? [] : c.id.slice(1).split('/');
  const cut = segs.findIndex((s) => s.startsWith('@') || s.startsWith('$'));
  return cut === -1 ? segs : segs.slice(0, cut);
}

function lostChanges(
  base: JsonValue,
  side: JsonValue,
  merged: JsonValue,
  conflicts: readonly Conflict[],
): string[][] {
  const [nb, ns, nm] = [normalize(base), normalize(side), normalize(merged)];
  const prefixes = conflicts.map(conflictPrefix);
  const related = (p: string[]) =>
    prefixes.some((c) => c.every((s, i) => i >= p.length || p[i] === s));
  return changedPaths(nb, ns).filter((p) => {
    if (related(p) || same(at(nm, p), at(ns, p))) return false;
    // An array both sides changed (perhaps into a mix that is no longer keyed): what this side
    // inserted must be there.
    for (let n = 0; n <= p.length; n++) {
      const q = p.slice(0, n);
      const m = at(nm, q);
      if (m?.kind !== 'leaf' || !Array.isArray(m.value)) continue;
      const s = denormalize(at(ns, q));
      if (!Array.isArray(s)) return true;
      const b = denormalize(at(nb, q));
      const before = new Set(Array.isArray(b) ? b.map(fingerprint) : []);
      const inMerged = new Set(m.value.map(fingerprint));
      return s.some((item) => !before.has(fingerprint(item)) && !inMerged.has(fingerprint(item)));
    }
    return true;
  });
}

function denormalize(norm: Norm | undefined): JsonValue | undefined {
  if (norm === undefined) return undefined;
  if (norm.kind === 'leaf') return norm.value;
  if (norm.list) return [...norm.entries.values()].map((v) => denormalize(v)!);
  return Object.fromEntries([...norm.entries].map(([k, v]) => [k, denormalize(v)!]));
}

/** Order-sensitive equality (the generated values hold no bigint). */
const sameText = (a: JsonValue | undefined, b: JsonValue) =>
  JSON.stringify(a) === JSON.stringify(b);

/**
 * `side` with each part printed as base's part at the same place (by id in a list of {id, v}) made
 * base's own object, as parsing a side against base's pieces shares them (parse-alike).
 */
function sharing(base: JsonValue | undefined, side: JsonValue): JsonValue {
  if (base !== undefined && sameText(base, side)) return base;
  if (Array.isArray(side)) {
    return side.map((item, i) => {
      if (!Array.isArray(base)) return sharing(undefined, item);
      const id = typeof item === 'object' && item !== null && 'id' in item ? item.id : undefined;
      const match =
        id === undefined
          ? base[i]
          : base.find((b) => typeof b === 'object' && b !== null && 'id' in b && b.id === id);
      return sharing(match, item);
    });
  }
  if (typeof side === 'object' && side !== null) {
    const out: JsonObject = {};
    const from = typeof base === 'object' && base !== null && !Array.isArray(base) ? base : {};
    for (const [key, item] of Object.entries(side)) out[key] = sharing(from[key], item);
    return out;
  }
  return side;
}

describe('merge3 properties', () => {
  it('without the list of changes, the same merge and the same conflicts', () => {
    fc.assert(
      fc.property(threeWay, ({ base, mine, theirs }) => {
        const [m, t] = [sharing(base, mine), sharing(base, theirs)];
        const listed = merge3(base, m, t);
        const unlisted = merge3(base, m, t, { changes: false });
        expect(jsonEqual(unlisted.merged, listed.merged)).toBe(true);
        expect(unlisted.conflicts).toEqual(listed.conflicts);
        expect(unlisted.changes).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it('merge3(b, b, t) = t and merge3(b, m, b) = m, without conflicts', () => {
    fc.assert(
      fc.property(threeWay, ({ base, theirs }) => {
        const a = merge3(base, base, theirs);
        expect(a.conflicts).toEqual([]);
        expect(jsonEqual(a.merged, theirs)).toBe(true);
        const b = merge3(base, theirs, base);
        expect(b.conflicts).toEqual([]);
        expect(jsonEqual(b.merged, theirs)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('merge3(b, x, x) = x, without conflicts, for any x', () => {
    fc.assert(
      fc.property(threeWay, ({ base, other }) => {
        const r = merge3(base, other, other);
        expect(r.conflicts).toEqual([]);
        expect(jsonEqual(r.merged, other)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('conflicts mirror when mine and theirs swap', () => {
    fc.assert(
      fc.property(threeWay, ({ base, mine, theirs }) => {
        const forward = merge3(base, mine, theirs).conflicts.map(mirror);
        const backward = merge3(base, theirs, mine).conflicts.map((c) => ({
          id: c.id,
          kind: c.kind,
          base: c.base,
          mine: c.mine,
          theirs: c.theirs,
        }));
        const key = (c: { id: string }) => c.id;
        expect([...forward].sort((x, y) => key(x).localeCompare(key(y)))).toEqual(
          [...backward].sort((x, y) => key(x).localeCompare(key(y))),
        );
      }),
      { numRuns: 500 },
    );
  });

  it('loses nothing silently: every change is in merged or named by a conflict', () => {
    fc.assert(
      fc.property(threeWay, ({ base, mine, theirs }) => {
        const r = merge3(base, mine, theirs);
        expect(lostChanges(base, mine, r.merged, r.conflicts)).toEqual([]);
        expect(lostChanges(base, theirs, r.merged, r.conflicts)).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });
});

// --- Arrays without ids -------------------------------------------------------------------------
// Base holds distinct numbers; each side deletes, replaces and inserts with numbers of its own, so
// what each side did is unambiguous and a clean merge can be checked element by element.
const sideEdit = (base: number[], offset: number) =>
  fc.array(fc.nat(9), { minLength: base.length + 1, maxLength: base.length + 1 }).map((rolls) => {
    const out: number[] = [];
    let fresh = offset;
    rolls.forEach((roll, i) => {
      if (roll === 0) out.push(fresh++); // insert before base[i] (or at the end)
      if (i === base.length) return;
      if (roll === 1) return; // delete
      if (roll === 2)
        out.push(fresh++); // replace
      else out.push(base[i]!);
    });
    return out;
  });
const plainArrays = fc
  .integer({ min: 0, max: 8 })
  .map((n) => Array.from({ length: n }, (_, i) => i))
  .chain((base) => fc.tuple(fc.constant(base), sideEdit(base, 100), sideEdit(base, 200)));

describe('merge3 properties: arrays without ids', () => {
  it('a clean merge applies every deletion and insertion of both sides, in both sides’ order', () => {
    fc.assert(
      fc.property(plainArrays, ([base, mine, theirs]) => {
        const r = merge3(base, mine, theirs);
        if (r.conflicts.length > 0) return;
        const merged = r.merged as number[];
        const expected = new Set([
          ...base.filter((x) => mine.includes(x) && theirs.includes(x)),
          ...mine.filter((x) => x >= 100),
          ...theirs.filter((x) => x >= 200),
        ]);
        expect(new Set(merged)).toEqual(expected);
        expect(merged.length).toBe(expected.size);
        for (const side of [mine, theirs]) {
          expect(merged.filter((x) => side.includes(x))).toEqual(
            side.filter((x) => merged.includes(x)),
          );
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('conflicts mirror and the merge is symmetric up to order when mine and theirs swap', () => {
    fc.assert(
      fc.property(plainArrays, ([base, mine, theirs]) => {
        const forward = merge3(base, mine, theirs);
        const backward = merge3(base, theirs, mine);
        expect(forward.conflicts.map(mirror)).toEqual(
          backward.conflicts.map((c) => ({
            id: c.id,
            kind: c.kind,
            base: c.base,
            mine: c.mine,
            theirs: c.theirs,
          })),
        );
        if (forward.conflicts.length === 0)
          expect(new Set(forward.merged as number[])).toEqual(new Set(backward.merged as number[]));
      }),
      { numRuns: 3000 },
    );
  });
});
