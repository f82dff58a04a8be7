// A row's stored text stands for its body until the body is read: the REST answer and its ETag
// built from the text (the fast path) equal those built from the parsed body (the slow path).
import { afterEach, describe, expect, it } from 'vitest';
import { restEtag } from './rest/routes';
import { bodyText, openStore, storedText, type Row, type Store } from './store';

let store: Store | null = null;
afterEach(() => store?.close());

const BODY = {
  id: 'a',
  subject: 'Ünïcödé \u2028 "quoted" \\ back',
  big: 1e21,
  small: 5e-324,
  nested: { list: [1, 2.5, -0, true, null, { k: '\u0000' }], empty: {} },
  __proto__: 'own key',
};

function fresh(): { s: Store; read: () => Row } {
  const s = openStore(':memory:');
  store = s;
  s.insert('rest', 'tickets', 'a', JSON.parse(JSON.stringify(BODY)) as unknown, 3);
  return { s, read: () => s.get('rest', 'tickets', 'a')! };
}

describe('stored text of a row', () => {
  it('answers the text and ETag the parsed body would, until the body is read', () => {
    const { read } = fresh();
    const untouched = read();
    const parsed = read();
    const slowText = JSON.stringify(parsed.body);
    expect(storedText(parsed)).toBeUndefined();
    expect(storedText(untouched)).toBe(slowText);
    expect(bodyText(untouched)).toBe(slowText);
    expect(restEtag(untouched)).toBe(restEtag(parsed));
    // Reading the body afterwards changes nothing in what the row answers.
    expect(untouched.body).toEqual(parsed.body);
    expect(bodyText(untouched)).toBe(slowText);
    expect(restEtag(untouched)).toBe(restEtag(parsed));
  });

  it('follows a body changed in place or replaced once it was read', () => {
    const { read } = fresh();
    const row = read();
    const before = restEtag(row);
    (row.body as { subject: string }).subject = 'changed in place';
    expect(bodyText(row)).toContain('changed in place');
    expect(restEtag(row)).not.toBe(before);
    const other = read();
    expect(restEtag(other)).toBe(before);
    other.body = { id: 'a', subject: 'replaced' };
    expect(bodyText(other)).toBe('{"id":"a","subject":"replaced"}');
    expect(restEtag(other)).not.toBe(before);
  });

  it('keeps the body enumerable, so copies of a row carry it', () => {
    const { read } = fresh();
    const copy = { ...read() };
    expect(copy.body).toEqual(JSON.parse(JSON.stringify(BODY)));
    expect(Object.keys(read())).toContain('body');
  });
});
