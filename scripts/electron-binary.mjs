// Whether Electron's binary is installed. electron@45 fetches it lazily, which fails offline;
// then `node_modules/electron/path.txt` is missing and requiring the package throws.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export function electronBinary(root = process.cwd()) {
  const dir = path.join(root, 'node_modules', 'electron');
  const pathFile = path.join(dir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = path.join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
  if (!existsSync(binary)) return null;
  try {
    return createRequire(path.join(root, 'package.json'))('electron');
  } catch {
    return null;
  }
}
