import { describe, expect, it } from 'vitest';
import { applyIntents, collidingPaths, type BatchIntent } from './intent';

const task = {
  priority: 1,
  attributes: { skills: ['billing'], tags: [{ id: 't1', label: 'vip' }], tier: 'gold' },
  status: 'pending',
};

describe('applyIntents', () => {
  it('sets, removes and reaches inside nested documents, naming what it touched', () => {
    const r = applyIntents(task, [
      { kind: 'set', path: '/priority', value: 9 },
      { kind: 'remove', path: '/attributes/tier' },
    ]);
    expect(r).toEqual({
      ok: true,
      value: {
        priority: 9,
        attributes: { skills: ['billing'], tags: [{ id: 't1', label: 'vip' }] },
        status: 'pending',
      },
      touched: ['/priority', '/attributes/tier'],
    });
  });

  it('adds an element once (by value or by id) and removes by id', () => {
    const add: BatchIntent = { kind: 'add-element', path: '/attributes/skills', value: 'spanish' };
    const once = applyIntents(task, [add]);
    expect(once.ok && once.value).toMatchObject({ attributes: { skills: ['billing', 'spanish'] } });
    const twice = applyIntents(once.ok ? once.value : task, [add]);
    expect(twice.ok && twice.touched).toEqual([]);
    const byId = applyIntents(task, [
      {
        kind: 'add-element',
        path: '/attributes/tags',
        value: { id: 't1', label: 'other' },
        idKey: 'id',
      },
    ]);
    expect(byId.ok && byId.touched).toEqual([]);
    const removed = applyIntents(task, [
      {
        kind: 'remove-element',
        path: '/attributes/tags',
        match: { by: 'id', idKey: 'id', id: 't1' },
      },
    ]);
    expect(removed.ok && removed.value).toMatchObject({ attributes: { tags: [] } });
  });

  it('runs RFC 6902 patches with test, insert, move and copy; a failed test names the path', () => {
    const ok = applyIntents(task, [
      {
        kind: 'json-patch',
        ops: [
          { op: 'test', path: '/status', value: 'pending' },
          { op: 'add', path: '/attributes/skills/0', value: 'first' },
          { op: 'copy', from: '/priority', path: '/attributes/priority' },
          { op: 'move', from: '/attributes/tier', path: '/tier' },
        ],
      },
    ]);
    expect(ok.ok && ok.value).toEqual({
      priority: 1,
      attributes: { skills: ['first', 'billing'], tags: [{ id: 't1', label: 'vip' }], priority: 1 },
      status: 'pending',
      tier: 'gold',
    });
    const failed = applyIntents(task, [
      {
        kind: 'json-patch',
        ops: [
          { op: 'test', path: '/status', value: 'assigned' },
          { op: 'replace', path: '/priority', value: 5 },
        ],
      },
    ]);
    expect(failed).toEqual({
      ok: false,
      error: 'operation 1 (test /status): test failed — /status is "pending"',
    });
    expect(
      applyIntents(task, [{ kind: 'json-patch', ops: [{ op: 'remove', path: '/nope' }] }]),
    ).toMatchObject({ ok: false, error: expect.stringContaining('nothing to remove at /nope') });
  });

  it('treats __proto__ as an ordinary key', () => {
    const r = applyIntents({}, [{ kind: 'set', path: '/__proto__', value: { polluted: true } }]);
    expect(r.ok && Object.keys(r.value as object)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

describe('collidingPaths', () => {
  it('collides when another writer changed a value the intent writes, not when they changed elsewhere', () => {
    const intents: BatchIntent[] = [{ kind: 'set', path: '/priority', value: 9 }];
    expect(collidingPaths(intents, task, { ...task, status: 'reserved' })).toEqual([]);
    expect(collidingPaths(intents, task, { ...task, priority: 3 })).toEqual(['/priority']);
  });

  it('element intents keep others\u2019 additions to the same array and collide only on the same element', () => {
    const add: BatchIntent[] = [
      {
        kind: 'add-element',
        path: '/attributes/tags',
        value: { id: 't2', label: 'new' },
        idKey: 'id',
      },
    ];
    const theirsAddedOther = {
      ...task,
      attributes: { ...task.attributes, tags: [...task.attributes.tags, { id: 't3', label: 'x' }] },
    };
    expect(collidingPaths(add, task, theirsAddedOther)).toEqual([]);
    const theirsAddedSame = {
      ...task,
      attributes: {
        ...task.attributes,
        tags: [...task.attributes.tags, { id: 't2', label: 'theirs' }],
      },
    };
    expect(collidingPaths(add, task, theirsAddedSame)).toEqual(['/attributes/tags']);
  });
});
