/**
 * OpenAPI v3 as kube-openapi's handler3 serves it: an index of group-versions with content-hashed URLs, and one
 * document per group-version. kubectl's field-validation check needs, per kind, a PATCH operation carrying
 * `x-kubernetes-group-version-kind` and a `fieldValidation` query parameter (reference kubernetes-api.md §2.3);
 * `kubectl explain` reads `components.schemas`. Strategic merge patch is deliberately not advertised in PATCH
 * request bodies so kubectl uses its compiled-in SMP for built-ins (§2.4) while the server still accepts it.
 */
import { createHash } from 'node:crypto';
import type { OpenApiSchema } from '@kcp-ts/apimachinery';
import { groupVersionOf, type ResourceType } from '../registry/resource-type.ts';

export interface OpenApiDocument {
  readonly body: string;
  readonly hash: string;
}

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
const REF = (name: string) => ({ $ref: `#/components/schemas/${name}` });

function param(name: string, type: 'string' | 'boolean' | 'integer', description: string): Record<string, unknown> {
  return { name, in: 'query', description, schema: { type, uniqueItems: true } };
}

const WRITE_PARAMS = [
  param('dryRun', 'string', 'When present, indicates that modifications should not be persisted. Valid value: All'),
  param(
    'fieldManager',
    'string',
    'fieldManager is a name associated with the actor or entity that is making these changes.',
  ),
  param(
    'fieldValidation',
    'string',
    'fieldValidation instructs the server on how to handle objects in the request containing unknown or duplicate fields. Valid values are: Ignore, Warn (default), Strict.',
  ),
];
const LIST_PARAMS = [
  param('allowWatchBookmarks', 'boolean', 'requests watch events with type "BOOKMARK".'),
  param('continue', 'string', 'The continue option should be set when retrieving more results from the server.'),
  param('fieldSelector', 'string', 'A selector to restrict the list of returned objects by their fields.'),
  param('labelSelector', 'string', 'A selector to restrict the list of returned objects by their labels.'),
  param('limit', 'integer', 'limit is a maximum number of responses to return for a list call.'),
  param(
    'resourceVersion',
    'string',
    'resourceVersion sets a constraint on what resource versions a request may be served from.',
  ),
  param(
    'resourceVersionMatch',
    'string',
    'resourceVersionMatch determines how resourceVersion is applied to list calls.',
  ),
  param('timeoutSeconds', 'integer', 'Timeout for the list/watch call.'),
  param(
    'watch',
    'boolean',
    'Watch for changes to the described resources and return them as a stream of add, update, and remove notifications.',
  ),
];

function operationId(verb: string, t: ResourceType, suffix = ''): string {
  const group = t.group === '' ? 'Core' : (t.group.split('.')[0] ?? '');
  const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
  const ns = t.namespaced ? 'Namespaced' : '';
  return `${verb}${cap(group)}${cap(t.version)}${ns}${t.kind}${suffix}`;
}

