/**
 * `/version`: kube's version.Info with gitVersion `v1.32.3+kcp-ts-v<version>` (kcp reports `v1.32.3+kcp-v0.28.0`,
 * reference kcp.md §4.7). It must stay valid semver: kubectl version fails on a parse error, Helm semver-checks it.
 */
export const KUBE_VERSION = { major: '1', minor: '32', patch: '3' } as const;
export const KCP_TS_VERSION = '0.1.0';

export function versionInfo(): Record<string, string> {
  return {
    major: KUBE_VERSION.major,
    minor: KUBE_VERSION.minor,
    gitVersion: `v${KUBE_VERSION.major}.${KUBE_VERSION.minor}.${KUBE_VERSION.patch}+kcp-ts-v${KCP_TS_VERSION}`,
    gitCommit: 'unknown',
    gitTreeState: 'clean',
    buildDate: '2026-11-25T00:00:00Z',
    goVersion: `node${process.versions.node}`,
    compiler: 'tsc',
    platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
  };
}
