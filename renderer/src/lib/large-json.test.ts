import { describe, expect, it } from 'vitest';
import {
  coloursBracketPairs,
  LARGE_JSON_CHARS,
  LARGE_JSON_LANGUAGE,
  LARGE_JSON_LEAVE_CHARS,
  languageFitting,
  languageFor,
} from './large-json';

describe('the language of a JSON model', () => {
  it('is json-large from LARGE_JSON_CHARS up', () => {
    expect(languageFor(LARGE_JSON_CHARS - 1)).toBe('json');
    expect(languageFor(LARGE_JSON_CHARS)).toBe(LARGE_JSON_LANGUAGE);
  });

  it('changes once at the edge, not at every key typed or deleted there', () => {
    let language = languageFor(LARGE_JSON_CHARS - 2);
    const switches: string[] = [];
    for (const length of [
      LARGE_JSON_CHARS - 1,
      LARGE_JSON_CHARS,
      LARGE_JSON_CHARS - 1,
      LARGE_JSON_CHARS,
      LARGE_JSON_CHARS - 1,
    ]) {
      const next = languageFitting(length, language);
      if (next !== language) switches.push(`${length}:${next}`);
      language = next;
    }
    expect(switches).toEqual([`${LARGE_JSON_CHARS}:${LARGE_JSON_LANGUAGE}`]);
  });

  it('goes back to json once the text is well below the edge (a large part cut out)', () => {
    expect(languageFitting(LARGE_JSON_LEAVE_CHARS, LARGE_JSON_LANGUAGE)).toBe(LARGE_JSON_LANGUAGE);
    expect(languageFitting(LARGE_JSON_LEAVE_CHARS - 1, LARGE_JSON_LANGUAGE)).toBe('json');
    expect(languageFitting(10, LARGE_JSON_LANGUAGE)).toBe('json');
    expect(languageFitting(LARGE_JSON_CHARS * 2, 'json')).toBe(LARGE_JSON_LANGUAGE);
  });
});

describe('the colours of bracket pairs', () => {
  it('are drawn in a json model and not in a json-large one (no tree of every bracket before the first line shows)', () => {
    expect(coloursBracketPairs(languageFor(LARGE_JSON_CHARS - 1))).toBe(true);
    expect(coloursBracketPairs(languageFor(LARGE_JSON_CHARS))).toBe(false);
  });
});
