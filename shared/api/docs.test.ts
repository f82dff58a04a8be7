// docs/api.md is the scripting reference: it must describe every contract method, and no other.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { apiMethodNames } from './contract';

describe('docs/api.md', () => {
  it('documents exactly the contract methods', () => {
    const text = readFileSync(new URL('../../docs/api.md', import.meta.url), 'utf8');
    const documented = [...text.matchAll(/^### (\w+)$/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual([...apiMethodNames].sort());
  });
});
