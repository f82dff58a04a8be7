// The conditional write a profile builds from the server's text and the operator's edit.
import { describe, expect, it } from 'vitest';
import { AZURE_TABLE_ENTITY, REST_ETAG, TWILIO_TASK } from '../../../shared/profiles/built-in';
import type { ProfileSpec } from '../../../shared/profiles/spec';
import { diffPaths, parseJson, type JsonValue } from '../../../shared/json';
import { editableOf, toEditable } from './editable';
import { buildWrite } from './write-request';

const parsed = (text: string): JsonValue => {
  const result = parseJson(text);
  if (!result.ok) throw new Error('test input must parse');
  return result.value;
};

/** The write for an edit of `baseRaw` into `mineText`, guarded by ETag "1". */
function writeOf(spec: ProfileSpec, baseRaw: string, mineText: string) {
  const baseBody = parsed(baseRaw);
  const baseEditable = toEditable(editableOf(spec), baseBody);
  const mine = parsed(mineText);
  return buildWrite(spec, {
    baseRaw,
    baseBody,
    baseEditable,
    mine,
    mineText,
    changes: diffPaths(baseEditable, mine),
    precondition: { kind: 'if-match', etag: '"1"' },
  });
}

const MERGE_PATCH: ProfileSpec = {
  ...REST_ETAG,
  editable: { kind: 'whole', hidden: [] },
  write: { ...REST_ETAG.write, method: 'PATCH', encoding: 'merge-patch' },
};

describe('merge-patch writes', () => {
  it('refuses a null inside an object the edit adds or replaces (a merge patch would drop that member)', () => {
    // RFC 7396: a null anywhere in the patch's objects means "delete", so {"o":{"k":null}}
    // creates o without k: the operator's k would silently not be written.
    const added = writeOf(MERGE_PATCH, '{"x":1}', '{"x":1,"o":{"k":null,"j":1.50}}');
    expect(added.ok).toBe(false);
    if (!added.ok) expect(added.error).toContain('/o/k');
    const replaced = writeOf(MERGE_PATCH, '{"x":"s"}', '{"x":{"a":{"k":null}}}');
    expect(replaced.ok).toBe(false);
    if (!replaced.ok) expect(replaced.error).toContain('/x/a/k');
    // In an array (replaced whole) a null is a value, and is sent as one.
    const inArray = writeOf(MERGE_PATCH, '{"x":1}', '{"x":1,"a":[null,{"k":null}]}');
    expect(inArray).toMatchObject({ ok: true, value: { body: '{"a":[null,{"k":null}]}' } });
  });

  it('refuses a change inside a document that is an array, never sending it under a made-up key', () => {
    // The change's array is the root: before, the patch was {"undefined":[1,3]}, which
    // would add an "undefined" member to an object target and never change the array.
    const write = writeOf(MERGE_PATCH, '[1, 2.50]', '[1, 3]');
    expect(write.ok).toBe(false);
    if (!write.ok) expect(write.error).toContain('merge patch cannot replace the whole document');
  });
});

describe('form writes', () => {
  it('writes a JSON-holding field whose JSON is a string as JSON text, as the server held it', () => {
    // attributes "\"hello\"" (JSON text: the string hello) is shown as "hello"; edited to
    // "world" it must go as the JSON text "world", not as the bare word world (no JSON at all).
    const base = JSON.stringify({ sid: 'WT1', attributes: '"hello"', priority: 1 });
    const write = writeOf(TWILIO_TASK, base, '{"attributes":"world","priority":1}');
    expect(write).toMatchObject({ ok: true, value: { body: 'Attributes=%22world%22' } });
  });
});

describe('Azure MERGE writes', () => {
  it('annotates a Double written as a whole number, so it is not stored as an Int32', () => {
    const base =
      '{"PartitionKey":"p","RowKey":"r","ratio":1.5,"big":2E3,"count":7,"typed":2.5,"typed@odata.type":"Edm.Double"}';
    const write = writeOf(
      AZURE_TABLE_ENTITY,
      base,
      '{"ratio":2,"big":3,"count":8,"typed":3,"typed@odata.type":"Edm.Double"}',
    );
    // ratio and big were Doubles (fraction, exponent); count an Int32; typed carries its own.
    expect(write).toMatchObject({
      ok: true,
      value: {
        body: '{"ratio":2,"big":3,"count":8,"typed":3,"typed@odata.type":"Edm.Double","ratio@odata.type":"Edm.Double","big@odata.type":"Edm.Double"}',
      },
    });
    // Written with a fraction, a Double needs no annotation.
    expect(
      writeOf(
        AZURE_TABLE_ENTITY,
        base,
        '{"ratio":2.0,"big":2E3,"count":7,"typed":2.5,"typed@odata.type":"Edm.Double"}',
      ),
    ).toMatchObject({ ok: true, value: { body: '{"ratio":2.0}' } });
  });
});
