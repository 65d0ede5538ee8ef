import { describe, expect, it } from 'vitest';
import { ApiError, createApiClient } from './api-client';
import { createQueryClient, isTransient, retryDelay } from './query-client';

const error = (status: number, code: ApiError['code']) => new ApiError({ status, code, message: code });

describe('query retries', () => {
  it.each([
    [error(0, 'network_error'), true],
    [error(502, 'provider_unavailable'), true],
    [error(500, 'internal'), true],
    [error(500, 'configuration_error'), false],
    [error(403, 'forbidden'), false],
    [error(409, 'last_owner'), false],
    [error(404, 'not_found'), false],
    [new Error('a bug'), false],
  ])('%s is retried: %s', (failure, expected) => {
    expect(isTransient(failure)).toBe(expected);
  });

  it('retries a transient failure once and a 4xx never', () => {
    const retry = createQueryClient().getDefaultOptions().queries?.retry;
    if (typeof retry !== 'function') throw new Error('retry is a policy function');
    expect(retry(0, error(503, 'provider_unavailable'))).toBe(true);
    expect(retry(1, error(503, 'provider_unavailable'))).toBe(false);
    expect(retry(0, error(400, 'invalid_request'))).toBe(false);
  });

  it("waits for the server's Retry-After before the one retry, within 10 s", () => {
    const backingOff = (seconds: number) =>
      new ApiError({
        status: 503,
        code: 'provider_unavailable',
        message: 'down',
        retryAfterMs: seconds * 1000,
      });
    expect(retryDelay(0, error(503, 'provider_unavailable'))).toBe(800);
    expect(retryDelay(0, backingOff(2))).toBe(2000);
    expect(retryDelay(0, backingOff(0))).toBe(800);
    expect(retryDelay(0, backingOff(300))).toBe(10_000);
  });

  it('reads Retry-After from an error response', async () => {
    const api = createApiClient({
      baseUrl: 'http://localhost',
      fetch: async () =>
        new Response(JSON.stringify({ error: 'provider_unavailable', message: 'down' }), {
          status: 503,
          headers: { 'Content-Type': 'application/json', 'Retry-After': '3' },
        }),
    });
    const failure = await api.get('/api/auth/session', { parse: (x: unknown) => x }).catch((e: unknown) => e);
    expect(failure).toMatchObject({ status: 503, code: 'provider_unavailable', retryAfterMs: 3000 });
  });
});
