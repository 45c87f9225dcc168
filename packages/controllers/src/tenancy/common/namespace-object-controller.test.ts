import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CLUSTER_ANNOTATION, errors, type KubeObject } from '@kcp-ts/apimachinery';
import { ReconcileResult } from '../../runtime/controller.ts';
import { isCurrentRootCAConfigMap, rootCAConfigMap, withCurrentRootCA } from './namespace-defaults.ts';
import { newNamespaceObjectReconciler, type EnsureDeps } from './namespace-object-controller.ts';
import { live } from './tenancy-test-fixtures.ts';

function namespace(name: string, options: { terminating?: boolean } = {}): KubeObject {
  return {
    metadata: {
      name,
      annotations: { [CLUSTER_ANNOTATION]: 'c1' },
      ...(options.terminating === true && { deletionTimestamp: 'then' }),
    },
    status: { phase: options.terminating === true ? 'Terminating' : 'Active' },
  };
}

function harness(options: {
  namespace?: KubeObject | undefined;
  existing?: KubeObject | undefined;
  failCreate?: Error | undefined;
  skip?: boolean | undefined;
}) {
  const calls: string[] = [];
  const deps: EnsureDeps = {
    getNamespace: () => options.namespace,
    getObject: () => options.existing,
    create: (cluster, object) => {
      calls.push(`create ${cluster}/${object.metadata.namespace ?? ''}/${object.metadata.name ?? ''}`);
      return options.failCreate === undefined ? Promise.resolve() : Promise.reject(options.failCreate);
    },
    update: (cluster, object) => {
      calls.push(`update ${cluster}/${object.metadata.namespace ?? ''}/${object.metadata.name ?? ''}`);
      return Promise.resolve();
    },
    desired: (ns) => rootCAConfigMap(ns, 'PEM'),
    repair: (existing) => (isCurrentRootCAConfigMap(existing, 'PEM') ? undefined : withCurrentRootCA(existing, 'PEM')),
    skipNamespace: () => options.skip === true,
  };
  return { deps, calls };
}

describe('per-namespace object (ensure step)', () => {
  const current = rootCAConfigMap('team', 'PEM');
  const cases = [
    { name: 'missing → create', namespace: namespace('team'), calls: ['create c1/team/kube-root-ca.crt'] },
    { name: 'current → nothing', namespace: namespace('team'), existing: current, calls: [] },
    {
      name: 'stale data → update in place',
      namespace: namespace('team'),
      existing: { ...current, data: { 'ca.crt': 'old' } },
      calls: ['update c1/team/kube-root-ca.crt'],
    },
    {
      name: 'description annotation removed → update',
      namespace: namespace('team'),
      existing: { ...current, metadata: { ...current.metadata, annotations: {} } },
      calls: ['update c1/team/kube-root-ca.crt'],
    },
    { name: 'terminating namespace → nothing', namespace: namespace('team', { terminating: true }), calls: [] },
    { name: 'namespace gone → nothing', namespace: undefined, calls: [] },
    { name: 'provisioned elsewhere → nothing', namespace: namespace('team'), skip: true, calls: [] },
    {
      name: 'AlreadyExists → success',
      namespace: namespace('team'),
      failCreate: errors.alreadyExists('', 'configmaps', 'kube-root-ca.crt'),
      calls: ['create c1/team/kube-root-ca.crt'],
    },
    {
      name: 'namespace terminating (403) → success',
      namespace: namespace('team'),
      failCreate: errors.forbidden('', 'configmaps', 'kube-root-ca.crt', 'namespace team is being terminated'),
      calls: ['create c1/team/kube-root-ca.crt'],
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const { deps, calls } = harness(c);
      assert.deepEqual(await newNamespaceObjectReconciler(deps)('c1|team', live), ReconcileResult.done);
      assert.deepEqual(calls, c.calls);
    });
  }

  it('other failures are retried', async () => {
    const { deps } = harness({ namespace: namespace('team'), failCreate: errors.timeout('etcd') });
    await assert.rejects(newNamespaceObjectReconciler(deps)('c1|team', live), /step ensure: Timeout/);
  });

  it('the published ConfigMap is kube’s, verbatim', () => {
    assert.deepEqual(rootCAConfigMap('team', 'PEM'), {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'kube-root-ca.crt',
        namespace: 'team',
        annotations: {
          'kubernetes.io/description':
            'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such ' +
            'as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across ' +
            'distributions of Kubernetes clusters.',
        },
      },
      data: { 'ca.crt': 'PEM' },
    });
  });
});
