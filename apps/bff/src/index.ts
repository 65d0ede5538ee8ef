// Public API of @gatehouse/bff: what tests, benchmarks and tools outside this package build on.
// The server itself starts from main.ts (the composition root).
export { type App, createApp } from './app';
export type { AppEnv, SignedInEnv } from './app-env';
export { requireActiveSession } from './auth/active-session';
export { type SignInErrorCode, signInErrorCodes } from './auth/sign-in-errors';
export { type Clock, systemClock } from './clock';
export { type AppDeps, type CreateAppDepsOptions, createAppDeps } from './deps';
export { graphResourceOf } from './graph/graph-resource';
export { EdgeResponse, edgeServerOptions } from './http/edge-response';
export type { ResourceSpec, TokenManager, TokenResult } from './session/token-manager';
