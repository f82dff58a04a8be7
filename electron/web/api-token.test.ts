import { mkdtempSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeApiToken } from './api-token';

const modeOf = (file: string) => statSync(file).mode & 0o777;

describe('api-token', () => {
  it('the script token file, new at each start', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cd-perm-'));
    const first = writeApiToken(dir);
    expect(modeOf(first.file)).toBe(0o600);
    const second = writeApiToken(dir);
    expect(second.token).not.toBe(first.token);
    expect(modeOf(second.file)).toBe(0o600);
  });
});
