// Secrets at rest. Electron encrypts with the OS keychain (safeStorage, see main/); browser mode
// uses AES-256-GCM with a key file only the user can read. Either way the database holds ciphertext.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export type SecretBox = {
  readonly kind: string;
  encrypt(plain: string): Uint8Array;
  decrypt(cipher: Uint8Array): string;
};

const VERSION = 1;

export function keyFileSecretBox(dataDir: string): SecretBox {
  const file = path.join(dataDir, 'secret.key');
  const key = loadOrCreateKey(file);
  return {
    kind: 'key-file',
    encrypt(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]);
    },
    decrypt(data) {
      const buf = Buffer.from(data);
      if (buf[0] !== VERSION) throw new Error('unknown secret format');
      const decipher = createDecipheriv('aes-256-gcm', key, buf.subarray(1, 13));
      decipher.setAuthTag(buf.subarray(13, 29));
      return Buffer.concat([decipher.update(buf.subarray(29)), decipher.final()]).toString('utf8');
    },
  };
}

function loadOrCreateKey(file: string): Buffer {
  if (existsSync(file)) {
    // Tighten permissions if someone loosened them; the key must stay the user's alone.
    if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
    const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
    if (key.length !== 32) throw new Error(`The key file ${file} is damaged (expected 32 bytes).`);
    return key;
  }
  const key = randomBytes(32);
  writeFileSync(file, key.toString('base64'), { mode: 0o600, flag: 'wx' });
  return key;
}
