/**
 * Runs the real Helm 3 binary (tools/bin/helm, installed by `make tools/bin/helm`) with its own HOME and Helm
 * cache/config/data directories, so repository caches and plugins of the machine never influence a suite.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runProcess, type RunResult } from './process.ts';

export const HELM_BINARY = fileURLToPath(new URL('../../tools/bin/helm', import.meta.url));

export interface HelmOptions {
  /** Scratch directory used as HOME and for Helm's XDG directories. */
  readonly home: string;
  readonly timeoutMs?: number;
}

/** Run helm to completion; never rejects on a non-zero exit. */
export async function helm(args: readonly string[], options: HelmOptions): Promise<RunResult> {
  if (!existsSync(HELM_BINARY)) throw new Error(`helm not found at ${HELM_BINARY}; run: make tools/bin/helm`);
  // Only explicit flags decide where helm goes: drop every variable that could point it elsewhere.
  const dropped = new Set(['KUBECONFIG', 'HELM_KUBEAPISERVER', 'HELM_KUBECONTEXT', 'HELM_NAMESPACE', 'HELM_DRIVER']);
  const env: NodeJS.ProcessEnv = {
    ...Object.fromEntries(Object.entries(process.env).filter(([key]) => !dropped.has(key))),
    HOME: options.home,
    HELM_CACHE_HOME: join(options.home, '.cache', 'helm'),
    HELM_CONFIG_HOME: join(options.home, '.config', 'helm'),
    HELM_DATA_HOME: join(options.home, '.local', 'share', 'helm'),
  };
  return runProcess(HELM_BINARY, args, { env, timeoutMs: options.timeoutMs ?? 60_000 });
}
