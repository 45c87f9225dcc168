/** Entry point of the `kubectl-create-workspace` executable, which kubectl runs for `kubectl create workspace ...`. */
import { runCreateWorkspace } from './create-workspace-command.ts';
import { processIO } from './plugin-runtime.ts';

process.exitCode = await runCreateWorkspace(process.argv.slice(2), processIO('kubectl-create-workspace'));
