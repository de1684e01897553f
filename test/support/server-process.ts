/**
 * A real SettleGuard server in a child process, for the tests that kill it (kill -9 between a
 * commit and what follows it). Resolves with its address once it says it is running; fails
 * with its output if it exits first or does not start within a minute.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { projectPath } from '../../src/project-root.js';

export async function startServerProcess(
  env: NodeJS.ProcessEnv,
): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', projectPath('src', 'main.ts'), '--no-demo'],
    { cwd: projectPath(), env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 60_000);
      child.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /running at (http:\/\/[^\s]+)/.exec(out);
        if (match?.[1]) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
      child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.once('exit', (code) => reject(new Error(`server exited ${String(code)}: ${out}`)));
    });
    return { child, url };
  } catch (error) {
    if (child.exitCode === null) child.kill('SIGKILL');
    throw error;
  }
}
