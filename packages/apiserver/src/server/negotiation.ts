/**
 * Content negotiation for kube's media type parameters: `as=Table;g=meta.k8s.io;v=v1` for server-side tables and
 * `as=APIGroupDiscoveryList;g=apidiscovery.k8s.io;v=v2` for aggregated discovery. We speak JSON only; 406 when
 * the client accepts nothing we can produce (protobuf/CBOR only).
 */
import { errors } from '@kcp-ts/apimachinery';

export interface AcceptedType {
  readonly type: string;
  readonly params: Readonly<Record<string, string>>;
}

export function parseAccept(header: string | undefined): AcceptedType[] {
  if (header === undefined || header.trim() === '') return [{ type: '*/*', params: {} }];
  return header.split(',').map((part) => {
    const [type = '', ...rest] = part.split(';').map((s) => s.trim());
    const params: Record<string, string> = {};
    for (const p of rest) {
      const eq = p.indexOf('=');
      if (eq > 0) params[p.slice(0, eq).toLowerCase()] = p.slice(eq + 1);
    }
    return { type: type.toLowerCase(), params };
  });
}

function isJsonish(type: string): boolean {
  return type === 'application/json' || type === '*/*' || type === 'application/*';
}

export type ObjectRepresentation = 'object' | 'table';

/** For resource GET/LIST/WATCH: decide between a plain object and a meta.k8s.io Table. */
export function negotiateObject(header: string | undefined): ObjectRepresentation {
  const accepted = parseAccept(header);
  for (const a of accepted) {
    if (!isJsonish(a.type)) continue;
    if (a.params.as === undefined) return 'object';
    if (a.params.as === 'Table' && a.params.g === 'meta.k8s.io' && (a.params.v === 'v1' || a.params.v === 'v1beta1'))
      return 'table';
  }
  if (accepted.some((a) => a.type === 'application/yaml')) return 'object';
  throw errors.notAcceptable('only the following media types are accepted: application/json, application/yaml');
}

export type DiscoveryRepresentation = 'aggregated-v2' | 'aggregated-v2beta1' | 'legacy';

export function negotiateDiscovery(header: string | undefined): DiscoveryRepresentation {
  for (const a of parseAccept(header)) {
    if (!isJsonish(a.type)) continue;
    if (a.params.as === 'APIGroupDiscoveryList' && a.params.g === 'apidiscovery.k8s.io') {
      if (a.params.v === 'v2') return 'aggregated-v2';
      if (a.params.v === 'v2beta1') return 'aggregated-v2beta1';
      continue;
    }
    if (a.params.as === undefined) return 'legacy';
  }
  return 'legacy';
}
