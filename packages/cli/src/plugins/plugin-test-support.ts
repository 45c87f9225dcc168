/**
 * What the tests of the real executables share: where they are, the kubectl 1.32 that runs them as plugins, and a
 * runner that captures a process's exit code, stdout and stderr.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** packages/cli/bin, where the kubectl-* wrappers live. */
export const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin');

/** kubectl 1.32 as `make tools` installs it (part of the test environment). */
export const KUBECTL = [
  '/usr/lib/google-cloud-sdk/bin/kubectl.1.32',
  join(BIN, '..', '..', '..', 'tools', 'bin', 'kubectl-1.32'),
].find((p) => existsSync(p));

export interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `command args...` with exactly `env`, feeding `stdin` (or nothing) to it; killed after a minute. */
export function run(
  command: string,
  args: readonly string[],
  env: Record<string, string>,
  stdin?: string,
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    // No input is an immediately closed standard input.
    child.stdin.end(stdin);
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
