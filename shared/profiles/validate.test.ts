import { describe, expect, it } from 'vitest';
import { BUILT_IN_PROFILES, REST_ETAG, BODY_VERSION } from './built-in';
import { REST_STRICT_MERGE_PATCH } from './sandbox-profiles';
import { checkProfileSpec } from './validate';

describe('profile validation', () => {
  it('accepts every built-in profile and the sandbox’s user-defined one', () => {
    for (const spec of [...BUILT_IN_PROFILES, REST_STRICT_MERGE_PATCH])
      expect(checkProfileSpec(JSON.parse(JSON.stringify(spec)))).toMatchObject({ ok: true });
  });

  it('names the field at fault', () => {
    expect(checkProfileSpec({ ...REST_ETAG, id: 'Bad Id' })).toMatchObject({
      ok: false,
      error: expect.stringContaining('profile.id'),
    });
    expect(
      checkProfileSpec({ ...REST_ETAG, list: { ...REST_ETAG.list, idPointer: 'id' } }),
    ).toMatchObject({ ok: false, error: expect.stringContaining('profile.list.idPointer') });
    expect(checkProfileSpec({ ...REST_ETAG, itemPath: '/x' })).toMatchObject({
      ok: false,
      error: 'profile.itemPath: must contain {id}',
    });
    expect(
      checkProfileSpec({ ...REST_ETAG, list: { ...REST_ETAG.list, path: '/{tenant}/items' } }),
    ).toMatchObject({ ok: false, error: expect.stringContaining('{tenant}') });
  });

  it('refuses combinations that would send a write without its precondition', () => {
    expect(
      checkProfileSpec({
        ...BODY_VERSION,
        write: { ...BODY_VERSION.write, encoding: 'merge-patch' },
      }),
    ).toMatchObject({ ok: false, error: expect.stringContaining('body version travels only') });
    expect(
      checkProfileSpec({
        ...BODY_VERSION,
        write: { ...BODY_VERSION.write, precondition: 'if-match' },
      }),
    ).toMatchObject({
      ok: false,
      error: expect.stringContaining('if-match needs revision.in = "etag"'),
    });
    expect(
      checkProfileSpec({
        ...REST_ETAG,
        write: { ...REST_ETAG.write, precondition: 'body-version' },
      }),
    ).toMatchObject({ ok: false, error: expect.stringContaining('body-version needs') });
  });
});
