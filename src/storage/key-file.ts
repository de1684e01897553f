/**
 * Loads the master key from the configuration or from a key file, creating the file (mode
 * 0600, in a folder only its owner can enter) with 32 random bytes on the first start.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseMasterKey } from '../app/vault.js';

export function loadMasterKey(options: { masterKey: string | null; keyFile: string }): {
  key: Buffer;
  source: 'environment' | 'key_file_created' | 'key_file';
} {
  if (options.masterKey) return { key: parseMasterKey(options.masterKey), source: 'environment' };
  if (fs.existsSync(options.keyFile)) {
    const mode = fs.statSync(options.keyFile).mode & 0o777;
    if ((mode & 0o077) !== 0) {
      throw new Error(
        `The key file ${options.keyFile} is readable by others (mode ${mode.toString(8)}); chmod 600 it`,
      );
    }
    return { key: parseMasterKey(fs.readFileSync(options.keyFile, 'utf8')), source: 'key_file' };
  }
  fs.mkdirSync(path.dirname(options.keyFile), { recursive: true, mode: 0o700 });
  const key = crypto.randomBytes(32);
  // 'wx' fails if another process created the file in the meantime, rather than overwrite it.
  fs.writeFileSync(options.keyFile, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  return { key, source: 'key_file_created' };
}
