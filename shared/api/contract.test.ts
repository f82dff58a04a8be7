import { describe, expect, it } from 'vitest';
import { apiMethodNames, checkArgs, isApiMethodName, isHostError, hostError } from './contract';
import { s } from './schema';

describe('contract', () => {
  it('declares each method once, in the method table', () => {
    expect(new Set(apiMethodNames).size).toBe(apiMethodNames.length);
    expect(apiMethodNames).toEqual(
      expect.arrayContaining([
        'appInfo',
        'getResource',
        'openResource',
        'saveResource',
        'forceSave',
        'history',
        'watch',
      ]),
    );
    expect(isApiMethodName('getResource')).toBe(true);
    expect(isApiMethodName('toString')).toBe(false);
    expect(isApiMethodName('__proto__')).toBe(false);
  });

  it('validates arguments and names the field at fault', () => {
    expect(checkArgs('getResource', { url: 'http://x' })).toEqual({
      ok: true,
      value: { url: 'http://x' },
    });
    expect(checkArgs('getResource', { url: '' })).toEqual({
      ok: false,
      error: 'url: must not be empty',
    });
    expect(checkArgs('getResource', {})).toEqual({ ok: false, error: 'url: expected a string' });
    expect(checkArgs('getResource', { url: 'x'.repeat(9000) })).toMatchObject({
      ok: false,
      error: expect.stringContaining('at most 8192'),
    });
    expect(checkArgs('appInfo', undefined)).toEqual({ ok: true, value: {} });
    expect(checkArgs('appInfo', [])).toEqual({ ok: false, error: 'arguments: expected an object' });
  });

  it('tells host errors from results', () => {
    expect(isHostError(hostError('internal', 'x'))).toBe(true);
    expect(isHostError({ kind: 'error' })).toBe(false);
    expect(isHostError(null)).toBe(false);
  });
});

describe('schema kit', () => {
  const shape = s.object({
    n: s.integer({ min: 1, max: 3 }),
    mode: s.literal('a', 'b'),
    tags: s.optional(s.array(s.string({ pattern: /^[a-z]+$/, label: 'tag' }), { max: 2 })),
    flag: s.optional(s.boolean()),
  });
  it('accepts a good value and drops absent optionals', () => {
    expect(shape.parse({ n: 2, mode: 'a' }, '')).toEqual({ ok: true, value: { n: 2, mode: 'a' } });
  });
  it('names the path of the first problem', () => {
    expect(shape.parse({ n: 1.5, mode: 'a' }, '')).toEqual({
      ok: false,
      error: 'n: expected an integer',
    });
    expect(shape.parse({ n: 4, mode: 'a' }, '')).toEqual({
      ok: false,
      error: 'n: must be at most 3',
    });
    expect(shape.parse({ n: 1, mode: 'c' }, '')).toEqual({
      ok: false,
      error: 'mode: expected one of "a", "b"',
    });
    expect(shape.parse({ n: 1, mode: 'a', tags: ['ok', 'NO'] }, '')).toEqual({
      ok: false,
      error: 'tags[1]: is not a valid tag',
    });
    expect(shape.parse({ n: 1, mode: 'a', tags: ['a', 'b', 'c'] }, '')).toEqual({
      ok: false,
      error: 'tags: must have at most 2 items',
    });
    expect(shape.parse({ n: 1, mode: 'a', flag: 'yes' }, '')).toEqual({
      ok: false,
      error: 'flag: expected true or false',
    });
  });
});

describe('hostile arguments', () => {
  it('refuses extra fields named like what every object inherits', () => {
    for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      const payload = JSON.parse(`{"url":"http://x","${name}":{"polluted":true}}`) as unknown;
      expect(checkArgs('getResource', payload)).toEqual({
        ok: false,
        error: `${name}: is not a known field`,
      });
    }
  });
  it('refuses reserved names as record keys (params, filters)', () => {
    for (const name of ['__proto__', 'constructor', 'toString', 'valueOf']) {
      const params = JSON.parse(`{"${name}":"x"}`) as unknown;
      const result = checkArgs('saveConnection', {
        connection: {
          name: 'n',
          profileId: 'rest-etag',
          baseUrl: 'http://x',
          params,
          auth: { kind: 'none' },
        },
      });
      expect(result).toEqual({ ok: false, error: `connection.params.${name}: is a reserved name` });
      expect(checkArgs('listResources', { connectionId: 'c', filters: params })).toEqual({
        ok: false,
        error: `filters.${name}: is a reserved name`,
      });
    }
  });
  it('refuses arguments nested deeper than the documented limit, at any depth', () => {
    for (const depth of [65, 5000, 100_000]) {
      const text = `{"connection":{"name":"n","profileId":"p","baseUrl":"http://x","params":{},"auth":{"kind":"none"},"customProfile":${'['.repeat(depth)}${']'.repeat(depth)}}}`;
      expect(checkArgs('saveConnection', JSON.parse(text))).toEqual({
        ok: false,
        error: 'arguments nest deeper than 64 levels',
      });
    }
  });
});
