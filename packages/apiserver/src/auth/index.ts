export * from './policy-rules.ts';
export * from './bootstrap-policy.ts';
export * from './subjects.ts';
export * from './policy-index.ts';
export * from './policy-feeds.ts';
export * from './rbac-authorizer.ts';
export * from './rules-review.ts';
export * from './review-resources.ts';
