import { describe, expect, it } from 'vitest';
import { describeIntent, emptyRow, intentsFromRows } from './intent-form';

describe('intentsFromRows', () => {
  it('turns rows into intents: JSON values, bare words as strings, ids by key', () => {
    const result = intentsFromRows([
      { ...emptyRow('set'), path: '/priority', value: '7' },
      { ...emptyRow('add-element'), path: '/attributes/skills', value: 'vip-care' },
      { ...emptyRow('remove-element'), path: '/attributes/tags', value: 't1', idKey: 'id' },
      { ...emptyRow('remove'), path: '/attributes/tier' },
    ]);
    expect(result).toEqual({
      ok: true,
      intents: [
        { kind: 'set', path: '/priority', value: 7 },
        { kind: 'add-element', path: '/attributes/skills', value: 'vip-care' },
        {
          kind: 'remove-element',
          path: '/attributes/tags',
          match: { by: 'id', idKey: 'id', id: 't1' },
        },
        { kind: 'remove', path: '/attributes/tier' },
      ],
    });
    expect(result.ok && result.intents.map(describeIntent)).toEqual([
      'set /priority to 7',
      'add "vip-care" to /attributes/skills',
      'remove the element with id "t1" from /attributes/tags',
      'remove /attributes/tier',
    ]);
  });

  it('names every problem: paths that are not pointers, missing values, a broken JSON Patch', () => {
    expect(
      intentsFromRows([
        { ...emptyRow('set'), path: 'priority', value: '1' },
        { ...emptyRow('set'), path: '/p' },
        { ...emptyRow('json-patch'), patch: '[{"op":"add"' },
      ]),
    ).toEqual({
      ok: false,
      errors: [
        'Change 1: the path must be a JSON Pointer starting with /, e.g. /priority.',
        'Change 2: give the value to set (JSON, or a word for a string).',
        'Change 3: the JSON Patch is not valid JSON (line 1, column 13).',
      ],
    });
    expect(intentsFromRows([])).toEqual({ ok: false, errors: ['Add at least one change.'] });
  });
});
