import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import { startFrontProxy } from './src/index.ts';
import { silentLogger } from './src/logger.ts';

const body = JSON.stringify({ kind: 'ConfigMap', metadata: { name: 'x' } });
const upstream = createServer((req, res) => { req.resume(); req.on('end', () => { res.writeHead(201, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }); res.end(body); }); });
await new Promise<void>(r => upstream.listen(0, '127.0.0.1', r));
const upURL = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
const proxy = await startFrontProxy({ listen: { host: '127.0.0.1', port: 0 }, rootShardURL: upURL, logger: silentLogger, defaultMetrics: false, backoff: { initialMs: 60000, maxMs: 60000 } });

async function run(base: string, path: string, n: number, conc: number) {
  const pool = new Pool(base, { connections: conc });
  const payload = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' }, data: { k: 'x'.repeat(100) } });
  let i = 0; const lat: number[] = [];
  const t0 = performance.now();
  await Promise.all(Array.from({ length: conc }, async () => {
    while (i++ < n) {
      const s = performance.now();
      const r = await pool.request({ path, method: 'POST', body: payload, headers: { 'content-type': 'application/json' } });
      await r.body.dump();
      lat.push(performance.now() - s);
    }
  }));
  const secs = (performance.now() - t0) / 1000;
  lat.sort((a, b) => a - b);
  await pool.close();
  return `${(n / secs).toFixed(0)} req/s p50 ${lat[Math.floor(lat.length * 0.5)]!.toFixed(2)}ms p99 ${lat[Math.floor(lat.length * 0.99)]!.toFixed(2)}ms`;
}
for (const conc of [1, 32]) {
  console.log('direct', conc, await run(upURL, '/version', 30000, conc));
  console.log('proxy ', conc, await run(proxy.url, '/version', 30000, conc));
}
await proxy.stop(); upstream.close();
