/**
 * `kubectl kcp bind apiexport <path>:<export> [--name N] [--timeout 30s] [--accept-permission-claim r.g,...]
 * [--reject-permission-claim r.g,...] [--accept-all-permission-claims|--reject-all-permission-claims]`
 * (kcp cli/pkg/bind/plugin/bind.go): creates an APIBinding in the current workspace, in the apis.kcp.io version the
 * server prefers (discovery), and waits until its phase is Bound.
 */
import { poll } from './create-workspace-command.ts';
import { flagBool, flagString, parseGoDuration, type FlagSpec } from './flags.ts';
import { isJsonObject, type JsonObject } from './kubeconfig.ts';
import { goQuote, isValidPath, parseClusterUrl, splitPath } from './logical-cluster-path.ts';
import type { Session } from './plugin-runtime.ts';
import { claimString, type KcpClient, type PermissionClaim } from './workspace-client.ts';

export const BIND_FLAGS: readonly FlagSpec[] = [
  {
    name: 'accept-all-permission-claims',
    kind: 'bool',
    usage: 'Accept all permission claims from the APIExport.',
  },
  {
    name: 'accept-permission-claim',
    kind: 'strings',
    usage: 'List of accepted permission claims for the APIBinding. Format:  --accept-permission-claim resource.group',
  },
  { name: 'name', kind: 'string', usage: 'Name of the APIBinding to create.' },
  {
    name: 'reject-all-permission-claims',
    kind: 'bool',
    usage: 'Reject all permission claims from the APIExport.',
  },
  {
    name: 'reject-permission-claim',
    kind: 'strings',
    usage: 'List of rejected permission claims for the APIBinding. Format:  --reject-permission-claim resource.group',
  },
  {
    name: 'timeout',
    kind: 'duration',
    usage: 'Duration to wait for APIBinding to be created successfully.',
    defaultValue: '30s',
  },
];

const POLL_MS = 500;
const DEFAULT_TIMEOUT = '30s';
const GROUP = 'apis.kcp.io';
const BINDINGS: { readonly qualified: string } = { qualified: `apibindings.${GROUP}` };

/** An accepted or rejected claim as the plugin builds it: all objects, every verb. */
interface Claim extends PermissionClaim {
  readonly state: 'Accepted' | 'Rejected';
}

export interface BindOptions {
  readonly reference: string;
  readonly name: string;
  readonly timeoutMs: number;
  readonly accepted: readonly Claim[];
  readonly rejected: readonly Claim[];
  readonly acceptAll: boolean;
  readonly rejectAll: boolean;
}

/** parsePermissionClaim: `resource.group`, with `core` meaning the core group. */
function parseClaim(text: string, state: Claim['state']): Claim {
  const i = text.indexOf('.');
  if (i < 0) throw new Error(`invalid permission claim ${goQuote(text)}`);
  const group = text.slice(i + 1);
  return { resource: text.slice(0, i), group: group === 'core' ? '' : group, identityHash: '', verbs: ['*'], state };
}

/** pflag StringSlice values, comma-joined by the flag parser. */
function sliceValues(values: ReadonlyMap<string, string | boolean>, name: string): string[] {
  const v = flagString(values, name);
  return v === undefined || v === '' ? [] : v.split(',');
}

