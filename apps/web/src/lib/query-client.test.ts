import { describe, expect, it } from 'vitest';
import { ApiError } from './api-client';
import { createQueryClient, isTransient } from './query-client';

const error = (status: number, code: ApiError['code']) => new ApiError({ status, code, message: code });

describe('query retries', () => {
  it.each([
    [error(0, 'network_error'), true],
    [error(502, 'provider_unavailable'), true],
    [error(500, 'internal'), true],
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
});
