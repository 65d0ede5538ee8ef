import {
  BatchRequestContent,
  BatchResponseContent,
  Client,
  type Context,
  HTTPMessageHandler,
  type Middleware,
  RetryHandler,
  RetryHandlerOptions,
} from '@microsoft/microsoft-graph-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contosoSeed, type RunningEmulator, startEmulator } from '../src/index';
import { signIn } from '../src/testing';

/**
 * The Graph SDK only attaches tokens to https Graph hosts, so against the http emulator the chain
 * starts with a small middleware that sets the bearer token; RetryHandler and HTTPMessageHandler are
 * the SDK's own.
 */
function bearer(token: string): Middleware & { setNext(next: Middleware): void } {
  let next: Middleware | undefined;
  return {
    async execute(context: Context) {
      const headers = new Headers(context.options?.headers as ConstructorParameters<typeof Headers>[0]);
      headers.set('Authorization', `Bearer ${token}`);
      context.options = { ...context.options, headers: Object.fromEntries(headers) };
      await next!.execute(context);
    },
    setNext(middleware: Middleware) {
      next = middleware;
    },
  };
}

describe("Microsoft's Graph SDK against the emulator", () => {
  let emulator: RunningEmulator;
  let client: Client;

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0 });
    const url = new URL(`${emulator.issuer.replace('/v2.0', '')}/oauth2/v2.0/authorize`);
    const params = {
      client_id: contosoSeed.applications[0]!.clientId,
      response_type: 'code',
      redirect_uri: contosoSeed.applications[0]!.redirectUris[0]!,
      scope: 'openid offline_access User.Read User.ReadBasic.All GroupMember.Read.All',
    };
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    const result = await signIn({ authorizeUrl: url, username: 'adele@contoso.test', password: 'Passw0rd!' });
    if (result.kind !== 'redirect') throw new Error('sign-in failed');
    const token = await fetch(`${emulator.issuer.replace('/v2.0', '')}/oauth2/v2.0/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: result.url.searchParams.get('code')!,
        redirect_uri: params.redirect_uri,
        client_id: params.client_id,
        client_secret: 'gatehouse-dev-secret',
      }),
    }).then((r) => r.json() as Promise<{ access_token: string }>);

    const auth = bearer(token.access_token);
    const retry = new RetryHandler(new RetryHandlerOptions(1, 3));
    auth.setNext(retry);
    retry.setNext(new HTTPMessageHandler());
    client = Client.initWithMiddleware({
      middleware: auth,
      baseUrl: `${emulator.url}/`,
      defaultVersion: 'v1.0',
    });
  });
  afterAll(() => emulator.close());

  it('reads /me and every user, page by page', async () => {
    const me = await client.api('/me').get();
    expect(me.displayName).toBe('Adele Vance');

    // The SDK treats only https:// links as absolute, so the http emulator's nextLink is followed by path.
    let page = await client.api('/users').top(7).select(['id', 'displayName']).get();
    const names: string[] = page.value.map((u: { displayName: string }) => u.displayName);
    let pages = 1;
    while (page['@odata.nextLink']) {
      page = await client.api(String(page['@odata.nextLink']).slice(`${emulator.url}/v1.0`.length)).get();
      names.push(...page.value.map((u: { displayName: string }) => u.displayName));
      pages++;
    }
    expect(pages).toBe(Math.ceil(contosoSeed.users.length / 7));
    expect(names).toHaveLength(contosoSeed.users.length);
  });

  it('searches users and groups with ConsistencyLevel: eventual', async () => {
    const users = await client
      .api('/users')
      .header('ConsistencyLevel', 'eventual')
      .search('"displayName:megan" OR "mail:megan"')
      .count(true)
      .select('displayName')
      .get();
    expect(users['@odata.count']).toBe(1);
    expect(users.value[0].displayName).toBe('Megan Bowen');
    const groups = await client
      .api('/groups')
      .header('ConsistencyLevel', 'eventual')
      .filter("startswith(displayName,'Marketing')")
      .select('displayName')
      .get();
    expect(groups.value.map((g: { displayName: string }) => g.displayName).sort()).toEqual([
      'Marketing',
      'Marketing EU',
    ]);
  });

  it('sends a $batch with BatchRequestContent and reads it with BatchResponseContent', async () => {
    const batch = new BatchRequestContent([
      { id: 'me', request: new Request(`${emulator.url}/v1.0/me`, { method: 'GET' }) },
      {
        id: 'groups',
        request: new Request(`${emulator.url}/v1.0/me/memberOf?$select=displayName`, { method: 'GET' }),
      },
    ]);
    const body = await client.api('/$batch').post(await batch.getContent());
    const responses = new BatchResponseContent(body);
    const me = (await responses.getResponseById('me').json()) as { displayName: string };
    expect(me.displayName).toBe('Adele Vance');
    const groups = (await responses.getResponseById('groups').json()) as {
      value: Array<{ displayName: string }>;
    };
    expect(groups.value.map((g) => g.displayName)).toEqual(
      expect.arrayContaining(['Marketing', 'All Company']),
    );
  });

  it("retries after the emulator's 429, honouring Retry-After", async () => {
    emulator.control.resetCounters();
    emulator.control.fault({ route: '/v1.0/groups', status: 429, retryAfter: 1, count: 1 });
    const started = Date.now();
    const groups = await client.api('/groups').top(3).get();
    expect(groups.value).toHaveLength(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(emulator.control.counters().graph['/v1.0/groups']).toBe(2);
  });
});
