import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { AppError } from '../http/errors';
import { createGraphClient } from './graph-client';

type Handler = (url: URL, init: RequestInit) => Response | Promise<Response>;

function fakeGraph(handler: Handler) {
  const requests: { url: string; method: string; auth: string | null }[] = [];
  const sleeps: number[] = [];
  const fetch = (async (input: string | URL | Request, init: RequestInit = {}) => {
    const url = new URL(String(input));
    requests.push({
      url: url.href,
      method: init.method ?? 'GET',
      auth: new Headers(init.headers).get('authorization'),
    });
    return handler(url, init);
  }) as typeof globalThis.fetch;
  const graph = createGraphClient({
    fetch,
    log: pino({ level: 'silent' }),
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  });
  return { graph, requests, sleeps };
}

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

describe('graph client', () => {
  it('retries a throttled request after Retry-After, then succeeds', async () => {
    let calls = 0;
    const { graph, sleeps, requests } = fakeGraph(() =>
      ++calls < 3
        ? json({ error: { code: 'TooManyRequests' } }, 429, { 'retry-after': '2' })
        : json({ id: 'me' }),
    );
    expect(await graph.json<{ id: string }>('token', { path: '/me' })).toEqual({ id: 'me' });
    expect(sleeps).toEqual([2000, 2000]);
    expect(requests[0]).toMatchObject({ url: 'https://graph.microsoft.com/v1.0/me', auth: 'Bearer token' });
  });

  it('gives up after the bounded number of retries with provider_unavailable', async () => {
    const { graph, requests } = fakeGraph(() => json({}, 503, { 'retry-after': '1' }));
    await expect(graph.json('t', { path: '/me' })).rejects.toMatchObject({ code: 'provider_unavailable' });
    expect(requests).toHaveLength(4);
  });

  it('does not sleep through a Retry-After longer than the cap', async () => {
    const { graph, sleeps } = fakeGraph(() => json({}, 429, { 'retry-after': '3600' }));
    await expect(graph.json('t', { path: '/me' })).rejects.toMatchObject({ code: 'provider_unavailable' });
    expect(sleeps).toEqual([]);
  });

  it('follows @odata.nextLink on the Graph host, with GET after a POST', async () => {
    const { graph, requests } = fakeGraph((url) =>
      url.searchParams.has('$skiptoken')
        ? json({ value: ['g3'] })
        : json({
            value: ['g1', 'g2'],
            '@odata.nextLink': 'https://graph.microsoft.com/v1.0/me/getMemberObjects?$skiptoken=abc',
          }),
    );
    expect(await graph.memberObjects('t')).toEqual(['g1', 'g2', 'g3']);
    expect(requests.map((r) => r.method)).toEqual(['POST', 'GET']);
  });

  it('refuses a nextLink that points at another host (the token would leak there)', async () => {
    const { graph, requests } = fakeGraph(() =>
      json({ value: ['g1'], '@odata.nextLink': 'https://evil.example/v1.0/steal' }),
    );
    await expect(graph.memberObjects('t')).rejects.toBeInstanceOf(AppError);
    expect(requests).toHaveLength(1);
  });

  it('refuses paths that are not relative to Graph', async () => {
    const { graph, requests } = fakeGraph(() => json({}));
    await expect(graph.json('t', { path: '//evil.example/x' })).rejects.toBeInstanceOf(TypeError);
    await expect(graph.json('t', { path: 'https://evil.example/x' })).rejects.toBeInstanceOf(TypeError);
    expect(requests).toHaveLength(0);
  });

  it('returns undefined for a user without a photo, and the bytes otherwise', async () => {
    const none = fakeGraph(() => json({ error: { code: 'ImageNotFound' } }, 404));
    expect(await none.graph.myPhoto('t')).toBeUndefined();
    const some = fakeGraph(
      () => new Response(new Uint8Array([1, 2, 3]), { headers: { 'content-type': 'image/jpeg' } }),
    );
    expect(await some.graph.myPhoto('t')).toEqual({
      bytes: new Uint8Array([1, 2, 3]),
      contentType: 'image/jpeg',
    });
  });

  it('turns a 401 from Graph into interaction_required for the Graph resource', async () => {
    const { graph } = fakeGraph(() => json({ error: { code: 'InvalidAuthenticationToken' } }, 401));
    await expect(graph.json('t', { path: '/me' })).rejects.toMatchObject({
      code: 'interaction_required',
      details: { resource: 'https://graph.microsoft.com' },
    });
  });
});

describe('graph client $batch', () => {
  it('sends up to 20 requests in one POST and retries only the throttled ones after their Retry-After', async () => {
    const batches: { id: string; url: string; headers?: Record<string, string> }[][] = [];
    const { graph, sleeps } = fakeGraph(async (_url, init) => {
      const body = JSON.parse(String(init.body)) as {
        requests: { id: string; url: string; headers?: Record<string, string> }[];
      };
      batches.push(body.requests);
      return json({
        responses: body.requests.map((r) =>
          r.id === 'users' && batches.length === 1
            ? {
                id: r.id,
                status: 429,
                headers: { 'Retry-After': '2' },
                body: { error: { code: 'TooManyRequests' } },
              }
            : { id: r.id, status: 200, headers: {}, body: { value: [r.id] } },
        ),
      });
    });
    const answers = await graph.batch('t', [
      {
        id: 'users',
        path: '/users',
        query: { $search: '"displayName:a b"' },
        headers: { ConsistencyLevel: 'eventual' },
      },
      { id: 'groups', path: '/groups' },
    ]);
    expect(answers.map((a) => [a.id, a.status, a.body])).toEqual([
      ['users', 200, { value: ['users'] }],
      ['groups', 200, { value: ['groups'] }],
    ]);
    expect(batches.map((b) => b.map((r) => r.id))).toEqual([['users', 'groups'], ['users']]);
    expect(batches[0]![0]).toMatchObject({
      url: '/users?%24search=%22displayName%3Aa%20b%22',
      headers: { ConsistencyLevel: 'eventual' },
    });
    expect(sleeps).toEqual([2000]);
  });

  it('refuses more than 20 requests (a programming mistake)', async () => {
    const { graph } = fakeGraph(() => json({ responses: [] }));
    const many = Array.from({ length: 21 }, (_, i) => ({ id: String(i), path: '/me' }));
    await expect(graph.batch('t', many)).rejects.toBeInstanceOf(TypeError);
  });

  it('gives up at the caller deadline even when fetch never answers', async () => {
    const { graph } = fakeGraph(() => new Promise<Response>(() => {}));
    const started = Date.now();
    await expect(graph.json('t', { path: '/me', signal: AbortSignal.timeout(50) })).rejects.toMatchObject({
      code: 'provider_unavailable',
    });
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
