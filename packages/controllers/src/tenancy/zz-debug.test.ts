import { it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { startEtcd } from '/work/main/test/harness/etcd.ts';
import { startTestShard, TYPES } from '/work/main/packages/controllers/src/tenancy/tenancy-test-shard.ts';
import { logicalClusterObject, shardObject, workspaceObject, workspaceTypeObject } from '/work/main/packages/controllers/src/tenancy/common/tenancy-test-fixtures.ts';
import type { KubeObject } from '@kcp-ts/apimachinery';

function forCreate(object: KubeObject): KubeObject {
  const { resourceVersion: _rv, uid: _uid, creationTimestamp: _ct, ...metadata } = object.metadata;
  const annotations = { ...metadata.annotations };
  delete annotations['kcp.io/cluster'];
  return { ...object, metadata: { ...metadata, annotations } };
}
it('debug', async () => {
  const etcd = await startEtcd();
  const remote = await startTestShard({ etcdEndpoint: etcd.endpoint, shardName: 'beta', serve: true });
  const home = await startTestShard({ etcdEndpoint: etcd.endpoint, shardName: 'root' });
  const ctx = home.ctx('root');
  await home.registry.create(ctx, TYPES.logicalClusters, undefined, forCreate(logicalClusterObject('root', { path: 'root' })));
  await home.registry.create(ctx, TYPES.shards, undefined, forCreate(shardObject('beta', { labels: { region: 'us' }, baseURL: remote.url! })));
  await home.registry.create(ctx, TYPES.workspaceTypes, undefined, forCreate(workspaceTypeObject('universal', { initializer: true })));
  await home.registry.create(ctx, TYPES.workspaces, undefined, forCreate(workspaceObject('far', {})));
  await delay(2000);
  const ws = await home.registry.get(ctx, TYPES.workspaces, undefined, 'far');
  console.log(JSON.stringify(ws, null, 1));
  const cluster = (ws.spec as {cluster: string}).cluster;
  console.log(JSON.stringify(await remote.registry.get(remote.ctx(cluster), TYPES.logicalClusters, undefined, 'cluster'), null, 1));
  await home.registry.delete(ctx, TYPES.workspaces, undefined, 'far');
  await delay(3000);
  try { console.log(JSON.stringify(await home.registry.get(ctx, TYPES.workspaces, undefined, 'far'), null, 1)); } catch (e) { console.log('ws gone', String(e)); }
  try { console.log(JSON.stringify(await remote.registry.get(remote.ctx(cluster), TYPES.logicalClusters, undefined, 'cluster'), null, 1)); } catch (e) { console.log('lc gone', String(e)); }
  console.log(JSON.stringify((await remote.registry.list(remote.ctx(cluster), TYPES.namespaces, undefined, {})).items.map(n => [n.metadata.name, n.metadata.deletionTimestamp, n.spec, n.status])));
  await home.stop(); await remote.stop(); await etcd.stop();
});
