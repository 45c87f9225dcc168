import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ReconcileResult } from './controller.ts';
import { ReconcileStepError, runSteps, StepResult, type ReconcileStep } from './reconcile-steps.ts';

function step(name: string, result: StepResult | Error): ReconcileStep<string[]> {
  return {
    name,
    reconcile(trace) {
      trace.push(name);
      if (result instanceof Error) throw result;
      return result;
    },
  };
}

describe('runSteps', () => {
  const live = new AbortController().signal;
  const cases: {
    name: string;
    steps: ReconcileStep<string[]>[];
    result?: ReconcileResult;
    error?: RegExp;
    trace: string[];
  }[] = [
    {
      name: 'all continue → done',
      steps: [step('a', StepResult.continue), step('b', StepResult.continue)],
      result: ReconcileResult.done,
      trace: ['a', 'b'],
    },
    {
      name: 'stopAndRequeue without delay → rate-limited requeue, later steps skipped',
      steps: [step('a', StepResult.stopAndRequeue()), step('b', StepResult.continue)],
      result: ReconcileResult.requeue,
      trace: ['a'],
    },
    {
      name: 'stopAndRequeue(ms) → requeueAfter(ms)',
      steps: [step('a', StepResult.continue), step('b', StepResult.stopAndRequeue(750))],
      result: ReconcileResult.requeueAfter(750),
      trace: ['a', 'b'],
    },
    {
      name: 'a throwing step stops the run and names itself',
      steps: [step('a', new Error('boom')), step('b', StepResult.continue)],
      error: /^step a: boom$/,
      trace: ['a'],
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const trace: string[] = [];
      if (c.error !== undefined) {
        await assert.rejects(runSteps(c.steps, trace, live), (e: unknown) => {
          assert.ok(e instanceof ReconcileStepError);
          assert.match(e.message, c.error ?? /./);
          assert.ok(e.cause instanceof Error);
          return true;
        });
      } else {
        assert.deepEqual(await runSteps(c.steps, trace, live), c.result);
      }
      assert.deepEqual(trace, c.trace);
    });
  }

  it('an aborted signal (leadership lost) stops between steps with a requeue', async () => {
    const abort = new AbortController();
    const trace: string[] = [];
    const steps: ReconcileStep<string[]>[] = [
      {
        name: 'a',
        reconcile(t) {
          t.push('a');
          abort.abort();
          return StepResult.continue;
        },
      },
      step('b', StepResult.continue),
    ];
    assert.deepEqual(await runSteps(steps, trace, abort.signal), ReconcileResult.requeue);
    assert.deepEqual(trace, ['a']);
  });
});
