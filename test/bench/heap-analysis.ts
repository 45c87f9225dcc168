/**
 * A small V8 heap snapshot analyser for the per-workspace memory budget (DESIGN §10), so the question "what does a
 * workspace cost" is answered from data rather than guesses. It parses `.heapsnapshot` files without one giant
 * JSON.parse (snapshots of a loaded shard exceed V8's maximum string length), computes the dominator tree
 * (Cooper–Harvey–Kennedy, weak edges ignored) and compares two snapshots of ONE process (V8 keeps node ids
 * stable within a process):
 *
 * - self size and count growth per constructor / node type, divided by the number of workspaces added;
 * - the holders whose retained size grew most (matched by node id), each with its dominator chain, which names
 *   the structure that keeps the memory (e.g. `WatchCache → Map → ResourceCache → EventWindow → Array`).
 *
 * Usage as a script: `node test/bench/heap-analysis.ts <before.heapsnapshot> <after.heapsnapshot> [workspaces]`.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

interface Snapshot {
  readonly nodeCount: number;
  /** Per node: type index, name string index, id, self size, first edge offset (into edgeTo/edgeType). */
  readonly type: Uint8Array;
  readonly name: Uint32Array;
  readonly id: Uint32Array;
  readonly selfSize: Float64Array;
  readonly firstEdge: Uint32Array;
  readonly edgeType: Uint8Array;
  readonly edgeName: Uint32Array;
  /** Edge target as a node ordinal. */
  readonly edgeTo: Uint32Array;
  readonly nodeTypes: readonly string[];
  readonly edgeTypes: readonly string[];
  readonly strings: readonly string[];
}

interface Meta {
  readonly node_fields: readonly string[];
  readonly node_types: readonly [readonly string[], ...unknown[]];
  readonly edge_fields: readonly string[];
  readonly edge_types: readonly [readonly string[], ...unknown[]];
}

/** Reads the numbers of the JSON array starting at `start` (just after `[`) into a Float64Array. */
function scanNumbers(buf: Buffer, start: number, expected: number): { values: Float64Array; end: number } {
  const values = new Float64Array(expected);
  let count = 0;
  let current = 0;
  let inNumber = false;
  let i = start;
  for (; i < buf.length; i++) {
    const c = buf[i] ?? 0;
    if (c >= 48 && c <= 57) {
      current = current * 10 + (c - 48);
      inNumber = true;
    } else {
      if (inNumber) {
        values[count++] = current;
        current = 0;
        inNumber = false;
      }
      if (c === 93) break; // ]
    }
  }
  if (count !== expected) throw new Error(`expected ${expected} numbers, read ${count}`);
  return { values, end: i };
}

export async function loadSnapshot(path: string): Promise<Snapshot> {
  const buf = await readFile(path);
  const nodesAt = buf.indexOf('"nodes":[');
  const header = JSON.parse(`${buf.toString('utf8', 0, nodesAt).replace(/,\s*$/, '')}}`) as {
    snapshot: { meta: Meta; node_count: number; edge_count: number };
  };
  const { meta, node_count: nodeCount, edge_count: edgeCount } = header.snapshot;
  const nf = meta.node_fields.length;
  const ef = meta.edge_fields.length;
  const nodes = scanNumbers(buf, nodesAt + '"nodes":['.length, nodeCount * nf);
  const edgesAt = buf.indexOf('"edges":[', nodes.end);
  const edges = scanNumbers(buf, edgesAt + '"edges":['.length, edgeCount * ef);
  const stringsAt = buf.indexOf('"strings":[', edges.end);
  const stringsEnd = buf.lastIndexOf(']');
  const strings = JSON.parse(buf.toString('utf8', stringsAt + '"strings":'.length, stringsEnd + 1)) as string[];

  const fi = (field: string, fields: readonly string[]): number => fields.indexOf(field);
  const [nType, nName, nId, nSelf, nEdges] = ['type', 'name', 'id', 'self_size', 'edge_count'].map((f) =>
    fi(f, meta.node_fields),
  ) as [number, number, number, number, number];
  const [eType, eName, eTo] = ['type', 'name_or_index', 'to_node'].map((f) => fi(f, meta.edge_fields)) as [
    number,
    number,
    number,
  ];
  const type = new Uint8Array(nodeCount);
  const name = new Uint32Array(nodeCount);
  const id = new Uint32Array(nodeCount);
  const selfSize = new Float64Array(nodeCount);
  const firstEdge = new Uint32Array(nodeCount + 1);
  let edge = 0;
  for (let n = 0; n < nodeCount; n++) {
    const base = n * nf;
    type[n] = nodes.values[base + nType] ?? 0;
    name[n] = nodes.values[base + nName] ?? 0;
    id[n] = nodes.values[base + nId] ?? 0;
    selfSize[n] = nodes.values[base + nSelf] ?? 0;
    firstEdge[n] = edge;
    edge += nodes.values[base + nEdges] ?? 0;
  }
  firstEdge[nodeCount] = edge;
  const edgeType = new Uint8Array(edgeCount);
  const edgeName = new Uint32Array(edgeCount);
  const edgeTo = new Uint32Array(edgeCount);
  for (let e = 0; e < edgeCount; e++) {
    const base = e * ef;
    edgeType[e] = edges.values[base + eType] ?? 0;
    edgeName[e] = edges.values[base + eName] ?? 0;
    edgeTo[e] = (edges.values[base + eTo] ?? 0) / nf;
  }
  return {
    nodeCount,
    type,
    name,
    id,
    selfSize,
    firstEdge,
    edgeType,
    edgeName,
    edgeTo,
    nodeTypes: meta.node_types[0],
    edgeTypes: meta.edge_types[0],
    strings,
  };
}