/** BindOptions.Complete + Validate, with kcp's checks in kcp's order. */
export function bindOptions(args: readonly string[], values: ReadonlyMap<string, string | boolean>): BindOptions {
  const reference = args[0] ?? '';
  if (reference === '') throw new Error('`root:ws:apiexport_object` reference to bind is required as an argument');
  const acceptAll = flagBool(values, 'accept-all-permission-claims');
  const rejectAll = flagBool(values, 'reject-all-permission-claims');
  const acceptList = sliceValues(values, 'accept-permission-claim');
  const rejectList = sliceValues(values, 'reject-permission-claim');
  if (acceptAll && rejectAll) {
    throw new Error('cannot use both --accept-all-permission-claims and --reject-all-permission-claims');
  }
  if (acceptAll && acceptList.length > 0) {
    throw new Error('cannot use --accept-all-permission-claims with --accept-permission-claim');
  }
  if (acceptAll && rejectList.length > 0) {
    throw new Error('cannot use --accept-all-permission-claims together with --reject-permission-claim');
  }
  if (rejectAll && rejectList.length > 0) {
    throw new Error('cannot use --reject-all-permission-claims with --reject-permission-claim');
  }
  if (rejectAll && acceptList.length > 0) {
    throw new Error('cannot use --reject-all-permission-claims together with --accept-permission-claim');
  }
  if (!isValidPath(splitPath(reference).parent)) {
    throw new Error(
      'fully qualified reference to workspace where APIExport exists is required. The format is `<logical-cluster-name>:<apiexport>` or `<full>:<path>:<to>:<apiexport>`',
    );
  }
  const parseAll = (list: readonly string[], state: Claim['state'], what: string): Claim[] => {
    const claims: Claim[] = [];
    const errors: string[] = [];
    for (const text of list) {
      try {
        claims.push(parseClaim(text, state));
      } catch (e) {
        errors.push(e instanceof Error ? e.message : String(e));
      }
    }
    // fmt's %v of a []error: the messages space-separated in brackets.
    if (errors.length > 0) throw new Error(`invalid ${what} permission claims: [${errors.join(' ')}]`);
    return claims;
  };
  const accepted = parseAll(acceptList, 'Accepted', 'accepted');
  const rejected = parseAll(rejectList, 'Rejected', 'rejected');
  for (const a of accepted) {
    for (const r of rejected) {
      if (a.group === r.group && a.resource === r.resource) {
        throw new Error(
          `accepted permission claim ${claimString(a)} conflicts with rejected permission claim ${claimString(r)}`,
        );
      }
    }
  }
  const timeout = flagString(values, 'timeout') ?? DEFAULT_TIMEOUT;
  return {
    reference,
    name: flagString(values, 'name') ?? '',
    timeoutMs: parseGoDuration(timeout),
    accepted,
    rejected,
    acceptAll,
    rejectAll,
  };
}

/**
 * helpers.PreferredVersion via discovery.ServerPreferredResources: the apis.kcp.io version serving `apibindings`,
 * the group's preferred version when it does, else the first listed one that does.
 */
