import { describe, expect, it } from 'vitest';
import { saveSent, watchSaves, type SaveSent } from './save-watch';

const SAVE: SaveSent = { key: 'c\u0000r', sentText: '{"a":2}', baseText: '{"a":1}' };

describe('save watch', () => {
  it('tells every watcher of a save, and each that asked for it of the answer', () => {
    const seen: string[] = [];
    const stopA = watchSaves((save) => {
      seen.push(`a sent ${save.sentText}`);
      return (kind) => seen.push(`a answered ${kind}`);
    });
    const stopB = watchSaves(() => {
      seen.push('b sent');
    });
    const settle = saveSent(SAVE);
    expect(seen).toEqual(['a sent {"a":2}', 'b sent']);
    settle('conflict');
    expect(seen).toEqual(['a sent {"a":2}', 'b sent', 'a answered conflict']);
    stopA();
    stopB();
    saveSent(SAVE)('saved');
    expect(seen).toHaveLength(3);
  });
});
