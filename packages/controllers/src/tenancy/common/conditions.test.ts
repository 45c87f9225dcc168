import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { falseCondition, jsonEqual, trueCondition, withCondition, type Condition } from './conditions.ts';

describe('conditions', () => {
  const before: Condition[] = [{ type: 'B', status: 'True', lastTransitionTime: 't0' }];

  it('keeps lastTransitionTime while the status holds, sets it when it flips, sorts by type', () => {
    assert.deepEqual(withCondition(before, trueCondition('B'), 't1'), before);
    assert.deepEqual(withCondition(before, falseCondition('B', 'R', 'Info', 'm'), 't1'), [
      { type: 'B', status: 'False', severity: 'Info', reason: 'R', message: 'm', lastTransitionTime: 't1' },
    ]);
    assert.deepEqual(
      withCondition(before, trueCondition('A'), 't1').map((c) => c.type),
      ['A', 'B'],
    );
  });

  it('jsonEqual ignores key order and undefined members, not values', () => {
    assert.ok(jsonEqual({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 }));
    assert.ok(jsonEqual({ a: 1, b: undefined }, { a: 1 }));
    assert.ok(!jsonEqual({ a: [1, 2] }, { a: [2, 1] }));
    assert.ok(!jsonEqual({ a: 1 }, { a: '1' }));
    assert.ok(!jsonEqual([], {}));
  });
});
