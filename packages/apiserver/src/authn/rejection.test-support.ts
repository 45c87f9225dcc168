import assert from 'node:assert/strict';
import { isApiStatusError } from '@kcp-ts/apimachinery';
import { failureReason } from './request.ts';

/**
 * Awaits `promise`, asserts it failed with kube's one 401 (Status reason and message both "Unauthorized", whatever
 * the cause) and returns the recorded reason, so tests can check why without the client ever seeing it.
 */
export async function rejection(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error: unknown) {
    assert.ok(isApiStatusError(error), String(error));
    assert.deepEqual([error.code, error.status.reason, error.status.message], [401, 'Unauthorized', 'Unauthorized']);
    return failureReason(error);
  }
  assert.fail('expected a 401');
}
