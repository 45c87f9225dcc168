/**
 * Summarises a V8 `.cpuprofile` (written by the shard child under `--cpu-prof`) so the benchmark report can name
 * the server's bottleneck without opening DevTools: the hottest functions by self time (where the CPU goes, often
 * native: writev, JSON, GC) and our own functions by inclusive time (which code path pays for it).
 * Usage as a script: `node test/bench/cpu-profile.ts <file.cpuprofile> [top]`.
 */
import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: readonly number[];
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface HotFunction {
  readonly name: string;
  readonly location: string;
  readonly ms: number;
  /** Percent of busy (non-idle) sampled time. */
  readonly percent: number;
}

export interface ProfileSummary {
  readonly totalMs: number;
  /** Sampled time not spent idle; percentages are of this, so a mostly idle profile still ranks the work. */
  readonly busyMs: number;
  readonly bySelf: readonly HotFunction[];
  /** Functions under packages/ only, by time including callees (recursion counted once). */
  readonly ourInclusive: readonly HotFunction[];
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function isCpuProfile(value: unknown): value is CpuProfile {
  return typeof value === 'object' && value !== null && 'nodes' in value && 'samples' in value && 'timeDeltas' in value;
}

function describe(node: ProfileNode): { key: string; name: string; location: string } {
  const frame = node.callFrame;
  const file = frame.url.startsWith('file://') ? relative(ROOT, fileURLToPath(frame.url)) : frame.url;
  const location = file === '' ? '' : `${file}:${frame.lineNumber + 1}`;
  const name = frame.functionName === '' ? '(anonymous)' : frame.functionName;
  return { key: `${name}@${location}`, name, location };
}

export async function hotFunctions(path: string, top = 25): Promise<ProfileSummary> {
  const parsed: unknown = JSON.parse(await readFile(path, 'utf8'));
  if (!isCpuProfile(parsed)) throw new Error(`${path} is not a V8 cpuprofile`);
  const byId = new Map<number, ProfileNode>();
  for (const node of parsed.nodes) byId.set(node.id, node);
  const nodeSelfUs = new Map<number, number>();
  let totalUs = 0;
  parsed.samples.forEach((id, i) => {
    const delta = parsed.timeDeltas[i] ?? 0;
    totalUs += delta;
    nodeSelfUs.set(id, (nodeSelfUs.get(id) ?? 0) + delta);
  });

  // Self time per function (not per node: one function appears under many call paths).
  const self = new Map<string, { name: string; location: string; us: number }>();
  let idleUs = 0;
  for (const [id, us] of nodeSelfUs) {
    const node = byId.get(id);
    if (node === undefined) continue;
    const d = describe(node);
    if (d.name === '(idle)') idleUs += us;
    const entry = self.get(d.key) ?? { name: d.name, location: d.location, us: 0 };
    entry.us += us;
    self.set(d.key, entry);
  }
  const busyUs = totalUs - idleUs;

  // Inclusive time: walk the call tree from the root (the first node), charging each function once per path.
  const inclusive = new Map<string, { name: string; location: string; us: number }>();
  const onStack = new Map<string, number>();
  const walk = (id: number): number => {
    const node = byId.get(id);
    if (node === undefined) return 0;
    const d = describe(node);
    const depth = onStack.get(d.key) ?? 0;
    onStack.set(d.key, depth + 1);
    let us = nodeSelfUs.get(id) ?? 0;
    for (const child of node.children ?? []) us += walk(child);
    onStack.set(d.key, depth);
    if (depth === 0 && d.location.startsWith('packages/')) {
      const entry = inclusive.get(d.key) ?? { name: d.name, location: d.location, us: 0 };
      entry.us += us;
      inclusive.set(d.key, entry);
    }
    return us;
  };
  const rootId = parsed.nodes[0]?.id;
  if (rootId !== undefined) walk(rootId);

  const rank = (m: Map<string, { name: string; location: string; us: number }>): HotFunction[] =>
    [...m.values()]
      .filter((f) => f.name !== '(idle)')
      .sort((a, b) => b.us - a.us)
      .slice(0, top)
      .map((f) => ({
        name: f.name,
        location: f.location,
        ms: f.us / 1000,
        percent: busyUs === 0 ? 0 : (100 * f.us) / busyUs,
      }));
  return { totalMs: totalUs / 1000, busyMs: busyUs / 1000, bySelf: rank(self), ourInclusive: rank(inclusive) };
}

export function formatHotFunctions(summary: ProfileSummary): string {
  const table = (title: string, rows: readonly HotFunction[]): string[] => [
    '',
    `| ${title} ms | % busy | function | location |`,
    '|---:|---:|---|---|',
    ...rows.map((f) => `| ${f.ms.toFixed(0)} | ${f.percent.toFixed(1)} | ${f.name} | ${f.location} |`),
  ];
  return [
    `profile: ${(summary.totalMs / 1000).toFixed(1)} s sampled, ${(summary.busyMs / 1000).toFixed(1)} s busy`,
    ...table('self', summary.bySelf),
    ...table('inclusive (packages/ only)', summary.ourInclusive),
  ].join('\n');
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
