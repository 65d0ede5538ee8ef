import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

export interface RunTsxOptions {
  cwd: string;
  /** The whole environment of the process (PATH aside), so nothing leaks in from the test's. */
  env: Record<string, string>;
  args?: string[];
  /** Killed (SIGKILL) if still running after this long; default 30 s. */
  timeoutMs?: number;
}

/** Runs a TypeScript entry point with tsx in a process of its own: its exit code and its output. */
export function runTsx(
  entry: string,
  options: RunTsxOptions,
): Promise<{ code: number | null; output: string }> {
  return new Promise((done, fail) => {
    const child = spawn(join(repoRoot, 'node_modules/.bin/tsx'), [entry, ...(options.args ?? [])], {
      cwd: options.cwd,
      env: { PATH: process.env.PATH ?? '', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, output });
    });
  });
}
