// The operator's document as text: the same text whichever road editableText takes (a plain
// re-serialisation when the server's text is canonical, else the server's own tokens).
import { describe, expect, it } from 'vitest';
import type { EditableSpec } from '../../../shared/profiles/spec';
import { parseJson, type JsonValue } from '../../../shared/json';
import { editableText, toEditable } from './editable';

function textOf(spec: EditableSpec, raw: string): string {
  const parsed = parseJson(raw);
  if (!parsed.ok) throw new Error('test input must parse');
  const body: JsonValue = parsed.value;
  return editableText(spec, raw, body, toEditable(spec, body));
}

const whole: EditableSpec = { kind: 'whole', hidden: ['/id', '/updatedAt'] };

describe('editableText', () => {
  it('cuts hidden members out of a canonical text, keeping key order', () => {
    expect(textOf(whole, '{"id":"t1","b":1,"a":[true,null],"updatedAt":"now","z":{"k":"v"}}')).toBe(
      '{\n  "b": 1,\n  "a": [\n    true,\n    null\n  ],\n  "z": {\n    "k": "v"\n  }\n}\n',
    );
  });

  it('takes a pretty-printed canonical text like its compact form, and a same-length text with other lexemes as it is', () => {
    const compact = '{"id":"t1","b":1,"a":[true,null],"updatedAt":"now"}';
    const pretty = JSON.stringify(JSON.parse(compact), null, 4);
    expect(textOf(whole, pretty)).toBe(textOf(whole, compact));
    // As long as its plain serialisation ({"a":100}) but not it: the server's lexeme stays.
    expect(textOf(whole, '{"a":1E2}')).toBe('{\n  "a": 1E2\n}\n');
  });

  it('keeps the server’s lexemes and escapes when its text is not canonical', () => {
    expect(
      textOf(
        whole,
        '{"id": "t1", "price": 1.50, "big": 12345678901234567890, "s": "caf\\u00e9", "updatedAt": "now"}',
      ),
    ).toBe('{\n  "price": 1.50,\n  "big": 12345678901234567890,\n  "s": "caf\\u00e9"\n}\n');
  });

  it('reads a member of a canonical text, or of one with its own lexemes', () => {
    const member: EditableSpec = { kind: 'member', pointer: '/data' };
    expect(textOf(member, '{"sid":"x","data":{"a":1,"b":[2]}}')).toBe(
      '{\n  "a": 1,\n  "b": [\n    2\n  ]\n}\n',
    );
    expect(textOf(member, '{"sid":"x","data":{"a":1.0}}')).toBe('{\n  "a": 1.0\n}\n');
    expect(textOf(member, '{"sid":"x"}')).toBe('null\n');
  });

  it('leaves a JSON-holding string as the server sent it when a hidden pointer reaches inside it', () => {
    const inside: EditableSpec = { kind: 'whole', hidden: ['/attrs/secret'] };
    expect(textOf(inside, '{"attrs":"{\\"secret\\":1,\\"x\\":2}","n":1}')).toBe(
      '{\n  "attrs": "{\\"secret\\":1,\\"x\\":2}",\n  "n": 1\n}\n',
    );
  });
});
