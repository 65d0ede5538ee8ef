import { QueryClient } from '@tanstack/react-query';
import { ApiError } from './api-client';

declare module '@tanstack/react-query' {
  interface Register {
    // lib/api-client.ts turns every failure into an ApiError (aborts are TanStack's own business).
    defaultError: ApiError;
  }
}

/** Failures worth one more try: the network or the server, never an answer about the request itself. */
export function isTransient(error: unknown): boolean {
  return (
    error instanceof ApiError &&
    (error.status === 0 || error.status >= 500) &&
    // A wrong server configuration stays wrong until its operator fixes it.
    error.code !== 'configuration_error'
  );
}

/** The one retry waits for the server's Retry-After when it sent one (within reason), else 800 ms. */
export function retryDelay(_failureCount: number, error: unknown): number {
  const asked = error instanceof ApiError ? error.retryAfterMs : undefined;
  return asked === undefined ? 800 : Math.min(Math.max(asked, 800), 10_000);
}

/**
 * The SPA's server-state cache. Answers stay fresh for a few seconds (the list and the conversation
 * are read on every visit), transient failures are retried once, 4xx answers never: a 403 or 409 is an
 * answer to show, and retrying it only delays it. A 503 with `Retry-After` (the BFF backing off a
 * failing identity provider) is retried once after that wait, never in a loop.
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 10_000,
        retry: (failureCount, error) => failureCount < 1 && isTransient(error),
        retryDelay,
      },
      mutations: { retry: false },
    },
  });
}
