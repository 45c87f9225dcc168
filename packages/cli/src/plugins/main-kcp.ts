/** Entry point of the `kubectl-kcp` executable (packages/cli/bin), which kubectl runs for `kubectl kcp ...`. */
import { runKcp } from './kcp-command.ts';
import { processIO } from './plugin-runtime.ts';

process.exitCode = await runKcp(process.argv.slice(2), processIO('kubectl-kcp'));
