/**
 * Writes the admin kubeconfig the way kcp's admin battery does (reference kcp.md §3.1): cluster/context `root`
 * pointing at `<url>/clusters/root` (current) and `base` pointing at the server root.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { stringify } from 'yaml';

export function adminKubeconfig(serverUrl: string): Record<string, unknown> {
  const base = serverUrl.replace(/\/+$/, '');
  const cluster = (server: string) => ({ server });
  return {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      { name: 'root', cluster: cluster(`${base}/clusters/root`) },
      { name: 'base', cluster: cluster(base) },
    ],
    users: [{ name: 'kcp-admin', user: {} }],
    contexts: [
      { name: 'root', context: { cluster: 'root', user: 'kcp-admin' } },
      { name: 'base', context: { cluster: 'base', user: 'kcp-admin' } },
    ],
    'current-context': 'root',
    preferences: {},
  };
}

export async function writeAdminKubeconfig(path: string, serverUrl: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, stringify(adminKubeconfig(serverUrl)), { mode: 0o600 });
}
