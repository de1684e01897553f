// Runs before `npm start`: builds the server and the console when a build is missing (for
// example after `npm ci --ignore-scripts`), so that `npm start` always has something to run.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import process from 'node:process';

const needed = ['dist/src/main.js', 'console/dist/index.html'];
if (needed.some((file) => !existsSync(file))) {
  process.stdout.write('SettleGuard is not built yet: building (about a minute)…\n');
  const result = spawnSync('npm', ['run', 'build'], { stdio: 'inherit' });
  process.exit(result.status ?? 1);
}
