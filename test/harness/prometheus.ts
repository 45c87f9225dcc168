/**
 * Starts a real Prometheus (Debian's /usr/bin/prometheus) on loopback with a temp config and TSDB, scraping given
 * targets every second (over HTTPS with a CA file and a bearer token file when the job says so); stopped by PID.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { parse as parseYaml } from 'yaml';
import { freePort } from './etcd.ts';
import { LineTail } from './process.ts';

export interface PrometheusProcess {
  /** e.g. http://127.0.0.1:40123 */
  readonly url: string;
  readonly pid: number;
  logs(n?: number): string;
  stop(): Promise<void>;
}

export interface ScrapeJob {
  readonly jobName: string;
  /** host:port */
  readonly target: string;
  readonly metricsPath?: string;
  /** `https` for a TLS target (default http). */
  readonly scheme?: 'http' | 'https';
  /** CA file that verifies the target's serving certificate. */
  readonly caFile?: string;
  /** File holding the bearer token Prometheus presents (`authorization.credentials_file`). */
  readonly bearerTokenFile?: string;
}

/** The scrape configuration shipped for `kcp-ts start` (jobs kcp-front-proxy and kcp-shard). */
export const DEPLOY_PROMETHEUS_CONFIG = fileURLToPath(new URL('../../deploy/prometheus.yml', import.meta.url));

/**
 * The jobs of deploy/prometheus.yml as shipped (scheme, CA file, credentials file), pointed at this test's
 * servers: `targets` maps job name → host:port, and file paths under the config's `../.kcp-ts/` are resolved in
 * `rootDir` (the start's --root-dir). Fails when the shipped config lacks a job or uses something else.
 */
export function deployScrapeJobs(rootDir: string, targets: Readonly<Record<string, string>>): ScrapeJob[] {
  const doc: unknown = parseYaml(readFileSync(DEPLOY_PROMETHEUS_CONFIG, 'utf8'));
  const rec = (v: unknown): Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  const configs = rec(doc)['scrape_configs'];
  const jobs: ScrapeJob[] = [];
  const local = (file: unknown): string => {
    if (typeof file !== 'string' || !file.startsWith('../.kcp-ts/')) {
      throw new Error(`${DEPLOY_PROMETHEUS_CONFIG}: expected a path under ../.kcp-ts/, got ${String(file)}`);
    }
    return join(rootDir, file.slice('../.kcp-ts/'.length));
  };
  for (const c of Array.isArray(configs) ? (configs as unknown[]) : []) {
    const job = rec(c);
    const jobName = String(job['job_name']);
    const target = targets[jobName];
    if (target === undefined) continue;
    const scheme = job['scheme'];
    const tls = rec(job['tls_config']);
    const authorization = rec(job['authorization']);
    jobs.push({
      jobName,
      target,
      ...(typeof job['metrics_path'] === 'string' ? { metricsPath: job['metrics_path'] } : {}),
      ...(scheme === 'https' || scheme === 'http' ? { scheme } : {}),
      ...(tls['ca_file'] === undefined ? {} : { caFile: local(tls['ca_file']) }),
      ...(authorization['credentials_file'] === undefined
        ? {}
        : { bearerTokenFile: local(authorization['credentials_file']) }),
    });
  }
  const missing = Object.keys(targets).filter((name) => !jobs.some((j) => j.jobName === name));
  if (missing.length > 0) throw new Error(`${DEPLOY_PROMETHEUS_CONFIG} has no job ${missing.join(', ')}`);
  return jobs;
}

export async function startPrometheus(jobs: readonly ScrapeJob[]): Promise<PrometheusProcess> {
  const dir = await mkdtemp(join(tmpdir(), 'kcp-ts-prometheus-'));
  const config = [
    'global:',
    '  scrape_interval: 1s',
    '  scrape_timeout: 1s',
    '  evaluation_interval: 1s',
    'scrape_configs:',
    ...jobs.flatMap((j) => [
      `  - job_name: ${JSON.stringify(j.jobName)}`,
      `    metrics_path: ${JSON.stringify(j.metricsPath ?? '/metrics')}`,
      ...(j.scheme === undefined ? [] : [`    scheme: ${j.scheme}`]),
      ...(j.caFile === undefined ? [] : ['    tls_config:', `      ca_file: ${JSON.stringify(j.caFile)}`]),
      ...(j.bearerTokenFile === undefined
        ? []
        : ['    authorization:', `      credentials_file: ${JSON.stringify(j.bearerTokenFile)}`]),
      '    static_configs:',
      `      - targets: [${JSON.stringify(j.target)}]`,
    ]),
    '',
  ].join('\n');
  const configPath = join(dir, 'prometheus.yml');
  await writeFile(configPath, config);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    'prometheus',
    [
      `--config.file=${configPath}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const tail = new LineTail(200);
  child.stdout.on('data', (d: Buffer) => tail.push(d.toString('utf8')));
  child.stderr.on('data', (d: Buffer) => tail.push(d.toString('utf8')));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const hard = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(hard);
    }
    await rm(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline && child.exitCode === null) {
    try {
      const res = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(500) });
      if (res.ok) return { url, pid: child.pid ?? 0, logs: (n = 60) => tail.tail(n), stop };
    } catch {
      // not listening yet
    }
    await sleep(50);
  }
  const logs = tail.tail(60);
  await stop();
  throw new Error(`prometheus did not become ready:\n${logs}`);
}
