/**
 * Legacy discovery's subresource entries: kubectl and client-go read `group`/`version` of a subresource to learn
 * the kind it takes and returns (`kubectl create token` posts an authentication.k8s.io/v1 TokenRequest,
 * `kubectl scale` an autoscaling/v1 Scale). kube prints both whenever the subresource has its own kind.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  crdVersionSchema,
  customResourceSpecOf,
  customResourceTypes,
  PERMISSIVE_SCHEMA,
} from '../crd/custom-resource-types.ts';
import { ServiceAccountTokenIssuer } from '../authn/service-account.ts';
import { serviceAccountsWithTokenRequest } from '../authn/token-request.ts';
import { SERVICEACCOUNTS } from '../resources/service-accounts.ts';
import { DiscoveryDocuments } from './discovery.ts';

interface ApiResourceEntry {
  name: string;
  kind: string;
  group?: string;
  version?: string;
}

function resources(doc: { body: string } | undefined): ApiResourceEntry[] {
  assert.ok(doc !== undefined);
  return (JSON.parse(doc.body) as { resources: ApiResourceEntry[] }).resources;
}

describe('legacy discovery of subresources', () => {
  it('gives a subresource with its own kind both group and version, as kube does (serviceaccounts/token)', () => {
    const withIssuer = serviceAccountsWithTokenRequest({
      issuer: new ServiceAccountTokenIssuer({
        privateKey: generateKeyPairSync('ec', { namedCurve: 'P-256' })
          .privateKey.export({ type: 'pkcs8', format: 'pem' })
          .toString(),
        issuer: 'https://kcp-ts.test',
      }),
    });
    const entries = resources(new DiscoveryDocuments().resourceList([withIssuer], '', 'v1'));
    const token = entries.find((r) => r.name === 'serviceaccounts/token');
    assert.deepEqual(
      { kind: token?.kind, group: token?.group, version: token?.version },
      { kind: 'TokenRequest', group: 'authentication.k8s.io', version: 'v1' },
    );
    const main = entries.find((r) => r.name === 'serviceaccounts');
    assert.equal(main?.group, undefined, 'the resource itself carries no group/version of its own');
  });

  it('lists no serviceaccounts/token without a token issuer (kube installs TokenRequest only with one)', () => {
    const names = resources(new DiscoveryDocuments().resourceList([SERVICEACCOUNTS], '', 'v1')).map((r) => r.name);
    assert.deepEqual(names, ['serviceaccounts']);
  });

  it('lists a custom resource scale subresource as autoscaling/v1 Scale and its status without group/version', () => {
    const spec = customResourceSpecOf(
      {
        group: 'example.io',
        names: { plural: 'pools', kind: 'Pool' },
        scope: 'Namespaced',
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: { openAPIV3Schema: { type: 'object' } },
            subresources: {
              status: {},
              scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' },
            },
          },
        ],
      },
      crdVersionSchema,
    );
    const types = customResourceTypes(spec, 'crd', () => PERMISSIVE_SCHEMA);
    const entries = resources(new DiscoveryDocuments().resourceList(types, 'example.io', 'v1'));
    const scale = entries.find((r) => r.name === 'pools/scale');
    assert.deepEqual(
      { kind: scale?.kind, group: scale?.group, version: scale?.version },
      { kind: 'Scale', group: 'autoscaling', version: 'v1' },
    );
    const status = entries.find((r) => r.name === 'pools/status');
    assert.deepEqual({ group: status?.group, version: status?.version }, { group: undefined, version: undefined });
  });
});
