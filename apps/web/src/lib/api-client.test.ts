import { logoutResponseSchema } from '@gatehouse/contracts';
import { describe, expect, it, vi } from 'vitest';
import { ApiError, createApiClient } from './api-client';

const okSchema = logoutResponseSchema;

/** A fetch that answers every call with a fresh copy of `response` (or fails with `failure`). */
function stubFetch(response: Response | { failure: unknown }) {
  return vi.fn<typeof fetch>(async () => {
    if (!(response instanceof Response)) throw response.failure;
    return response.clone();
  });
}

describe('createApiClient', () => {
  it('sends X-CSRF: 1 and same-origin credentials on every request', async () => {
    const fetch = stubFetch(Response.json({ redirect: '/login' }));
    const api = createApiClient({ fetch, baseUrl: 'http://localhost:3080' });
    await api.get('/api/config', okSchema);
    await api.post('/api/auth/logout', { a: 1 }, okSchema);
    for (const [url, init] of fetch.mock.calls) {
      expect(String(url)).toMatch(/^http:\/\/localhost:3080\/api\//);
      expect(init?.credentials).toBe('same-origin');
      expect(new Headers(init?.headers).get('X-CSRF')).toBe('1');
    }
    expect(fetch.mock.calls[1]?.[1]).toMatchObject({ method: 'POST', body: '{"a":1}' });
    expect(new Headers(fetch.mock.calls[1]?.[1]?.headers).get('Content-Type')).toBe('application/json');
  });

  it('PUTs JSON and parses the answer; DELETE and a parser-less POST read no body', async () => {
    const fetch = vi.fn<typeof globalThis.fetch>(async (_, init) =>
      init?.method === 'PUT' ? Response.json({ redirect: '/x' }) : new Response(null, { status: 204 }),
    );
    const api = createApiClient({ fetch, baseUrl: 'http://localhost' });
    await expect(api.put('/api/x', { a: 1 }, okSchema)).resolves.toEqual({ redirect: '/x' });
    await expect(api.delete('/api/x')).resolves.toBeUndefined();
    await expect(api.post('/api/x', { b: 2 }, null)).resolves.toBeUndefined();
    expect(fetch.mock.calls.map(([, init]) => [init?.method, init?.body])).toEqual([
      ['PUT', '{"a":1}'],
      ['DELETE', null],
      ['POST', '{"b":2}'],
    ]);
    for (const [, init] of fetch.mock.calls) expect(new Headers(init?.headers).get('X-CSRF')).toBe('1');
  });

  it('turns a failed DELETE into an ApiError', async () => {
    const api = createApiClient({
      fetch: stubFetch(Response.json({ error: 'forbidden', message: 'Owners only' }, { status: 403 })),
      baseUrl: 'http://localhost',
    });
    await expect(api.delete('/api/x')).rejects.toMatchObject({ status: 403, code: 'forbidden' });
  });

  it('refuses paths outside /api (a programmer mistake, not a network error)', async () => {
    const api = createApiClient({ fetch: stubFetch(Response.json({})), baseUrl: 'http://localhost' });
    await expect(api.get('https://evil.example/api/x', okSchema)).rejects.toThrow(TypeError);
    await expect(api.get('/oauth/openid', okSchema)).rejects.toThrow(TypeError);
  });

  it.each([
    [
      'the BFF error body',
      Response.json(
        { error: 'login_required', reason: 'idle_timeout', message: 'Sign in again' },
        { status: 401 },
      ),
      { status: 401, code: 'login_required', reason: 'idle_timeout', message: 'Sign in again' },
    ],
    [
      'role_required with the roles',
      Response.json(
        { error: 'role_required', reason: 'role_removed', message: 'No', requiredRoles: ['Gatehouse.User'] },
        { status: 403 },
      ),
      { status: 403, code: 'role_required', requiredRoles: ['Gatehouse.User'] },
    ],
    [
      'interaction_required with the resource',
      Response.json(
        {
          error: 'interaction_required',
          reason: 'consent_required',
          message: 'Consent',
          resource: 'https://graph',
        },
        { status: 401 },
      ),
      { code: 'interaction_required', resource: 'https://graph' },
    ],
    [
      'a proxy HTML page (502)',
      new Response('<html>Bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }),
      { status: 502, code: 'provider_unavailable', reason: undefined },
    ],
    [
      'an unknown error code',
      Response.json({ error: 'teapot', message: 'x' }, { status: 418 }),
      { code: 'internal' },
    ],
    ['a network failure', { failure: new TypeError('fetch failed') }, { status: 0, code: 'network_error' }],
    [
      'a 200 that breaks the contract',
      Response.json({ redirect: 42 }),
      { status: 200, code: 'invalid_response' },
    ],
  ])('turns %s into an ApiError', async (_, response, expected) => {
    const api = createApiClient({ fetch: stubFetch(response), baseUrl: 'http://localhost' });
    const error = await api.get('/api/x', okSchema).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject(expected);
  });

  it('tells error listeners, which can unsubscribe', async () => {
    const api = createApiClient({
      fetch: stubFetch(Response.json({ error: 'csrf', message: 'X-CSRF: 1 is required' }, { status: 401 })),
      baseUrl: 'http://localhost',
    });
    const listener = vi.fn();
    const unsubscribe = api.onError(listener);
    await api.get('/api/x', okSchema).catch(() => {});
    unsubscribe();
    await api.get('/api/x', okSchema).catch(() => {});
    expect(listener).toHaveBeenCalledTimes(1);
    expect(listener.mock.calls[0]?.[0]).toMatchObject({ code: 'csrf' });
  });

  it('does not report an aborted request as a network error', async () => {
    const controller = new AbortController();
    controller.abort();
    const api = createApiClient({
      fetch: stubFetch({ failure: new DOMException('aborted', 'AbortError') }),
      baseUrl: 'http://x',
    });
    const listener = vi.fn();
    api.onError(listener);
    await expect(api.get('/api/x', okSchema, { signal: controller.signal })).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect(listener).not.toHaveBeenCalled();
  });
});
