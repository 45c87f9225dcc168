import { errors } from './errors.ts';

/**
 * Bodies nested deeper than this are refused with 400. Every walker (patches, schema pruning, managed fields)
 * recurses per level; kube's JSON decoder caps depth too (10000), we cap lower so no walker can overflow the stack.
 */
export const MAX_NESTING_DEPTH = 500;

/** Iterative depth check (the check itself must not recurse). */
export function checkNestingDepth(value: unknown, limit = MAX_NESTING_DEPTH): void {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [unknown, number];
    if (typeof node !== 'object' || node === null) continue;
    if (depth > limit) throw errors.badRequest(`the request body is nested deeper than ${limit} levels`);
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
}
