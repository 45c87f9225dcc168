/**
 * Field paths as kube prints them. Two spellings exist and kube uses both for custom resources:
 *  - field.Path (`k8s.io/apimachinery/pkg/util/validation/field`): members `.name`, list items `[0]`, map keys
 *    `[key]`; used by CEL, list-type and embedded-resource errors. The nil path (an error on the object root)
 *    prints as `<nil>`.
 *  - kube-openapi's validator names: members and map keys alike `.name`, list items `[0]`; used by OpenAPI
 *    schema errors (apiextensions wraps the name in one field.Path child, so the text stays as is).
 */

export type PathSegment =
  | { readonly kind: 'field'; readonly name: string }
  | { readonly kind: 'index'; readonly index: number }
  | { readonly kind: 'key'; readonly key: string };

export type Path = readonly PathSegment[];

export function child(path: Path, name: string): Path {
  return [...path, { kind: 'field', name }];
}

export function index(path: Path, i: number): Path {
  return [...path, { kind: 'index', index: i }];
}

export function key(path: Path, k: string): Path {
  return [...path, { kind: 'key', key: k }];
}

/** field.Path's String(). */
export function fieldPathString(path: Path): string {
  if (path.length === 0) return '<nil>';
  let out = '';
  for (const segment of path) {
    if (segment.kind === 'field') out += out === '' ? segment.name : `.${segment.name}`;
    else if (segment.kind === 'index') out += `[${segment.index}]`;
    else out += `[${segment.key}]`;
  }
  return out;
}

/** kube-openapi's validator name (`spec.items[0].name`, map keys as members); empty at the root. */
export function openapiName(path: Path): string {
  let out = '';
  for (const segment of path) {
    if (segment.kind === 'index') out += `[${segment.index}]`;
    else out += `.${segment.kind === 'field' ? segment.name : segment.key}`;
  }
  return out.startsWith('.') ? out.slice(1) : out;
}
