/**
 * The content-addressed file store of evidence: a file's name is the SHA-256 of its bytes
 * (`<dir>/sha256/ab/ab…`), so a name can never point at other content without it showing,
 * and the same content stored twice is one file. Writes go to a temporary file in the same
 * folder, are flushed to disk, and renamed into place; the folder is flushed too, so that a
 * crash leaves either no file or the whole file. Reading hashes the bytes again.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { contentPath } from '../../core/evidence.js';

export interface StoredFile {
  sha256: string;
  sizeBytes: number;
}

export type FileCheck =
  | { state: 'ok'; sizeBytes: number }
  | { state: 'missing' }
  | { state: 'altered'; sha256: string; sizeBytes: number };

export function sha256Of(bytes: Uint8Array): string {
  return crypto.createHash('sha256').update(bytes).digest('hex');
}

export class EvidenceStore {
  constructor(readonly dir: string) {}

  pathOf(sha256: string): string {
    return path.join(this.dir, ...contentPath(sha256).split('/'));
  }

  /** Stores the bytes (a no-op when an intact copy is already there); returns their hash. */
  async put(bytes: Uint8Array): Promise<StoredFile> {
    const sha256 = sha256Of(bytes);
    const target = this.pathOf(sha256);
    const existing = await this.check(sha256);
    if (existing.state === 'ok') return { sha256, sizeBytes: bytes.length };
    // Missing, or altered on disk: the bytes in hand are the right ones, so they take its place.
    const folder = path.dirname(target);
    await fs.promises.mkdir(folder, { recursive: true });
    const temp = path.join(folder, `.${sha256}.${process.pid}.${crypto.randomUUID()}.tmp`);
    // Read-only once written: evidence is added, never edited in place.
    const handle = await fs.promises.open(temp, 'wx', 0o440);
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await fs.promises.rename(temp, target);
    } catch (error) {
      await fs.promises.rm(temp, { force: true });
      throw error;
    }
    await syncFolder(folder);
    return { sha256, sizeBytes: bytes.length };
  }

  /** The file's bytes, only if they still hash to `sha256`; null when the file is missing. */
  async read(sha256: string): Promise<Buffer | null> {
    let bytes: Buffer;
    try {
      bytes = await fs.promises.readFile(this.pathOf(sha256));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    if (sha256Of(bytes) !== sha256) {
      throw new EvidenceFileAltered(sha256);
    }
    return bytes;
  }

  /** Hashes the file on disk, streamed (files are at most a few MiB, but need not be read whole). */
  async check(sha256: string): Promise<FileCheck> {
    const file = this.pathOf(sha256);
    const hash = crypto.createHash('sha256');
    let sizeBytes = 0;
    try {
      for await (const chunk of fs.createReadStream(file)) {
        const buffer = chunk as Buffer;
        sizeBytes += buffer.length;
        hash.update(buffer);
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'missing' };
      throw error;
    }
    const actual = hash.digest('hex');
    return actual === sha256
      ? { state: 'ok', sizeBytes }
      : { state: 'altered', sha256: actual, sizeBytes };
  }
}

/** A stored file's content no longer matches its name: somebody changed it on disk. */
export class EvidenceFileAltered extends Error {
  constructor(readonly sha256: string) {
    super(`Evidence file ${sha256} has been altered on disk`);
    this.name = 'EvidenceFileAltered';
  }
}

async function syncFolder(folder: string): Promise<void> {
  let handle: fs.promises.FileHandle | null = null;
  try {
    handle = await fs.promises.open(folder, 'r');
    await handle.sync();
  } catch (error) {
    // Some platforms cannot open or flush a folder; the file itself is flushed already.
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL') throw error;
  } finally {
    await handle?.close();
  }
}
