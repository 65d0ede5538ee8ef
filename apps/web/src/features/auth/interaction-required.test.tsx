import { routes } from '@gatehouse/contracts';
import { screen } from '@testing-library/react';
import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { adele } from '../../testing/data';
import { bff } from '../../testing/mocks/bff';
import { server } from '../../testing/mocks/server';
import { renderApp, uniqueChannelName } from '../../testing/test-utils';

const interactionRequired = () =>
  HttpResponse.json(
    { error: 'interaction_required', reason: 'consent_required', message: 'Sign in again.' },
    { status: 401 },
  );

describe('when the BFF says interaction_required for the session (MFA, Conditional Access, consent)', () => {
  it('offers a fresh sign-in in place, keeping the route, instead of "unavailable"', async () => {
    bff.session = adele();
    const channelName = uniqueChannelName();
    const { user, navigation, currentLocation } = renderApp('/conversations?tab=shared', { channelName });
    expect(await screen.findByRole('heading', { name: 'Conversations' })).toBeInTheDocument();

    // The next session check (here prompted by another tab) meets the provider's demand.
    server.use(http.get(`*${routes.session}`, interactionRequired));
    const otherTab = new BroadcastChannel(channelName);
    otherTab.postMessage({ type: 'signed-in' });
    otherTab.close();

    expect(
      await screen.findByRole('heading', { name: 'Your session has ended — sign in again' }),
    ).toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent(
      /sign in again, for example to complete multi-factor/,
    );
    expect(screen.queryByText(/unavailable/i)).not.toBeInTheDocument();
    expect(currentLocation()).toBe('/conversations?tab=shared');

    await user.click(screen.getByRole('button', { name: 'Sign in again' }));
    expect(navigation.visits).toEqual(['/oauth/openid?returnTo=%2Fconversations%3Ftab%3Dshared']);
  });

  it('on first load, sends the deep link to the login page (which comes back after sign-in)', async () => {
    server.use(http.get(`*${routes.session}`, interactionRequired));
    const { currentLocation } = renderApp('/conversations?tab=shared');
    expect(await screen.findByRole('button', { name: /Continue with/ })).toBeInTheDocument();
    expect(currentLocation()).toMatch(/^\/login\?returnTo=/);
  });
});

describe('when the BFF says interaction_required / claims_challenge (Conditional Access step-up)', () => {
  it('from any API call: offers the step-up sign-in in place and comes back to the same route', async () => {
    bff.session = adele();
    const { user, navigation, currentLocation, deps } = renderApp('/conversations?tab=shared');
    expect(await screen.findByRole('heading', { name: 'Conversations' })).toBeInTheDocument();

    // Conditional Access now wants MFA: every call, the session check included, answers the challenge.
    server.use(
      http.all('*/api/*', () =>
        HttpResponse.json(
          { error: 'interaction_required', reason: 'claims_challenge', message: 'Sign in again.' },
          { status: 401 },
        ),
      ),
    );
    // A page's Graph-backed call (the user's photo) meets it first.
    await expect(deps.api.get(routes.mePhoto, { parse: (data) => data })).rejects.toMatchObject({
      code: 'interaction_required',
      reason: 'claims_challenge',
    });

    expect(await screen.findByRole('alert')).toHaveTextContent(
      /verify your identity again \(for example with multi-factor authentication\)/,
    );
    expect(currentLocation()).toBe('/conversations?tab=shared');
    await user.click(screen.getByRole('button', { name: 'Sign in again' }));
    expect(navigation.visits).toEqual(['/oauth/openid?returnTo=%2Fconversations%3Ftab%3Dshared']);
  });
});
