import { it } from 'node:test';
import assert from 'node:assert/strict';
import { MinHeap } from './min-heap.ts';

it('MinHeap pops in order', () => {
  const heap = new MinHeap<number>((a, b) => a < b);
  const values = Array.from({ length: 500 }, (_, i) => (i * 7919) % 1009);
  for (const v of values) heap.push(v);
  const out: number[] = [];
  for (let v = heap.pop(); v !== undefined; v = heap.pop()) out.push(v);
  assert.deepEqual(
    out,
    [...values].sort((a, b) => a - b),
  );
  assert.equal(heap.size, 0);
});
