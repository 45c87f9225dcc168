/**
 * apis.kcp.io/v1alpha1 APIExportEndpointSlices (kcp sdk v1alpha1/types_apiexportendpointslice.go, its CRD,
 * reference kcp.md §5.4): the virtual workspace URLs of one APIExport (spec.export {path, name}), optionally
 * filtered by a Partition; each shard adds its URL once it hosts a binding to the export. Cluster-scoped, category
 * `kcp`, status subresource; `kubectl get apiexportendpointslices` prints Export, Partition and Age.
 *
 * What the strategies check: the CRD schema (spec.export with a name and a logical cluster path, endpoint URLs
 * present, not empty and unique, `shards.matchAll` and `shards.selector` exclusive), the transition rule "APIExport
 * reference must not be changed", and kcp's admission rule that spec.export.name is not empty (403 in kcp, a 422
 * cause here). The `bind` permission check on the export is admission's.
 */
import { fieldErrors, isDns1123Subdomain, type FieldError, type KubeObject } from '@kcp-ts/apimachinery';
import type { ResourceType } from '../../registry/resource-type.ts';
import { arrayAt, at, isSet, own, recordAt, stringAt } from '../object-access.ts';
import { kcpResourceType } from '../kcp-resource-type.ts';
import { defineStatusStrategies, validateName } from '../strategy.ts';
import { requiredErrors, ruleError } from '../tenancy/crd-validation.ts';
import { CRD_AGE_COLUMN, printerColumnsTable } from '../tenancy/printer-columns.ts';
import { API_EXPORT_ENDPOINT_SLICE_SCHEMA } from './apis-schemas.ts';
import { exportReferenceErrors, immutableRuleErrors, listMapDuplicateErrors, urlListErrors } from './validation.ts';

function validateStatus(object: KubeObject): FieldError[] {
  const endpoints = at(object, 'status', 'endpoints');
  const errs = urlListErrors(endpoints, 'status.endpoints');
  arrayAt(endpoints).forEach((endpoint, i) => {
    const shards = own(endpoint, 'shards');
    if (own(shards, 'matchAll') === true && isSet(own(shards, 'selector'))) {
      errs.push(ruleError(`status.endpoints[${i}].shards`, 'object', 'matchAll and selector are mutually exclusive'));
    }
  });
  errs.push(...listMapDuplicateErrors(endpoints, 'status.endpoints', ['url']));
  return errs;
}

function schemaErrors(object: KubeObject): FieldError[] {
  const spec = recordAt(object, 'spec');
  const errs: FieldError[] = [];
  if (spec !== undefined) {
    errs.push(...requiredErrors(spec, 'spec', 'export'));
    errs.push(...exportReferenceErrors(own(spec, 'export'), 'spec.export'));
  }
  errs.push(...validateStatus(object));
  return errs;
}

/** kcp's ValidateAPIExportEndpointSlice: the export must be named (also when spec is missing altogether). */
function referenceErrors(object: KubeObject): FieldError[] {
  return stringAt(object, 'spec', 'export', 'name') === '' ? [fieldErrors.required('spec.export.name')] : [];
}

function validateSlice(object: KubeObject): FieldError[] {
  const errs = [...validateName(object, isDns1123Subdomain), ...schemaErrors(object)];
  return errs.length > 0 ? errs : referenceErrors(object);
}

function validateSliceUpdate(object: KubeObject, old: KubeObject): FieldError[] {
  const errs = [
    ...validateName(object, isDns1123Subdomain),
    ...schemaErrors(object),
    ...immutableRuleErrors(
      at(object, 'spec', 'export'),
      at(old, 'spec', 'export'),
      'spec.export',
      'APIExport reference must not be changed',
    ),
  ];
  return errs.length > 0 ? errs : referenceErrors(object);
}

/** `/status` is the endpoint slice controllers' endpoints, shard selector and conditions. */
export const { strategy: apiExportEndpointSliceStrategy, statusStrategy: apiExportEndpointSliceStatusStrategy } =
  defineStatusStrategies({
    schemaName: API_EXPORT_ENDPOINT_SLICE_SCHEMA,
    validate: validateSlice,
    validateUpdate: validateSliceUpdate,
    validateStatusUpdate: validateStatus,
  });

export const APIEXPORTENDPOINTSLICES: ResourceType = kcpResourceType({
  group: 'apis.kcp.io',
  version: 'v1alpha1',
  resource: 'apiexportendpointslices',
  kind: 'APIExportEndpointSlice',
  schemaName: API_EXPORT_ENDPOINT_SLICE_SCHEMA,
  strategy: apiExportEndpointSliceStrategy,
  statusStrategy: apiExportEndpointSliceStatusStrategy,
  // kcp declares Export and Partition without descriptions, so kube's default description applies.
  table: printerColumnsTable([
    { name: 'Export', type: 'string', jsonPath: '.spec.export.name', value: (o) => at(o, 'spec', 'export', 'name') },
    { name: 'Partition', type: 'string', jsonPath: '.spec.partition', value: (o) => at(o, 'spec', 'partition') },
    CRD_AGE_COLUMN,
  ]),
});
