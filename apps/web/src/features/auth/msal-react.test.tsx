import { InteractionStatus } from '@azure/msal-browser';
import {
  AuthenticatedTemplate,
  MsalProvider,
  UnauthenticatedTemplate,
  useAccount,
  useIsAuthenticated,
  useMsal,
} from '@azure/msal-react';
import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { createApiClient } from '../../lib/api-client';
import { adele } from '../../testing/data';
import { bff } from '../../testing/mocks/bff';
import { createRecordingNavigation } from '../../testing/test-utils';
import { type BffClientApplication, createBffClientApplication } from './bff-client-application';

// Plain msal-react code, as an app written for MSAL would have it: nothing Gatehouse-specific below.
function Probe() {
  const { accounts, inProgress, instance } = useMsal();
  const isAuthenticated = useIsAuthenticated();
  const account = useAccount(accounts[0] ?? {});
  return (
    <div>
      <p>inProgress: {inProgress}</p>
      <p>authenticated: {String(isAuthenticated)}</p>
      <p>accounts: {accounts.map((a) => a.username).join(',') || 'none'}</p>
      <p>useAccount: {account?.name ?? 'none'}</p>
      <AuthenticatedTemplate>
        <p>Hello, {accounts[0]?.name}</p>
        <button type="button" onClick={() => instance.logoutRedirect()}>
          Sign out
        </button>
      </AuthenticatedTemplate>
      <UnauthenticatedTemplate>
        <button
          type="button"
          onClick={() => instance.loginRedirect({ scopes: [], redirectStartPage: '/deep' })}
        >
          Sign in
        </button>
      </UnauthenticatedTemplate>
    </div>
  );
}

const clients: BffClientApplication[] = [];
afterEach(() => {
  for (const client of clients.splice(0)) client.dispose();
});

function renderWithMsal() {
  const navigation = createRecordingNavigation();
  const client = createBffClientApplication({
    api: createApiClient(),
    navigationClient: navigation.client,
    channel: null,
  });
  clients.push(client);
  render(
    <MsalProvider instance={client}>
      <Probe />
    </MsalProvider>,
  );
  return { client, navigation, user: userEvent.setup() };
}

describe('the BFF-backed client under the real MsalProvider', () => {
  it('signed in: inProgress settles to none, accounts, useIsAuthenticated and AuthenticatedTemplate work', async () => {
    bff.session = adele();
    renderWithMsal();
    expect(await screen.findByText(`inProgress: ${InteractionStatus.None}`)).toBeInTheDocument();
    expect(screen.getByText('authenticated: true')).toBeInTheDocument();
    expect(screen.getByText('accounts: adele@contoso.test')).toBeInTheDocument();
    expect(await screen.findByText('useAccount: Adele Vance')).toBeInTheDocument();
    expect(screen.getByText('Hello, Adele Vance')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Sign in' })).not.toBeInTheDocument();
  });

  it('signed out: UnauthenticatedTemplate shows, and loginRedirect goes to the BFF', async () => {
    const { navigation, user } = renderWithMsal();
    expect(await screen.findByText('inProgress: none')).toBeInTheDocument();
    expect(screen.getByText('authenticated: false')).toBeInTheDocument();
    expect(screen.getByText('accounts: none')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(navigation.visits).toEqual(['/oauth/openid?returnTo=%2Fdeep']);
  });

  it('logoutRedirect flips the templates and settles inProgress back to none', async () => {
    bff.session = adele();
    bff.logoutRedirect = 'http://localhost:3090/logout';
    const { navigation, user } = renderWithMsal();
    await user.click(await screen.findByRole('button', { name: 'Sign out' }));
    expect(await screen.findByText('authenticated: false')).toBeInTheDocument();
    expect(screen.getByText('inProgress: none')).toBeInTheDocument();
    expect(navigation.visits).toEqual(['http://localhost:3090/logout']);
  });

  it('a session found later (another tab signed in) shows up in the hooks', async () => {
    const { client } = renderWithMsal();
    expect(await screen.findByText('authenticated: false')).toBeInTheDocument();
    bff.session = adele();
    await act(() => client.refreshSession());
    expect(screen.getByText('authenticated: true')).toBeInTheDocument();
    expect(screen.getByText('Hello, Adele Vance')).toBeInTheDocument();
  });
});
