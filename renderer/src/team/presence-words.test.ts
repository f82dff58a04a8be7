import { describe, expect, it } from 'vitest';
import { durationWords, nounFor, presenceWords } from './presence-words';

const p = (operator: string, editingForMs: number | null) => ({
  resourceId: 'WT1',
  operator,
  openForMs: 300_000,
  editingForMs,
});

describe('presence in words', () => {
  it('says who has it open and for how long they have been editing', () => {
    expect(presenceWords([p('alice', 125_000)], nounFor('twilio-taskrouter-task'))).toBe(
      'alice has this task open · editing for 2 min',
    );
    expect(presenceWords([p('alice', null)], 'document')).toBe('alice has this document open');
    expect(presenceWords([p('alice', null), p('bob', 3_700_000)], 'task')).toBe(
      'alice and bob have this task open · bob editing for 1 h 1 min',
    );
    expect(presenceWords([p('a', null), p('b', null), p('c', null)], 'task')).toBe(
      'a, b and 1 more have this task open',
    );
    expect(presenceWords([], 'task')).toBe('');
  });
  it('rounds durations down to whole minutes', () => {
    expect(durationWords(59_999)).toBe('under a minute');
    expect(durationWords(60_000)).toBe('1 min');
    expect(durationWords(7_200_000)).toBe('2 h');
  });
});