function pathsFor(t: ResourceType): Record<string, unknown> {
  const gvk = { group: t.group, version: t.version, kind: t.kind };
  const base = t.group === '' ? `/api/${t.version}` : `/apis/${t.group}/${t.version}`;
  const scope = t.namespaced ? `${base}/namespaces/{namespace}/${t.resource}` : `${base}/${t.resource}`;
  const pathParams: Record<string, unknown>[] = [
    ...(t.namespaced
      ? [{ name: 'namespace', in: 'path', required: true, schema: { type: 'string', uniqueItems: true } }]
      : []),
  ];
  const nameParam = {
    name: 'name',
    in: 'path',
    required: true,
    description: `name of the ${t.kind}`,
    schema: { type: 'string', uniqueItems: true },
  };
  const ok = (schema: unknown) => ({ '200': { description: 'OK', content: { 'application/json': { schema } } } });
  const body = (schema: unknown) => ({ content: { 'application/json': { schema } }, required: true });
  const kindRef = REF(t.schemaName);
  const verbs = new Set(t.verbs);
  const collection: Record<string, unknown> = { parameters: pathParams };
  if (verbs.has('list')) {
    collection.get = {
      operationId: operationId('list', t),
      'x-kubernetes-action': 'list',
      'x-kubernetes-group-version-kind': gvk,
      parameters: LIST_PARAMS,
      responses: ok({ type: 'object' }),
    };
  }
  if (verbs.has('create')) {
    collection.post = {
      operationId: operationId('create', t),
      'x-kubernetes-action': 'post',
      'x-kubernetes-group-version-kind': gvk,
      parameters: WRITE_PARAMS,
      requestBody: body(kindRef),
      responses: {
        ...ok(kindRef),
        '201': { description: 'Created', content: { 'application/json': { schema: kindRef } } },
      },
    };
  }
  if (verbs.has('deletecollection')) {
    collection.delete = {
      operationId: operationId('deletecollection', t),
      'x-kubernetes-action': 'deletecollection',
      'x-kubernetes-group-version-kind': gvk,
      parameters: [...LIST_PARAMS, param('dryRun', 'string', 'dry run')],
      requestBody: { content: { 'application/json': { schema: REF(`${META}.DeleteOptions`) } } },
      responses: ok(REF(`${META}.Status`)),
    };
  }
  const item: Record<string, unknown> = { parameters: [nameParam, ...pathParams] };
  if (verbs.has('get')) {
    item.get = {
      operationId: operationId('read', t),
      'x-kubernetes-action': 'get',
      'x-kubernetes-group-version-kind': gvk,
      responses: ok(kindRef),
    };
  }
  if (verbs.has('update')) {
    item.put = {
      operationId: operationId('replace', t),
      'x-kubernetes-action': 'put',
      'x-kubernetes-group-version-kind': gvk,
      parameters: WRITE_PARAMS,
      requestBody: body(kindRef),
      responses: ok(kindRef),
    };
  }
  if (verbs.has('patch')) {
    const patchRef = REF(`${META}.Patch`);
    item.patch = {
      operationId: operationId('patch', t),
      'x-kubernetes-action': 'patch',
      'x-kubernetes-group-version-kind': gvk,
      parameters: [...WRITE_PARAMS, param('force', 'boolean', 'Force is going to "force" Apply requests.')],
      requestBody: {
        content: {
          'application/json-patch+json': { schema: patchRef },
          'application/merge-patch+json': { schema: patchRef },
          'application/apply-patch+yaml': { schema: patchRef },
        },
        required: true,
      },
      responses: ok(kindRef),
    };
  }
  if (verbs.has('delete')) {
    item.delete = {
      operationId: operationId('delete', t),
      'x-kubernetes-action': 'delete',
      'x-kubernetes-group-version-kind': gvk,
      parameters: [
        param('dryRun', 'string', 'dry run'),
        param('gracePeriodSeconds', 'integer', 'grace period'),
        param('propagationPolicy', 'string', 'propagation policy'),
      ],
      requestBody: { content: { 'application/json': { schema: REF(`${META}.DeleteOptions`) } } },
      responses: ok(REF(`${META}.Status`)),
    };
  }
  const paths: Record<string, unknown> = { [scope]: collection };
  // Create-only types (the review APIs) have no object URLs, and kube publishes none for them.
  if (Object.keys(item).length > 1) paths[`${scope}/{name}`] = item;
  for (const sub of t.subresources) {
    if (sub.name === 'token') continue;
    const op: Record<string, unknown> = { parameters: [nameParam, ...pathParams] };
    if (sub.verbs.includes('get'))
      op.get = {
        operationId: operationId('read', t, cap(sub.name)),
        'x-kubernetes-action': 'get',
        'x-kubernetes-group-version-kind': gvk,
        responses: ok(kindRef),
      };
    if (sub.verbs.includes('update'))
      op.put = {
        operationId: operationId('replace', t, cap(sub.name)),
        'x-kubernetes-action': 'put',
        'x-kubernetes-group-version-kind': gvk,
        parameters: WRITE_PARAMS,
        requestBody: body(kindRef),
        responses: ok(kindRef),
      };
    paths[`${scope}/{name}/${sub.name}`] = op;
  }
  return paths;
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Every component reachable from `roots` through `$ref`s (kube publishes the closure per group-version). */
function closure(
  roots: readonly string[],
  components: Readonly<Record<string, OpenApiSchema>>,
): Record<string, OpenApiSchema> {
  const out: Record<string, OpenApiSchema> = {};
  const queue = [...roots];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const n of node) visit(n);
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string' && v.startsWith('#/components/schemas/'))
        queue.push(v.slice('#/components/schemas/'.length));
      else visit(v);
    }
  };
  while (queue.length > 0) {
    const name = queue.pop() ?? '';
    if (name in out) continue;
    const schema = components[name];
    if (schema === undefined) continue;
    out[name] = schema;
    visit(schema);
  }
  return out;
}

function hashOf(body: string): string {
  return createHash('sha512').update(body).digest('hex').slice(0, 128).toUpperCase();
}

/** `api/v1` or `apis/<group>/<version>`: the index key kubectl looks up (no leading slash). */
export function openApiPathKey(group: string, version: string): string {
  return group === '' ? `api/${version}` : `apis/${group}/${version}`;
}

export class OpenApiDocuments {
  readonly #cache = new WeakMap<readonly ResourceType[], Map<string, OpenApiDocument>>();
  readonly #components: (types: readonly ResourceType[]) => Readonly<Record<string, OpenApiSchema>>;

  /** @param components component schemas (shared refs) available to the types of a surface. */
  constructor(components: (types: readonly ResourceType[]) => Readonly<Record<string, OpenApiSchema>>) {
    this.#components = components;
  }

  #docs(types: readonly ResourceType[]): Map<string, OpenApiDocument> {
    let docs = this.#cache.get(types);
    if (docs) return docs;
    docs = new Map();
    const byGv = new Map<string, ResourceType[]>();
    for (const t of types) {
      const key = openApiPathKey(t.group, t.version);
      const list = byGv.get(key) ?? [];
      list.push(t);
      byGv.set(key, list);
    }
    const components = this.#components(types);
    for (const [key, gvTypes] of byGv) {
      const all: Record<string, OpenApiSchema> = { ...components };
      for (const t of gvTypes) all[t.schemaName] = t.schema;
      const roots = [...gvTypes.map((t) => t.schemaName), `${META}.Patch`, `${META}.DeleteOptions`, `${META}.Status`];
      const paths: Record<string, unknown> = {};
      for (const t of gvTypes) Object.assign(paths, pathsFor(t));
      const first = gvTypes[0];
      const body = JSON.stringify({
        openapi: '3.0.0',
        info: { title: 'Kubernetes', version: first ? groupVersionOf(first) : key },
        paths,
        components: { schemas: closure(roots, all) },
      });
      docs.set(key, { body, hash: hashOf(body) });
    }
    this.#cache.set(types, docs);
    return docs;
  }

  index(types: readonly ResourceType[]): string {
    const paths: Record<string, { serverRelativeURL: string }> = {};
    for (const [key, d] of this.#docs(types)) paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${d.hash}` };
    return JSON.stringify({ paths });
  }

  document(types: readonly ResourceType[], key: string): OpenApiDocument | undefined {
    return this.#docs(types).get(key);
  }
}
