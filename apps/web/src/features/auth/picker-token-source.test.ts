import { EventType, InteractionRequiredAuthError } from '@azure/msal-browser';
import { attachmentRoutes } from '@gatehouse/contracts';
import { afterEach, describe, expect, it } from 'vitest';
import { createApiClient } from '../../lib/api-client';
import { adele, megan } from '../../testing/data';
import { attachmentsBff } from '../../testing/mocks/attachments-bff';
import { bff } from '../../testing/mocks/bff';
import { createRecordingNavigation } from '../../testing/test-utils';
import { BffAuthError } from './bff-auth-error';
import { type BffClientApplication, createBffClientApplication } from './bff-client-application';
import { createPickerTokenSource, pickerTokenMarginMs } from './picker-token-source';

const sharepoint = 'http://127.0.0.1:3091';
const clients: BffClientApplication[] = [];
afterEach(() => {
  for (const client of clients.splice(0)) client.dispose();
});

function setup(options: { baseUrl?: string | null; now?: () => number } = {}) {
  const api = createApiClient({ baseUrl: 'http://localhost:3080' });
  const pickerTokens = createPickerTokenSource({
    api,
    sharepointBaseUrl: async () => (options.baseUrl === undefined ? sharepoint : options.baseUrl),
    ...(options.now ? { now: options.now } : {}),
  });
  const client = createBffClientApplication(
    {
      api,
      pickerTokens,
      navigationClient: createRecordingNavigation().client,
      channel: null,
      location: {
        origin: 'http://localhost:3080',
        host: 'localhost:3080',
        pathname: '/',
        search: '',
        hash: '',
      },
    },
    {},
  );
  clients.push(client);
  const events: string[] = [];
  client.addEventCallback((message) => events.push(message.eventType));
  return { client, events };
}

const tokenCalls = () => bff.requests.filter((request) => request.path === attachmentRoutes.sharepointToken);

describe('acquireTokenSilent for the SharePoint picker', () => {
  it('returns a SharePoint token from the BFF with its real expiry, and reuses it from memory', async () => {
    bff.session = adele();
    const { client, events } = setup();
    await client.initialize();
    const account = client.getActiveAccount() ?? undefined;
    expect(account).toBeDefined();
    const first = await client.acquireTokenSilent({
      scopes: [`${sharepoint}/.default`],
      ...(account ? { account } : {}),
    });
    expect(first).toMatchObject({
      accessToken: 'sp-token-1',
      fromCache: false,
      tokenType: 'Bearer',
      idToken: '',
      scopes: [`${sharepoint}/.default`],
      account: { username: 'adele@contoso.test' },
    });
    expect(first.expiresOn?.getTime()).toBeGreaterThan(Date.now() + 59 * 60_000);
    expect(attachmentsBff.tokenRequests).toEqual([sharepoint]);
    const second = await client.acquireTokenSilent({ scopes: [`${sharepoint}/.default`] });
    expect(second).toMatchObject({ accessToken: 'sp-token-1', fromCache: true });
    expect(tokenCalls()).toHaveLength(1);
    expect(tokenCalls()[0]?.csrf).toBe('1');
    expect(events).toContain(EventType.ACQUIRE_TOKEN_SUCCESS);
  });

  it('asks again once the token is within the margin of its expiry', async () => {
    bff.session = adele();
    let now = Date.now();
    const { client } = setup({ now: () => now });
    await client.initialize();
    attachmentsBff.tokenLifetimeMs = pickerTokenMarginMs + 60_000;
    await client.acquireTokenSilent({ scopes: [`${sharepoint}/.default`] });
    now += 61_000;
    const again = await client.acquireTokenSilent({ scopes: [`${sharepoint}/.default`] });
    expect(again.fromCache).toBe(false);
    expect(attachmentsBff.tokenRequests).toHaveLength(2);
  });

  it('shares one request between concurrent callers', async () => {
    bff.session = adele();
    const { client } = setup();
    await client.initialize();
    const results = await Promise.all(
      [1, 2, 3].map(() => client.acquireTokenSilent({ scopes: [`${sharepoint}/.default`] })),
    );
    expect(new Set(results.map((result) => result.accessToken)).size).toBe(1);
    expect(tokenCalls()).toHaveLength(1);
  });

  it.each([
    ['Graph', ['https://graph.microsoft.com/.default']],
    ['a Graph permission', ['User.Read']],
    ['another site', ['https://evil.test/.default']],
    ['mixed resources', [`${sharepoint}/.default`, 'https://graph.microsoft.com/Files.Read']],
    ['no scopes', []],
  ])('refuses %s without calling the BFF', async (_name, scopes) => {
    bff.session = adele();
    const { client } = setup();
    await client.initialize();
    const error = await client.acquireTokenSilent({ scopes }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BffAuthError);
    expect(error).toMatchObject({ errorCode: 'resource_not_allowed' });
    expect(tokenCalls()).toHaveLength(0);
  });

  it('refuses while the picker is off, without calling the BFF', async () => {
    bff.session = adele();
    const { client } = setup({ baseUrl: null });
    await client.initialize();
    await expect(client.acquireTokenSilent({ scopes: [`${sharepoint}/.default`] })).rejects.toMatchObject({
      errorCode: 'picker_unavailable',
    });
    expect(tokenCalls()).toHaveLength(0);
  });

  it('asks for sign-in when there is no session, or when the BFF says it ended', async () => {
    const { client } = setup();
    await client.initialize();
    await expect(client.acquireTokenSilent({ scopes: [`${sharepoint}/.default`] })).rejects.toBeInstanceOf(
      InteractionRequiredAuthError,
    );
    expect(tokenCalls()).toHaveLength(0);

    bff.session = adele();
    const signedIn = setup();
    await signedIn.client.initialize();
    bff.session = null;
    await expect(
      signedIn.client.acquireTokenSilent({ scopes: [`${sharepoint}/.default`] }),
    ).rejects.toBeInstanceOf(InteractionRequiredAuthError);
  });

  it('forgets its tokens when the session changes hands', async () => {
    bff.session = adele();
    const { client } = setup();
    await client.initialize();
    await client.acquireTokenSilent({ scopes: [`${sharepoint}/.default`] });
    bff.session = megan();
    await client.refreshSession();
    const forMegan = await client.acquireTokenSilent({ scopes: [`${sharepoint}/.default`] });
    expect(forMegan).toMatchObject({
      accessToken: 'sp-token-2',
      fromCache: false,
      account: { name: 'Megan Bowen' },
    });
  });
});
