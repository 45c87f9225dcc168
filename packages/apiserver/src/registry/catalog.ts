/**
 * The API surface per logical cluster. Built-in types are shared by every cluster: `resources()` returns the same
 * array instance for all of them, which lets discovery and OpenAPI memoize one document set for thousands of
 * workspaces. CRDs and bindings (later issues) add per-cluster types on top.
 */
import type { ResourceCatalog } from './registry.ts';
import type { ResourceType } from './resource-type.ts';

export class StaticCatalog implements ResourceCatalog {
  readonly #types: readonly ResourceType[];
  readonly #byKey = new Map<string, ResourceType>();

  constructor(types: readonly ResourceType[]) {
    this.#types = Object.freeze([...types]);
    for (const t of types) this.#byKey.set(`${t.group}/${t.version}/${t.resource}`, t);
  }

  resources(): readonly ResourceType[] {
    return this.#types;
  }

  lookup(_cluster: string, group: string, version: string, resource: string): ResourceType | undefined {
    return this.#byKey.get(`${group}/${version}/${resource}`);
  }

  onChange(): () => void {
    // Built-ins never change at runtime.
    return () => undefined;
  }
}
