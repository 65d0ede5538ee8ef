import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { bff } from '../../../testing/mocks/bff';
import { renderApp } from '../../../testing/test-utils';
import { parseRoles } from '../access-denied';

describe('access denied page', () => {
  it.each([
    ['?roles=Gatehouse.User', 'Required role', ['Gatehouse.User']],
    [
      '?roles=Gatehouse.User,%20Gatehouse.Admin',
      'Required role (any one of)',
      ['Gatehouse.User', 'Gatehouse.Admin'],
    ],
  ])('names the missing role(s) for %s', async (query, label, roles) => {
    renderApp(`/access-denied${query}`);
    expect(
      await screen.findByRole('heading', { name: "You don't have access to Gatehouse" }),
    ).toBeInTheDocument();
    expect(screen.getByText(label)).toBeInTheDocument();
    const list = screen.getByRole('list', { name: 'Required roles' });
    expect([...list.querySelectorAll('li')].map((item) => item.textContent)).toEqual(roles);
    expect(screen.getByText(/Ask your IT administrator/)).toBeInTheDocument();
  });

  it('names the missing group(s) by display name, as the BFF recorded them for this browser', async () => {
    bff.deniedGroups = ['Marketing', 'Sales & Partners (EMEA)'];
    renderApp('/access-denied');
    const list = await screen.findByRole('list', { name: 'Required groups' });
    expect([...list.querySelectorAll('li')].map((item) => item.textContent)).toEqual([
      'Marketing',
      'Sales & Partners (EMEA)',
    ]);
    expect(screen.getByText('Required group (any one of)')).toBeInTheDocument();
    expect(screen.getByText(/isn't a member of the group Gatehouse requires/)).toBeInTheDocument();
    expect(screen.getByText(/add you to one of these groups/)).toBeInTheDocument();
    expect(screen.queryByRole('list', { name: 'Required roles' })).not.toBeInTheDocument();
    expect(bff.requests).toContainEqual(
      expect.objectContaining({ path: '/api/auth/access-denied', csrf: '1' }),
    );
  });

  it("names the user's organisation when it is not allowed, and who to ask", async () => {
    bff.deniedTenant = {
      tenantId: '2f6d9b3c-71e4-4a8e-b5c0-93d18e4a7f21',
      domain: 'fabrikam.onmicrosoft.com',
    };
    const { user, navigation } = renderApp('/access-denied?roles=Gatehouse.User');
    expect(
      await screen.findByText(/your organisation isn't one of the organisations allowed to use Gatehouse/),
    ).toBeInTheDocument();
    expect(screen.getByText('Your organisation').nextElementSibling).toHaveTextContent(
      'fabrikam.onmicrosoft.com',
    );
    expect(screen.getByText('Tenant ID').nextElementSibling).toHaveTextContent(
      '2f6d9b3c-71e4-4a8e-b5c0-93d18e4a7f21',
    );
    expect(screen.getByText(/Ask your IT administrator/)).toHaveTextContent(
      /organisation that runs Gatehouse.*send them the tenant ID above/,
    );
    // Not the role page: the role in the URL is not what kept this user out.
    expect(screen.queryByRole('list', { name: 'Required roles' })).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Sign in as someone else' }));
    expect(navigation.visits).toEqual(['/oauth/openid?returnTo=%2F&prompt=select_account']);
  });

  it('shows the tenant id alone when the username has no domain', async () => {
    bff.deniedTenant = { tenantId: '2f6d9b3c-71e4-4a8e-b5c0-93d18e4a7f21' };
    renderApp('/access-denied');
    expect(await screen.findByText('Tenant ID')).toBeInTheDocument();
    expect(screen.queryByText('Your organisation')).not.toBeInTheDocument();
  });

  it('never takes group names from the URL: a crafted link shows no groups', async () => {
    renderApp('/access-denied?groups=Call%20the%20helpdesk%20at%20555%200100&group=Evil');
    expect(await screen.findByText('A role set by your administrator')).toBeInTheDocument();
    expect(screen.queryByRole('list', { name: 'Required groups' })).not.toBeInTheDocument();
    expect(screen.queryByText(/helpdesk/)).not.toBeInTheDocument();
  });

  it('still explains itself without a role list', async () => {
    renderApp('/access-denied');
    expect(await screen.findByText('A role set by your administrator')).toBeInTheDocument();
  });

  it('"Sign in as someone else" asks the BFF to let the user pick an account', async () => {
    const { user, navigation } = renderApp('/access-denied?roles=Gatehouse.User');
    await user.click(await screen.findByRole('button', { name: 'Sign in as someone else' }));
    expect(navigation.visits).toEqual(['/oauth/openid?returnTo=%2F&prompt=select_account']);
  });

  it.each([
    ['Gatehouse.User', ['Gatehouse.User']],
    [' a , b,,a ', ['a', 'b']],
    ['', []],
    [null, []],
    [
      '8c25abde-3c6d-4ca1-8ffc-69c01267db6e,Your Group Name',
      ['8c25abde-3c6d-4ca1-8ffc-69c01267db6e', 'Your Group Name'],
    ],
    // Anyone can craft the link: text that is not role-shaped is not shown.
    ['Gatehouse.User,Call +1 555 0100 <now>!', ['Gatehouse.User']],
    [Array.from({ length: 20 }, (_, i) => `R${i}`).join(','), Array.from({ length: 10 }, (_, i) => `R${i}`)],
  ])('parseRoles(%j) = %j', (value, expected) => {
    expect(parseRoles(value)).toEqual(expected);
  });
});
