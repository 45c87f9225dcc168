/**
 * Child process for leader-election tests: `node leader-election-fixture.ts <endpoint> <name> <identity> <mode>`.
 * Prints `LEADING` once elected. Mode `hold`: lead until killed (the SIGKILL failover test). Mode `stop`: once
 * leading, `stop()` then `close()` the client and print `STOPPED` — the process must then exit BY ITSELF (no
 * process.exit), which is what proves that nothing (keepalive, watcher, timer) was leaked.
 */
import { LeaderElector } from './leader-election.ts';
import { newTestEtcdClient } from './etcd-test-client.ts';

const [endpoint, name, identity, mode] = process.argv.slice(2);
if (endpoint === undefined || name === undefined || identity === undefined) {
  throw new Error('usage: leader-election-fixture.ts <endpoint> <name> <identity> hold|stop');
}
const client = newTestEtcdClient(endpoint);
const elector = new LeaderElector({
  client,
  name,
  identity,
  ttlSeconds: 2,
  onStartedLeading: () => {
    process.stdout.write('LEADING\n');
    if (mode === 'stop') {
      setImmediate(() => {
        elector
          .stop()
          .then(() => {
            client.close();
            process.stdout.write('STOPPED\n');
          })
          .catch((error: unknown) => {
            process.stderr.write(`${String(error)}\n`);
            process.exitCode = 1;
          });
      });
    }
  },
});
elector.start();
