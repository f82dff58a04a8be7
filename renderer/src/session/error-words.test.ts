import { describe, expect, it } from 'vitest';
import { errorWords } from './error-words';

describe('error words', () => {
  it('says what to do about the statuses an operator can act on', () => {
    expect(
      errorWords({ message: 'The server answered 401 to the list request.', status: 401 }),
    ).toBe(
      'The server rejected the credentials (401) — check the token or password in Connections (Manage…), then try again.',
    );
    expect(
      errorWords({
        message: 'refused with 413',
        status: 413,
        bodyExcerpt: '{"code":54006,"message":"Data exceeds the 16 KiB limit"}',
      }),
    ).toBe(
      'The server refuses documents this large (413): its limit is 16 KiB — make the document smaller. Nothing was written; your edit is kept.',
    );
    expect(errorWords({ message: 'refused with 413', status: 413 })).toContain(
      'documents this large (413) — make',
    );
  });

  it('keeps the backend’s words for the rest', () => {
    expect(errorWords({ message: 'Your edit is not valid JSON — line 2.' })).toBe(
      'Your edit is not valid JSON — line 2.',
    );
    expect(errorWords({ message: 'The server answered 500.', status: 500 })).toBe(
      'The server answered 500.',
    );
  });
});
