/**
 * The project's root folder, found from this file's location, so that data shipped beside the
 * code (migrations, the built console) is found alike when running from `src/` with tsx and
 * from `dist/src/` after a build.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`No package.json above ${start}`);
    dir = parent;
  }
}

export const PROJECT_ROOT = findRoot(path.dirname(fileURLToPath(import.meta.url)));

export function projectPath(...parts: string[]): string {
  return path.join(PROJECT_ROOT, ...parts);
}
