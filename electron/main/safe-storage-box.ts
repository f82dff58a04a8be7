// Secrets at rest in the desktop app: encrypted with the OS keychain through Electron's safeStorage.
import type { SafeStorage } from 'electron';
import { keyFileSecretBox, type SecretBox } from '../backend/secrets';

type SafeStorageLike = Pick<
  SafeStorage,
  'isEncryptionAvailable' | 'encryptString' | 'decryptString' | 'getSelectedStorageBackend'
>;

/**
 * Whether safeStorage encrypts with a real OS keychain. On Linux with no keyring, Chromium falls
 * back to 'basic_text' and isEncryptionAvailable() still says true, yet the key derives from a
 * constant in Chromium's source ("peanuts"): anyone who copies the store reads every secret.
 */
export function osKeychainUsable(
  safeStorage: SafeStorageLike,
  platform: NodeJS.Platform = process.platform,
): boolean {
  if (!safeStorage.isEncryptionAvailable()) return false;
  return platform !== 'linux' || safeStorage.getSelectedStorageBackend() !== 'basic_text';
}

/**
 * The desktop app's box: the OS keychain when there is a real one; otherwise the browser-mode key
 * file (readable only by the user), rather than refusing to start or storing secrets in the clear.
 */
export function desktopSecretBox(
  safeStorage: SafeStorageLike,
  dataDir: string,
  platform: NodeJS.Platform = process.platform,
): SecretBox {
  return osKeychainUsable(safeStorage, platform)
    ? safeStorageSecretBox(safeStorage, platform)
    : keyFileSecretBox(dataDir);
}

export function safeStorageSecretBox(
  safeStorage: SafeStorageLike,
  platform: NodeJS.Platform = process.platform,
): SecretBox {
  return {
    kind: 'safe-storage',
    encrypt(plain) {
      // Refuse rather than store a secret in the clear, or under a key everyone knows.
      if (!osKeychainUsable(safeStorage, platform))
        throw new Error('The OS keychain is not available, so secrets cannot be stored safely.');
      return safeStorage.encryptString(plain);
    },
    decrypt(cipher) {
      return safeStorage.decryptString(Buffer.from(cipher));
    },
  };
}
