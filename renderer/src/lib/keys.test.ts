import { describe, expect, it } from 'vitest';
import { mergeKeyChoice } from './keys';

const key = (
  init: Partial<{
    code: string;
    altKey: boolean;
    ctrlKey: boolean;
    metaKey: boolean;
    shiftKey: boolean;
  }>,
) => ({ code: '', altKey: false, ctrlKey: false, metaKey: false, shiftKey: false, ...init });

describe('merge keys', () => {
  it('settle the conflict in focus with Alt+T/M/B/O, and Alt+1/2/3/0 where the browser leaves them', () => {
    expect(mergeKeyChoice(key({ altKey: true, code: 'KeyT' }))).toBe('theirs');
    expect(mergeKeyChoice(key({ altKey: true, code: 'KeyM' }))).toBe('mine');
    expect(mergeKeyChoice(key({ altKey: true, code: 'KeyB' }))).toBe('both');
    expect(mergeKeyChoice(key({ altKey: true, code: 'KeyO' }))).toBe('base');
    expect(mergeKeyChoice(key({ altKey: true, code: 'Digit1' }))).toBe('theirs');
    expect(mergeKeyChoice(key({ altKey: true, code: 'Digit0' }))).toBe('base');
  });

  it('leave plain typing and other chords alone', () => {
    expect(mergeKeyChoice(key({ code: 'KeyM' }))).toBeNull();
    expect(mergeKeyChoice(key({ altKey: true, ctrlKey: true, code: 'KeyT' }))).toBeNull();
    expect(mergeKeyChoice(key({ altKey: true, shiftKey: true, code: 'KeyM' }))).toBeNull();
    expect(mergeKeyChoice(key({ altKey: true, code: 'KeyX' }))).toBeNull();
  });
});