/** Constructor name for objects and closures, `(type)` for everything else (strings, arrays, code…). */
export function classOf(s: Snapshot, n: number): string {
  const type = s.nodeTypes[s.type[n] ?? 0] ?? '?';
  if (type === 'object' || type === 'closure') return s.strings[s.name[n] ?? 0] ?? '?';
  if (type === 'native' || type === 'hidden' || type === 'array')
    return `(${type}) ${(s.strings[s.name[n] ?? 0] ?? '').slice(0, 40)}`;
  return `(${type})`;
}

/** Immediate dominators (node 0 = the synthetic root) and retained sizes. */
export function dominators(s: Snapshot): { idom: Int32Array; retained: Float64Array } {
  const n = s.nodeCount;
  const weak = s.edgeTypes.indexOf('weak');
  const shortcut = s.edgeTypes.indexOf('shortcut');
  const skip = (e: number): boolean => s.edgeType[e] === weak || s.edgeType[e] === shortcut;
  // Post-order DFS from the root.
  const order = new Int32Array(n).fill(-1); // post-order number
  const byOrder = new Int32Array(n);
  const stackNode = new Int32Array(n);
  const stackEdge = new Uint32Array(n);
  const visited = new Uint8Array(n);
  let counter = 0;
  stackNode[0] = 0;
  stackEdge[0] = s.firstEdge[0] ?? 0;
  visited[0] = 1;
  let sp = 1;
  while (sp > 0) {
    const node = stackNode[sp - 1] ?? 0;
    const e = stackEdge[sp - 1] ?? 0;
    if (e < (s.firstEdge[node + 1] ?? 0)) {
      stackEdge[sp - 1] = e + 1;
      if (skip(e)) continue;
      const to = s.edgeTo[e] ?? 0;
      if (visited[to] === 0) {
        visited[to] = 1;
        stackNode[sp] = to;
        stackEdge[sp] = s.firstEdge[to] ?? 0;
        sp++;
      }
    } else {
      order[node] = counter;
      byOrder[counter] = node;
      counter++;
      sp--;
    }
  }
  // Predecessors (CSR), reachable nodes only.
  const predCount = new Uint32Array(n + 1);
  for (let from = 0; from < n; from++) {
    if (visited[from] === 0) continue;
    for (let e = s.firstEdge[from] ?? 0; e < (s.firstEdge[from + 1] ?? 0); e++) {
      if (!skip(e)) predCount[(s.edgeTo[e] ?? 0) + 1]!++;
    }
  }
  for (let i = 1; i <= n; i++) predCount[i]! += predCount[i - 1] ?? 0;
  const preds = new Uint32Array(predCount[n] ?? 0);
  const fill = predCount.slice(0, n);
  for (let from = 0; from < n; from++) {
    if (visited[from] === 0) continue;
    for (let e = s.firstEdge[from] ?? 0; e < (s.firstEdge[from + 1] ?? 0); e++) {
      if (skip(e)) continue;
      const to = s.edgeTo[e] ?? 0;
      preds[fill[to]!++] = from;
    }
  }
  const idom = new Int32Array(n).fill(-1);
  idom[0] = 0;
  const intersect = (a: number, b: number): number => {
    let x = a;
    let y = b;
    while (x !== y) {
      while ((order[x] ?? 0) < (order[y] ?? 0)) x = idom[x] ?? 0;
      while ((order[y] ?? 0) < (order[x] ?? 0)) y = idom[y] ?? 0;
    }
    return x;
  };
  for (let changed = true; changed;) {
    changed = false;
    for (let k = counter - 2; k >= 0; k--) {
      const node = byOrder[k] ?? 0;
      let dom = -1;
      for (let p = predCount[node] ?? 0; p < (predCount[node + 1] ?? 0); p++) {
        const pred = preds[p] ?? 0;
        if (idom[pred] === -1) continue;
        dom = dom === -1 ? pred : intersect(pred, dom);
      }
      if (dom !== -1 && idom[node] !== dom) {
        idom[node] = dom;
        changed = true;
      }
    }
  }
  const retained = new Float64Array(n);
  for (let k = 0; k < counter; k++) {
    const node = byOrder[k] ?? 0;
    retained[node]! += s.selfSize[node] ?? 0;
    if (node !== 0) retained[idom[node] ?? 0]! += retained[node] ?? 0;
  }
  return { idom, retained };
}

