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
  return error instanceof ApiError && (error.status === 0 || error.status >= 500);
}

/**
 * The SPA's server-state cache. Answers stay fresh for a few seconds (the list and the conversation
 * are read on every visit), transient failures are retried once, 4xx answers never: a 403 or 409 is an
 * answer to show, and retrying it only delays it.
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 10_000,
        retry: (failureCount, error) => failureCount < 1 && isTransient(error),
        retryDelay: 800,
      },
      mutations: { retry: false },
    },
  });
}
