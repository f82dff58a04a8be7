import { mkdtempSync, readFileSync, statSync, chmodSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { keyFileSecretBox } from './secrets';

describe('key-file secret box (browser mode)', () => {
  it('encrypts with a key file only the user can read, and decrypts after a restart', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cd-secrets-'));
    const cipher = keyFileSecretBox(dir).encrypt('sk_live_very_secret');
    expect(Buffer.from(cipher).toString('latin1')).not.toContain('sk_live_very_secret');
    expect(statSync(path.join(dir, 'secret.key')).mode & 0o777).toBe(0o600);
    expect(keyFileSecretBox(dir).decrypt(cipher)).toBe('sk_live_very_secret');
    // Tampering is detected (AES-GCM), not decrypted into garbage.
    const tampered = Buffer.from(cipher);
    tampered[tampered.length - 1]! ^= 1;
    expect(() => keyFileSecretBox(dir).decrypt(tampered)).toThrow();
    // Loosened permissions are tightened again.
    chmodSync(path.join(dir, 'secret.key'), 0o644);
    keyFileSecretBox(dir);
    expect(statSync(path.join(dir, 'secret.key')).mode & 0o777).toBe(0o600);
    expect(readFileSync(path.join(dir, 'secret.key'), 'utf8')).toHaveLength(44);
  });
});