function bySelf(s: Snapshot, reachable: Int32Array): Map<string, { size: number; count: number }> {
  const result = new Map<string, { size: number; count: number }>();
  for (let i = 0; i < s.nodeCount; i++) {
    if (reachable[i] === -1) continue;
    const key = classOf(s, i);
    const entry = result.get(key) ?? { size: 0, count: 0 };
    entry.size += s.selfSize[i] ?? 0;
    entry.count++;
    result.set(key, entry);
  }
  return result;
}

/** The name of the edge from `parent` to `child`, if there is one (for readable dominator chains). */
function edgeLabel(s: Snapshot, parent: number, child: number): string {
  for (let e = s.firstEdge[parent] ?? 0; e < (s.firstEdge[parent + 1] ?? 0); e++) {
    if (s.edgeTo[e] !== child) continue;
    const type = s.edgeTypes[s.edgeType[e] ?? 0];
    if (type === 'element' || type === 'hidden') return `[${s.edgeName[e]}]`;
    return `.${s.strings[s.edgeName[e] ?? 0] ?? '?'}`;
  }
  return '';
}

function chain(s: Snapshot, idom: Int32Array, node: number, depth = 8): string {
  const parts: string[] = [];
  let n = node;
  for (let i = 0; i < depth && n !== 0; i++) {
    const parent = idom[n] ?? 0;
    parts.unshift(`${classOf(s, n)}${edgeLabel(s, parent, n)}`);
    n = parent;
  }
  return parts.join(' ← ');
}

export async function compareSnapshots(beforePath: string, afterPath: string, workspaces: number): Promise<string> {
  const before = await loadSnapshot(beforePath);
  const domBefore = dominators(before);
  const selfBefore = bySelf(before, domBefore.idom);
  const retainedById = new Map<number, number>();
  for (let i = 0; i < before.nodeCount; i++) retainedById.set(before.id[i] ?? 0, domBefore.retained[i] ?? 0);
  const totalBefore = domBefore.retained[0] ?? 0;

  const after = await loadSnapshot(afterPath);
  const domAfter = dominators(after);
  const selfAfter = bySelf(after, domAfter.idom);
  const totalAfter = domAfter.retained[0] ?? 0;
  const kib = (bytes: number): string => (bytes / 1024 / workspaces).toFixed(2);

  const lines = [
    `heap (reachable): ${(totalBefore / 1048576).toFixed(1)} MiB → ${(totalAfter / 1048576).toFixed(1)} MiB = ${kib(totalAfter - totalBefore)} KiB per workspace`,
    '',
    '| self KiB/ws | count/ws | class |',
    '|---:|---:|---|',
  ];
  const growth = [...selfAfter]
    .map(([key, a]) => {
      const b = selfBefore.get(key) ?? { size: 0, count: 0 };
      return { key, size: a.size - b.size, count: a.count - b.count };
    })
    .sort((x, y) => y.size - x.size)
    .slice(0, 30);
  for (const g of growth) lines.push(`| ${kib(g.size)} | ${(g.count / workspaces).toFixed(1)} | ${g.key} |`);

  // Holders: nodes whose retained size grew by more than 0.5 KiB per workspace, deepest first among a chain is
  // not needed — sorted by growth, with their dominator chains the nesting is visible.
  const holders: { node: number; growth: number }[] = [];
  for (let i = 0; i < after.nodeCount; i++) {
    const grown = (domAfter.retained[i] ?? 0) - (retainedById.get(after.id[i] ?? 0) ?? 0);
    if (grown > workspaces * 512) holders.push({ node: i, growth: grown });
  }
  holders.sort((a, b) => b.growth - a.growth);
  lines.push('', '| retained growth KiB/ws | holder (dominator chain, root first) |', '|---:|---|');
  for (const h of holders.slice(0, 40)) {
    lines.push(`| ${kib(h.growth)} | ${chain(after, domAfter.idom, h.node)} |`);
  }
  return lines.join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [before, after, n] = process.argv.slice(2);
  if (before === undefined || after === undefined) {
    process.stderr.write('usage: node test/bench/heap-analysis.ts <before.heapsnapshot> <after.heapsnapshot> [n]\n');
    process.exit(2);
  }
  process.stdout.write(`${await compareSnapshots(before, after, Number(n ?? 1))}\n`);
}
