import { sharingRoutes } from '@gatehouse/contracts';
import { screen, waitFor, within } from '@testing-library/react';
import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { adele, megan } from '../../../../testing/data';
import { bff } from '../../../../testing/mocks/bff';
import { server } from '../../../../testing/mocks/server';
import { seedConversation, sharingBff } from '../../../../testing/mocks/sharing-bff';
import { principals } from '../../../../testing/sharing-data';
import { renderApp } from '../../../../testing/test-utils';

describe('conversation lists', () => {
  it('lists my conversations, and those shared with me (directly or through a group) under their filter', async () => {
    bff.session = megan();
    seedConversation({ title: 'Q3 launch plan', owner: principals.megan });
    seedConversation({ title: 'Adele private notes', owner: principals.adele });
    seedConversation({
      title: 'Brand refresh',
      owner: principals.adele,
      grants: [{ principal: principals.marketing, role: 'editor' }],
    });
    sharingBff.memberOf['u-megan'] = ['g-marketing'];
    const { user, currentLocation } = renderApp('/conversations');

    const mine = await screen.findByRole('list', { name: 'Mine' });
    expect(
      within(mine)
        .getAllByRole('link')
        .map((link) => link.textContent),
    ).toEqual([expect.stringContaining('Q3 launch plan')]);
    const filters = screen.getByRole('navigation', { name: 'Which conversations' });
    expect(within(filters).getByRole('link', { name: 'Mine' })).toHaveAttribute('aria-current', 'page');

    await user.click(within(filters).getByRole('link', { name: 'Shared with me' }));
    const shared = await screen.findByRole('list', { name: 'Shared with me' });
    expect(currentLocation()).toBe('/conversations?filter=shared');
    const item = within(shared).getByRole('listitem');
    expect(item).toHaveTextContent('Brand refresh');
    expect(item).toHaveTextContent('From Adele Vance');
    expect(item).toHaveTextContent('Editor');
    expect(screen.queryByText('Adele private notes')).not.toBeInTheDocument();
    expect(
      bff.requests.filter((r) => r.path === sharingRoutes.conversations).every((r) => r.csrf === '1'),
    ).toBe(true);
  });

  it('says so when nothing is shared yet', async () => {
    bff.session = adele();
    renderApp('/conversations?filter=shared');
    expect(await screen.findByText('Nothing shared with you yet')).toBeInTheDocument();
  });

  it('creates a conversation and opens it', async () => {
    bff.session = megan();
    const { user, currentLocation } = renderApp('/conversations');
    expect(await screen.findByText('No conversations yet')).toBeInTheDocument();
    const title = screen.getByRole('textbox', { name: 'New conversation' });
    await user.click(screen.getByRole('button', { name: 'Create' }));
    expect(title).toHaveAccessibleDescription('Give the conversation a title.');
    expect(sharingBff.conversations).toHaveLength(0);

    await user.type(title, 'Offsite agenda{Enter}');
    expect(await screen.findByRole('heading', { level: 1, name: 'Offsite agenda' })).toBeInTheDocument();
    expect(currentLocation()).toBe(`/conversations/${sharingBff.conversations[0]?.id}`);
    expect(screen.getByText('You’re an owner')).toBeInTheDocument();

    await user.click(screen.getByRole('link', { name: '← All conversations' }));
    expect(await screen.findByRole('link', { name: /Offsite agenda/ })).toBeInTheDocument();
  });

  it('shows the failure and recovers with Try again', async () => {
    bff.session = megan();
    seedConversation({ title: 'Q3 launch plan', owner: principals.megan });
    server.use(
      http.get(
        `*${sharingRoutes.conversations}`,
        () => HttpResponse.json({ error: 'forbidden', message: 'Not today' }, { status: 403 }),
        { once: true },
      ),
    );
    const { user } = renderApp('/conversations');
    expect(await screen.findByText("We couldn't load your conversations")).toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent('Not today');
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('link', { name: /Q3 launch plan/ })).toBeInTheDocument();
  });

  it('pages through a long list with Show more, newest first, keeping the list when a page fails', async () => {
    bff.session = megan();
    for (let n = 1; n <= 60; n++) {
      const minute = String(n).padStart(2, '0');
      seedConversation({
        title: `Plan ${n}`,
        owner: principals.megan,
        updatedAt: `2026-11-20T10:${minute}:00.000Z`,
      });
    }
    const { user } = renderApp('/conversations');
    const list = await screen.findByRole('list', { name: 'Mine' });
    const titles = () =>
      within(list)
        .getAllByRole('link')
        .map((link) => link.querySelector('span')?.textContent);
    expect(titles()).toHaveLength(50);
    expect(titles()[0]).toBe('Plan 60');
    expect(titles()[49]).toBe('Plan 11');

    server.use(
      http.get(
        `*${sharingRoutes.conversations}`,
        () => HttpResponse.json({ error: 'forbidden', message: 'Not now' }, { status: 403 }),
        { once: true },
      ),
    );
    await user.click(screen.getByRole('button', { name: 'Show more' }));
    expect(await screen.findByText("We couldn't load more conversations")).toBeInTheDocument();
    expect(titles()).toHaveLength(50);

    await user.click(screen.getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(titles()).toHaveLength(60));
    expect(titles().at(-1)).toBe('Plan 1');
    expect(screen.queryByRole('button', { name: 'Show more' })).not.toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  }, 30_000); // 60 rows in jsdom on a busy machine

  it('shows my recent conversations on the home page', async () => {
    bff.session = megan();
    seedConversation({ title: 'Q3 launch plan', owner: principals.megan });
    renderApp('/');
    const card = await screen.findByRole('region', { name: 'Your conversations' });
    await waitFor(() =>
      expect(within(card).getByRole('link', { name: /Q3 launch plan/ })).toBeInTheDocument(),
    );
  });
});
