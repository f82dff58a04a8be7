// Secrets at rest in the desktop app: encrypted with the OS keychain through Electron's safeStorage.
import type { SafeStorage } from 'electron';
import type { SecretBox } from '../backend/secrets';

export function safeStorageSecretBox(
  safeStorage: Pick<SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString'>,
): SecretBox {
  return {
    kind: 'safe-storage',
    encrypt(plain) {
      // Refuse rather than store a secret in the clear.
      if (!safeStorage.isEncryptionAvailable())
        throw new Error('The OS keychain is not available, so secrets cannot be stored safely.');
      return safeStorage.encryptString(plain);
    },
    decrypt(cipher) {
      return safeStorage.decryptString(Buffer.from(cipher));
    },
  };
}
