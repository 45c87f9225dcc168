/**
 * Entry point of the `kubectl-ws` and `kubectl-workspace` executables (packages/cli/bin): kubectl runs them for
 * `kubectl ws ...` / `kubectl workspace ...` with the remaining arguments and its unchanged environment.
 */
import { processIO } from './plugin-runtime.ts';
import { runWs } from './ws-command.ts';

process.exitCode = await runWs(process.argv.slice(2), processIO('kubectl-ws'));
