import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FieldError, KubeObject } from '@kcp-ts/apimachinery';
import {
  MUTATINGWEBHOOKCONFIGURATIONS,
  VALIDATINGWEBHOOKCONFIGURATIONS,
  mutatingWebhookConfigurationStrategy,
  validatingWebhookConfigurationStrategy,
} from './webhook-configurations.ts';

const render = (errors: FieldError[]) => errors.map((e) => `${e.field}: ${e.message}`);

/** A webhook as cert-manager-style charts ship it. */
function config(webhooks: unknown[]): KubeObject {
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingWebhookConfiguration',
    metadata: { name: 'policy' },
    webhooks,
  };
}

const HOOK = {
  name: 'validate.policy.example.com',
  clientConfig: { service: { name: 'policy', namespace: 'system', path: '/validate' } },
  rules: [{ operations: ['CREATE'], apiGroups: ['apps'], apiVersions: ['v1'], resources: ['deployments'] }],
  sideEffects: 'None',
  admissionReviewVersions: ['v1'],
};

describe('webhook configuration strategies', () => {
  it('apply kube v1 defaults', () => {
    const object = config([structuredClone(HOOK)]);
    mutatingWebhookConfigurationStrategy.prepareForCreate(object);
    assert.deepEqual(object.webhooks, [
      {
        ...HOOK,
        clientConfig: { service: { name: 'policy', namespace: 'system', path: '/validate', port: 443 } },
        rules: [{ ...HOOK.rules[0], scope: '*' }],
        failurePolicy: 'Fail',
        matchPolicy: 'Equivalent',
        namespaceSelector: {},
        objectSelector: {},
        timeoutSeconds: 10,
        reinvocationPolicy: 'Never',
      },
    ]);
    assert.deepEqual(mutatingWebhookConfigurationStrategy.validate(object), []);
  });

  it('validate webhooks with kube messages', () => {
    const object = config([
      {
        ...HOOK,
        name: 'short.name',
        sideEffects: undefined,
        timeoutSeconds: 60,
        clientConfig: { url: 'http://x/y?z=1' },
      },
      {
        ...HOOK,
        name: 'short.name',
        admissionReviewVersions: ['v2'],
        rules: [{ operations: ['*', 'CREATE'], apiGroups: ['*'], apiVersions: ['*'], resources: [] }],
      },
    ]);
    validatingWebhookConfigurationStrategy.prepareForCreate(object);
    assert.deepEqual(render(validatingWebhookConfigurationStrategy.validate(object)), [
      'webhooks[0].name: Invalid value: "short.name": should be a domain with at least three segments separated by dots',
      'webhooks[0].sideEffects: Required value: must specify one of None, NoneOnDryRun',
      'webhooks[0].timeoutSeconds: Invalid value: 60: the timeout value must be between 1 and 30 seconds',
      'webhooks[0].clientConfig.url: Invalid value: "http": \'https\' is the only allowed URL scheme; desired format: https://host[/path]',
      'webhooks[0].clientConfig.url: Invalid value: "z=1": query parameters are not permitted in the URL',
      'webhooks[1].name: Invalid value: "short.name": should be a domain with at least three segments separated by dots',
      'webhooks[1].rules[0].operations: Invalid value: []string{"*", "CREATE"}: if \'*\' is present, must not specify other operations',
      'webhooks[1].rules[0].resources: Required value',
      'webhooks[1].admissionReviewVersions: Invalid value: []string{"v2"}: must include at least one of v1, v1beta1',
      'webhooks[1].name: Duplicate value: "short.name"',
    ]);
  });

  it('track generation, allow unconditional updates and print the webhook count', () => {
    for (const type of [VALIDATINGWEBHOOKCONFIGURATIONS, MUTATINGWEBHOOKCONFIGURATIONS]) {
      assert.equal(type.strategy.tracksGeneration, true);
      assert.equal(type.strategy.allowUnconditionalUpdate, true);
      assert.deepEqual(type.categories, ['api-extensions']);
    }
    const object = config([HOOK, HOOK]);
    object.metadata.creationTimestamp = '2024-01-01T00:00:00Z';
    assert.deepEqual(
      VALIDATINGWEBHOOKCONFIGURATIONS.table?.columns.map((c) => [c.name, c.type]),
      [
        ['Name', 'string'],
        ['Webhooks', 'integer'],
        ['Age', 'string'],
      ],
    );
    assert.deepEqual(VALIDATINGWEBHOOKCONFIGURATIONS.table?.cells(object, new Date('2024-01-01T03:00:00Z')), [
      'policy',
      2,
      '3h',
    ]);
  });
});
