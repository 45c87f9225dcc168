/**
 * Admission seam: plugins see every write after defaulting and before validation/storage, exactly like kube's
 * mutating/validating admission chain. Plugins are plain objects; the registry runs them in order.
 */
import type { KubeObject } from '@kcp-ts/apimachinery';
import type { RequestContext } from './registry.ts';
import type { ResourceType } from './resource-type.ts';

export type AdmissionOperation = 'CREATE' | 'UPDATE' | 'DELETE';

export interface AdmissionAttributes {
  readonly ctx: RequestContext;
  readonly type: ResourceType;
  readonly operation: AdmissionOperation;
  readonly namespace: string | undefined;
  readonly name: string;
  readonly subresource: string | undefined;
  /** The new object (CREATE/UPDATE); mutating plugins may change it. */
  readonly object: KubeObject | undefined;
  readonly oldObject: KubeObject | undefined;
  readonly dryRun: boolean;
}

export interface AdmissionPlugin {
  readonly name: string;
  /** Mutating phase; may modify attributes.object. */
  admit?(attributes: AdmissionAttributes): Promise<void> | void;
  /** Validating phase; throws ApiStatusError to reject. */
  validate?(attributes: AdmissionAttributes): Promise<void> | void;
}

export async function runAdmission(
  plugins: readonly AdmissionPlugin[],
  attributes: AdmissionAttributes,
): Promise<void> {
  for (const plugin of plugins) if (plugin.admit) await plugin.admit(attributes);
  for (const plugin of plugins) if (plugin.validate) await plugin.validate(attributes);
}
