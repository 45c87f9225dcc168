/**
 * Prometheus metrics with kube-apiserver's names and label sets. No label ever carries a logical cluster or
 * namespace: series count must not grow with the number of workspaces (DESIGN §10).
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface RequestLabels {
  verb: string;
  group: string;
  version: string;
  resource: string;
  subresource: string;
  scope: string;
  dryRun: boolean;
}

export class ApiServerMetrics {
  readonly registry = new Registry();
  readonly requestTotal: Counter<
    'verb' | 'dry_run' | 'group' | 'version' | 'resource' | 'subresource' | 'scope' | 'component' | 'code'
  >;
  readonly requestDuration: Histogram<
    'verb' | 'dry_run' | 'group' | 'version' | 'resource' | 'subresource' | 'scope' | 'component'
  >;
  readonly registeredWatchers: Gauge<'group' | 'version' | 'kind'>;
  readonly etcdRequestDuration: Histogram<'operation' | 'type'>;
  readonly storageObjects: Gauge<'resource'>;

  constructor(options: { defaultMetrics?: boolean; storageObjects?: () => Map<string, number> } = {}) {
    if (options.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry });
    this.requestTotal = new Counter({
      name: 'apiserver_request_total',
      help: 'Counter of apiserver requests broken out for each verb, dry run value, group, version, resource, scope, component, and HTTP response code.',
      labelNames: ['verb', 'dry_run', 'group', 'version', 'resource', 'subresource', 'scope', 'component', 'code'],
      registers: [this.registry],
    });
    this.requestDuration = new Histogram({
      name: 'apiserver_request_duration_seconds',
      help: 'Response latency distribution in seconds for each verb, dry run value, group, version, resource, subresource, scope and component.',
      labelNames: ['verb', 'dry_run', 'group', 'version', 'resource', 'subresource', 'scope', 'component'],
      buckets: [0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45, 60],
      registers: [this.registry],
    });
    this.registeredWatchers = new Gauge({
      name: 'apiserver_registered_watchers',
      help: 'Number of currently registered watchers for a given resources',
      labelNames: ['group', 'version', 'kind'],
      registers: [this.registry],
    });
    this.etcdRequestDuration = new Histogram({
      name: 'etcd_request_duration_seconds',
      help: 'Etcd request latency in seconds for each operation and object type.',
      labelNames: ['operation', 'type'],
      buckets: [0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45, 60],
      registers: [this.registry],
    });
    const counts = options.storageObjects;
    this.storageObjects = new Gauge({
      name: 'apiserver_storage_objects',
      help: 'Number of stored objects at the time of last check split by kind.',
      labelNames: ['resource'],
      registers: [this.registry],
      collect() {
        if (counts === undefined) return;
        this.reset();
        for (const [resource, n] of counts()) this.set({ resource }, n);
      },
    });
  }

  observeRequest(labels: RequestLabels, code: number, seconds: number): void {
    const base = {
      verb: labels.verb.toUpperCase(),
      dry_run: labels.dryRun ? 'All' : '',
      group: labels.group,
      version: labels.version,
      resource: labels.resource,
      subresource: labels.subresource,
      scope: labels.scope,
      component: 'apiserver',
    };
    this.requestTotal.inc({ ...base, code: String(code) });
    // kube excludes long-running requests (watches) from the latency histogram.
    if (labels.verb !== 'WATCH' && labels.verb !== 'watch') this.requestDuration.observe(base, seconds);
  }

  /** Hook for storage: `observe(operation, resourcePrefixId, seconds)`. The type label is the resource, never a cluster. */
  readonly observeEtcd = (operation: string, type: string, seconds: number): void => {
    this.etcdRequestDuration.observe({ operation, type }, seconds);
  };
}
