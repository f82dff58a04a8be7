import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { desktopSecretBox, osKeychainUsable, safeStorageSecretBox } from './safe-storage-box';

type Backend = 'basic_text' | 'gnome_libsecret' | 'kwallet' | 'kwallet5' | 'kwallet6' | 'unknown';

// A stand-in for Electron's safeStorage (the binary is not installable offline): reversible, but
// never the plain text, so the test can tell encryption happened.
const fakeSafeStorage = (available: boolean, backend: Backend = 'gnome_libsecret') => ({
  isEncryptionAvailable: () => available,
  getSelectedStorageBackend: () => backend,
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

  // Linux with no keyring: Chromium's 'basic_text' backend says "available" but encrypts with a
  // key derived from a constant in its source, the same on every machine.
  it('does not count Linux basic_text (a constant key) as a keychain', () => {
    expect(osKeychainUsable(fakeSafeStorage(true, 'basic_text'), 'linux')).toBe(false);
    expect(osKeychainUsable(fakeSafeStorage(true, 'gnome_libsecret'), 'linux')).toBe(true);
    expect(osKeychainUsable(fakeSafeStorage(true, 'unknown'), 'darwin')).toBe(true);
    expect(() =>
      safeStorageSecretBox(fakeSafeStorage(true, 'basic_text'), 'linux').encrypt('x'),
    ).toThrow(/keychain is not available/);
  });

  it('the desktop app falls back to the key file when the only keychain is basic_text', () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cd-box-'));
    expect(desktopSecretBox(fakeSafeStorage(true, 'basic_text'), dataDir, 'linux').kind).toBe(
      'key-file',
    );
    expect(desktopSecretBox(fakeSafeStorage(false), dataDir, 'win32').kind).toBe('key-file');
    expect(desktopSecretBox(fakeSafeStorage(true, 'kwallet5'), dataDir, 'linux').kind).toBe(
      'safe-storage',
    );
  });
});
