export type { AuthenticationConfig } from './config.ts';
export * from './request.ts';
export * from './token-file.ts';
export * from './x509.ts';
export * from './request-header.ts';
export * from './service-account.ts';
export * from './authenticator.ts';
export * from './token-request.ts';
export * from './live-service-accounts.ts';
