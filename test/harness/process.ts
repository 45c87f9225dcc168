/**
 * Child-process plumbing shared by the kubectl, helm and shard harnesses: run a command to completion with a hard
 * deadline, and keep a bounded tail of a long-running child's output for failure reports.
 */
import { spawn } from 'node:child_process';

/** Outcome of one finished command. `timedOut` means we killed it because the deadline passed. */
export interface RunResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
  readonly durationMs: number;
}

export interface RunOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  readonly stdin?: string;
  /** Hard deadline; the child gets SIGKILL when it passes (a hung client must fail the test, not the whole run). */
  readonly timeoutMs?: number;
}

/** Run `cmd args` to completion; never rejects for a non-zero exit (callers assert on `code`). */
export function runProcess(cmd: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      env: options.env ?? process.env,
      cwd: options.cwd,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs ?? 60_000);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        code,
        signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        timedOut,
        durationMs: Date.now() - started,
      });
    });
    // EPIPE when the child exits before reading stdin is not our failure; the exit code tells the story.
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.stdin ?? '');
  });
}

/** A bounded ring of output lines, so a chatty server cannot grow test memory without limit. */
export class LineTail {
  readonly #max: number;
  readonly #lines: string[] = [];
  #partial = '';

  constructor(max = 400) {
    this.#max = max;
  }

  /** Feed raw bytes; returns the complete lines this chunk finished (for callers that scan for a marker). */
  push(chunk: string): string[] {
    const text = this.#partial + chunk;
    const parts = text.split('\n');
    this.#partial = parts.pop() ?? '';
    for (const line of parts) {
      this.#lines.push(line);
      if (this.#lines.length > this.#max) this.#lines.shift();
    }
    return parts;
  }

  /** The last `n` lines (plus an unterminated trailing line, which is often the interesting crash message). */
  tail(n = 80): string {
    const lines = this.#partial === '' ? this.#lines : [...this.#lines, this.#partial];
    return lines.slice(-n).join('\n');
  }
}

/** Render a command result for an assertion message: the command line, exit status and both streams. */
export function describeRun(label: string, result: RunResult): string {
  const status = result.timedOut
    ? `KILLED after ${result.durationMs} ms (timeout)`
    : `exit ${result.code ?? result.signal ?? '?'}`;
  return `${label}\n  -> ${status}\n  stdout: ${indent(result.stdout)}\n  stderr: ${indent(result.stderr)}`;
}

function indent(text: string): string {
  const trimmed = text.trimEnd();
  if (trimmed === '') return '(empty)';
  const lines = trimmed.split('\n');
  const shown =
    lines.length > 60 ? [...lines.slice(0, 30), `... (${lines.length - 60} lines) ...`, ...lines.slice(-30)] : lines;
  return shown.join('\n          ');
}
