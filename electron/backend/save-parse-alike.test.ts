// A large edit is parsed against the pieces of the snapshot it was made from (parse-alike): each
// test saves such an edit against the sandbox and checks what was sent, byte for byte, against
// what the operator's text says.
import { describe, expect, it } from 'vitest';
import { harnessPerFile } from '../test-support/desk-harness';

const h = harnessPerFile();

const ARTICLE = '/rest/articles/article-1';
const puts = async () =>
  (await h.admin<{ requests: Array<{ body: string }> }>('GET', '/requests?method=PUT')).body
    .requests;

/** Opens article-1 after giving it `notes`, large enough for its text to be cut into pieces. */
async function largeArticle() {
  const notes: Record<string, string> = {};
  for (let n = 0; n < 800; n++) notes[`k${n}`] = `value ${n}`;
  await h.admin('POST', '/edit', { path: ARTICLE, patch: { notes } });
  const ref = await h.ref('REST articles', 'article-1');
  const base = await h.open(ref);
  expect(base.text.length).toBeGreaterThan(16 * 1024);
  return { ref, base };
}

describe('saving a large edit parsed a piece at a time', () => {
  it('refuses a text whose object was turned into a list (not JSON), sending nothing', async () => {
    const { ref, base } = await largeArticle();
    // The operator turned the braces of "notes" into brackets: its members are no list elements.
    const text = base.text
      .replace('"notes": {', '"notes": [')
      .replace(/\n {2}\}\n\}\n$/, '\n  ]\n}\n');
    expect(text).not.toBe(base.text);
    expect(() => {
      JSON.parse(text);
    }).toThrow();
    const result = await h.api.saveResource({ ref, text, baseJournalId: base.journalId });
    expect(result).toMatchObject({
      kind: 'error',
      reason: 'invalid-input',
      message: expect.stringMatching(/not valid JSON/),
    });
    expect(await puts()).toEqual([]);
  });
});
