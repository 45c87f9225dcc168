/**
 * Summarises a V8 `.cpuprofile` (written by the shard child under `--cpu-prof`) into its hottest functions by
 * self time, so the benchmark report can name the server's bottleneck without opening DevTools.
 * Usage as a script: `node test/bench/cpu-profile.ts <file.cpuprofile> [top]`.
 */
import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface HotFunction {
  readonly name: string;
  readonly location: string;
  readonly selfMs: number;
  readonly percent: number;
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function isCpuProfile(value: unknown): value is CpuProfile {
  return typeof value === 'object' && value !== null && 'nodes' in value && 'samples' in value && 'timeDeltas' in value;
}

export async function hotFunctions(path: string, top = 25): Promise<{ totalMs: number; functions: HotFunction[] }> {
  const parsed: unknown = JSON.parse(await readFile(path, 'utf8'));
  if (!isCpuProfile(parsed)) throw new Error(`${path} is not a V8 cpuprofile`);
  const byId = new Map<number, ProfileNode>();
  for (const node of parsed.nodes) byId.set(node.id, node);
  // Self time per function (not per node: one function appears under many call paths).
  const selfUs = new Map<string, { name: string; location: string; us: number }>();
  let totalUs = 0;
  parsed.samples.forEach((id, i) => {
    const delta = parsed.timeDeltas[i] ?? 0;
    totalUs += delta;
    const frame = byId.get(id)?.callFrame;
    if (frame === undefined) return;
    const file = frame.url.startsWith('file://') ? relative(ROOT, fileURLToPath(frame.url)) : frame.url;
    const location = file === '' ? '' : `${file}:${frame.lineNumber + 1}`;
    const name = frame.functionName === '' ? '(anonymous)' : frame.functionName;
    const key = `${name}@${location}`;
    const entry = selfUs.get(key) ?? { name, location, us: 0 };
    entry.us += delta;
    selfUs.set(key, entry);
  });
  const functions = [...selfUs.values()]
    .sort((a, b) => b.us - a.us)
    .slice(0, top)
    .map((f) => ({
      name: f.name,
      location: f.location,
      selfMs: f.us / 1000,
      percent: totalUs === 0 ? 0 : (100 * f.us) / totalUs,
    }));
  return { totalMs: totalUs / 1000, functions };
}

export function formatHotFunctions(summary: { totalMs: number; functions: readonly HotFunction[] }): string {
  const lines = [
    `profile: ${(summary.totalMs / 1000).toFixed(1)} s sampled`,
    '| self ms | % | function | location |',
    '|---:|---:|---|---|',
  ];
  for (const f of summary.functions) {
    lines.push(`| ${f.selfMs.toFixed(0)} | ${f.percent.toFixed(1)} | ${f.name} | ${f.location} |`);
  }
  return lines.join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const file = process.argv[2];
  if (file === undefined) {
    process.stderr.write('usage: node test/bench/cpu-profile.ts <file.cpuprofile> [top]\n');
    process.exit(2);
  }
  const summary = await hotFunctions(file, Number(process.argv[3] ?? 25));
  process.stdout.write(`${formatHotFunctions(summary)}\n`);
}
