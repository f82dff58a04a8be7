import { describe, expect, it } from 'vitest';
import { compileExpression } from './expression';

const attrs = {
  customer: { tier: 'gold', name: 'Ava Smith' },
  priority: 7,
  skills: ['billing', 'spanish'],
  channel: 'voice',
  vip: true,
};

describe('compileExpression', () => {
  it.each([
    ['customer.tier == "gold"', true],
    ["customer.tier = 'silver'", false],
    ['priority > 5 AND channel == "voice"', true],
    ['priority < 5 OR skills HAS "spanish"', true],
    ['skills HAS "french"', false],
    ["channel IN ['voice', 'chat']", true],
    ["channel NOT IN ['voice']", false],
    ['customer.name CONTAINS "Smith"', true],
    ['NOT (vip == true)', false],
    ['vip', true],
    ['missing.field == "x"', false],
    ['customer.tier != "gold" || priority >= 7', true],
  ])('%s → %s', (expr, expected) => {
    expect(compileExpression(expr)(attrs)).toBe(expected);
  });

  it('rejects malformed expressions', () => {
    expect(() => compileExpression('customer.tier == ')).toThrow();
    expect(() => compileExpression('(a == 1')).toThrow();
    expect(() => compileExpression('a == "x')).toThrow();
  });
});