async function preferredBindingVersion(client: KcpClient, cluster: string): Promise<string> {
  const fail = (message: string) => new Error(`service discovery failed: ${message}`);
  let groups: JsonObject;
  try {
    groups = await client.get(cluster, '/apis');
  } catch (e) {
    throw fail(`failed to discover APIs: ${e instanceof Error ? e.message : String(e)}`);
  }
  const group = (Array.isArray(groups['groups']) ? groups['groups'] : [])
    .filter(isJsonObject)
    .find((g) => g['name'] === GROUP);
  const versions = (Array.isArray(group?.['versions']) ? group['versions'] : [])
    .filter(isJsonObject)
    .map((v) => (typeof v['version'] === 'string' ? v['version'] : ''));
  const preferredField = group?.['preferredVersion'];
  const preferred =
    isJsonObject(preferredField) && typeof preferredField['version'] === 'string' ? preferredField['version'] : '';
  let chosen: string | undefined;
  for (const version of versions) {
    let list: JsonObject;
    try {
      list = await client.get(cluster, `/apis/${GROUP}/${version}`);
    } catch (e) {
      throw fail(
        `failed to discover APIs: unable to retrieve the complete list of server APIs: ${GROUP}/${version}: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
    const resources = Array.isArray(list['resources']) ? list['resources'] : [];
    const serves = resources.some((r) => isJsonObject(r) && r['name'] === 'apibindings');
    if (serves && (chosen === undefined || version === preferred)) chosen = version;
  }
  if (chosen === undefined) throw fail(`server does not serve apibindings.${GROUP}`);
  return chosen;
}

/** The claims of an APIExport, for --accept-all/--reject-all-permission-claims. */
async function exportClaims(
  client: KcpClient,
  path: string,
  name: string,
): Promise<{ group: string; resource: string }[]> {
  let apiExport: JsonObject;
  try {
    apiExport = await client.get(path, `/apis/${GROUP}/v1alpha1/apiexports/${encodeURIComponent(name)}`, {
      qualified: `apiexports.${GROUP}`,
      name,
    });
  } catch (e) {
    throw new Error(`failed to get APIExport ${goQuote(name)}: ${e instanceof Error ? e.message : String(e)}`, {
      cause: e,
    });
  }
  const spec = apiExport['spec'];
  const claims = isJsonObject(spec) && Array.isArray(spec['permissionClaims']) ? spec['permissionClaims'] : [];
  return claims.filter(isJsonObject).map((c) => ({
    group: typeof c['group'] === 'string' ? c['group'] : '',
    resource: typeof c['resource'] === 'string' ? c['resource'] : '',
  }));
}

/** The APIBinding object as client-go serializes the typed struct (empty status included). */
function bindingObject(version: string, name: string, path: string, exportName: string, claims: readonly Claim[]) {
  const permissionClaims =
    version === 'v1alpha1'
      ? // SetPermissionClaims for v1alpha1: every claim is `all: true` (verbs and selectors do not exist there).
        claims.map((c) => ({
          ...(c.group !== '' ? { group: c.group } : {}),
          resource: c.resource,
          all: true,
          state: c.state,
        }))
      : claims.map((c) => ({
          ...(c.group !== '' ? { group: c.group } : {}),
          resource: c.resource,
          verbs: [...c.verbs],
          selector: { matchAll: true },
          state: c.state,
        }));
  return {
    kind: 'APIBinding',
    apiVersion: `${GROUP}/${version}`,
    metadata: { name },
    spec: {
      reference: { export: { ...(path !== '' ? { path } : {}), name: exportName } },
      ...(permissionClaims.length > 0 ? { permissionClaims } : {}),
    },
    status: {},
  };
}

function isBound(binding: JsonObject): boolean {
  const status = binding['status'];
  return isJsonObject(status) && status['phase'] === 'Bound';
}

/** BindOptions.Run. */
export async function bindAPIExport(session: Session, options: BindOptions): Promise<void> {
  const host = session.restConfig().host;
  let current: string;
  try {
    current = parseClusterUrl(host).path;
  } catch {
    throw new Error(`current URL ${goQuote(host)} does not point to workspace`);
  }
  const client = session.client();
  const version = await preferredBindingVersion(client, current);
  const { parent: path, name: exportName } = splitPath(options.reference);

  const accepted = [...options.accepted];
  const rejected = [...options.rejected];
  if (options.acceptAll || options.rejectAll) {
    for (const claim of await exportClaims(client, path, exportName)) {
      const state = options.acceptAll ? 'Accepted' : 'Rejected';
      (options.acceptAll ? accepted : rejected).push({ ...claim, identityHash: '', verbs: ['*'], state });
    }
  }
  const name = options.name !== '' ? options.name : exportName;
  const collection = `/apis/${GROUP}/${version}/apibindings`;
  let binding: JsonObject;
  try {
    binding = await client.post(
      current,
      collection,
      bindingObject(version, name, path, exportName, [...accepted, ...rejected]),
      BINDINGS,
    );
  } catch (e) {
    throw new Error(`failed to create APIBinding: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  const metadata = binding['metadata'];
  const created = isJsonObject(metadata) && typeof metadata['name'] === 'string' ? metadata['name'] : name;
  const out = session.io.stdout;
  out(`apibinding ${created} created. Waiting to successfully bind ...\n`);

  if (!isBound(binding)) {
    try {
      await poll(session, POLL_MS, options.timeoutMs, async () => {
        binding = await client.get(current, `${collection}/${encodeURIComponent(created)}`, {
          ...BINDINGS,
          name: created,
        });
        return isBound(binding);
      });
    } catch (e) {
      throw new Error(`could not bind ${created}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
  }
  out(`${created} created and bound.\n`);
}
