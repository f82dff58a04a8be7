import { describe, expect, it } from 'vitest';
import { safeStorageSecretBox } from './safe-storage-box';

// A stand-in for Electron's safeStorage (the binary is not installable offline): reversible, but
// never the plain text, so the test can tell encryption happened.
const fakeSafeStorage = (available: boolean) => ({
  isEncryptionAvailable: () => available,
  encryptString: (plain: string) => Buffer.from(Buffer.from(plain, 'utf8').map((b) => b ^ 0x5a)),
  decryptString: (cipher: Buffer) => Buffer.from(cipher.map((b) => b ^ 0x5a)).toString('utf8'),
});

describe('safeStorage secret box', () => {
  it('stores secrets through the OS keychain and reads them back', () => {
    const box = safeStorageSecretBox(fakeSafeStorage(true));
    const cipher = box.encrypt('auth-token-123');
    expect(Buffer.from(cipher).toString('utf8')).not.toContain('auth-token-123');
    expect(box.decrypt(cipher)).toBe('auth-token-123');
  });

  it('refuses to store a secret when the keychain is not available, rather than keep it in the clear', () => {
    expect(() => safeStorageSecretBox(fakeSafeStorage(false)).encrypt('x')).toThrow(
      /keychain is not available/,
    );
  });
});
