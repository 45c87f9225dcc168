/**
 * Shared pieces of the security suites: "who am I" through the SelfSubjectReview API (what `kubectl auth whoami`
 * calls), kubectl runs under another user's kubeconfig, and kubectl's wording of a 401.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Identity } from '../../harness/credentials.ts';
import { api, isRecord, type HttpResult } from '../../harness/http.ts';
import type { Kcp } from '../../harness/kcp.ts';
import { kubectl, type KubectlResult } from '../../harness/kubectl.ts';
import { writeUserKubeconfig } from '../../harness/pki.ts';
import { describeRun } from '../../harness/process.ts';

export const SELF_SUBJECT_REVIEWS = '/apis/authentication.k8s.io/v1/selfsubjectreviews';

export interface UserInfo {
  readonly username: string;
  readonly groups: readonly string[];
  readonly extra: Readonly<Record<string, readonly string[]>>;
}

/** POST a SelfSubjectReview under `prefix` (e.g. `/clusters/root`) of `base`, as `identity`, with extra headers. */
export function selfSubjectReview(
  base: string,
  prefix: string,
  options: { identity?: Identity; headers?: Record<string, string> } = {},
): Promise<HttpResult> {
  return api(`${base}${prefix}${SELF_SUBJECT_REVIEWS}`, {
    method: 'POST',
    body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
    ...(options.identity === undefined ? {} : { identity: options.identity }),
    ...(options.headers === undefined ? {} : { headers: options.headers }),
  });
}

/** status.userInfo of a successful SelfSubjectReview (asserts 201). */
export function userInfoOf(res: HttpResult, context: string): UserInfo {
  assert.equal(res.status, 201, `${context}: SelfSubjectReview ${res.status} ${res.text.slice(0, 400)}`);
  const status = isRecord(res.json) ? res.json['status'] : undefined;
  const info = isRecord(status) ? status['userInfo'] : undefined;
  assert.ok(isRecord(info), `${context}: no status.userInfo in ${res.text.slice(0, 400)}`);
  const extra: Record<string, readonly string[]> = {};
  if (isRecord(info['extra'])) {
    for (const [k, v] of Object.entries(info['extra'])) extra[k] = Array.isArray(v) ? v.map(String) : [];
  }
  return {
    username: typeof info['username'] === 'string' ? info['username'] : '',
    groups: Array.isArray(info['groups']) ? info['groups'].map(String) : [],
    extra,
  };
}

/**
 * kubectl's message for a 401 (k8s.io/kubectl cmd/util StandardErrorMessage): `(Unauthorized)` is the Status
 * message when client-go decodes the body (typed clients: `auth whoami`); commands that start with discovery
 * (`get`, `version`) report client-go's generic text for a 401 from its raw discovery client instead, as against
 * kube-apiserver.
 */
export const KUBECTL_UNAUTHORIZED = 'error: You must be logged in to the server (Unauthorized)';
export const KUBECTL_UNAUTHORIZED_DISCOVERY =
  'error: You must be logged in to the server (the server has asked for the client to provide credentials)';

/** A kubectl runner for a user: a copy of the admin kubeconfig whose only user is `name` with `identity`. */
export interface UserKubectl {
  readonly kubeconfig: string;
  run(args: readonly string[], cluster?: string): Promise<KubectlResult>;
  label(args: readonly string[], cluster?: string): string;
  ok(args: readonly string[], cluster?: string): Promise<string>;
  fails(args: readonly string[], cluster?: string): Promise<string>;
}

export async function userKubectl(kcp: Kcp, name: string, identity: Identity): Promise<UserKubectl> {
  const kubeconfig = await writeUserKubeconfig(
    kcp.kubeconfigPath,
    join(kcp.workDir, `${name}.kubeconfig`),
    name,
    identity,
  );
  const label = (args: readonly string[], cluster?: string): string =>
    `$ kubectl ${args.join(' ')}   [user ${name}, workspace ${cluster ?? '(current context)'}]`;
  const run = (args: readonly string[], cluster?: string): Promise<KubectlResult> =>
    kubectl(args, { kubeconfig, ...(cluster === undefined ? {} : { cluster }) });
  return {
    kubeconfig,
    run,
    label,
    async ok(args, cluster) {
      const r = await run(args, cluster);
      assert.ok(!r.timedOut && r.code === 0, `expected success:\n${describeRun(label(args, cluster), r)}`);
      return r.stdout;
    },
    async fails(args, cluster) {
      const r = await run(args, cluster);
      assert.ok(!r.timedOut, `kubectl hung:\n${describeRun(label(args, cluster), r)}`);
      assert.ok(r.code !== 0, `expected a failure:\n${describeRun(label(args, cluster), r)}`);
      return r.stderr;
    },
  };
}
