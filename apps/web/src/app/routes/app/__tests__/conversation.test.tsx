import { sharingRoutes } from '@gatehouse/contracts';
import { screen, waitFor, within } from '@testing-library/react';
import { delay, HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { adele, megan } from '../../../../testing/data';
import { bff } from '../../../../testing/mocks/bff';
import { server } from '../../../../testing/mocks/server';
import { seedConversation, sharingBff } from '../../../../testing/mocks/sharing-bff';
import { principals } from '../../../../testing/sharing-data';
import { renderApp } from '../../../../testing/test-utils';

const meganAuthor = { id: principals.megan.id, name: principals.megan.name };

describe('a conversation', () => {
  it('shows the messages and posts a new one with Enter', async () => {
    bff.session = megan();
    const conversation = seedConversation({
      title: 'Q3 launch plan',
      owner: principals.megan,
      messages: [{ author: meganAuthor, text: 'Kick-off is on Monday.' }],
    });
    const { user } = renderApp(`/conversations/${conversation.id}`);
    const messages = await screen.findByRole('list', { name: 'Messages' });
    expect(within(messages).getByRole('listitem')).toHaveTextContent(/Megan Bowen.*Kick-off is on Monday\./);

    const box = screen.getByRole('textbox', { name: 'Message' });
    await user.type(box, 'Agenda attached{Shift>}{Enter}{/Shift}see below{Enter}');
    expect(await within(messages).findByText(/Agenda attached\s+see below/)).toBeInTheDocument();
    expect(box).toHaveValue('');
    expect(screen.getByText('Message posted')).toBeInTheDocument();
    expect(sharingBff.conversations[0]?.messages.at(-1)?.text).toBe('Agenda attached\nsee below');
  });

  it('shows the latest 100 messages, and earlier ones on demand, keeping the thread when that fails', async () => {
    bff.session = megan();
    const conversation = seedConversation({
      title: 'Long thread',
      owner: principals.megan,
      messages: Array.from({ length: 130 }, (_, n) => ({ author: meganAuthor, text: `Note ${n + 1}` })),
    });
    const { user } = renderApp(`/conversations/${conversation.id}`);
    const messages = await screen.findByRole('list', { name: 'Messages' });
    const texts = () =>
      within(messages)
        .getAllByRole('listitem')
        .map((item) => item.querySelector('.gh-message__text')?.textContent);
    expect(texts()).toHaveLength(100);
    expect(texts()[0]).toBe('Note 31');
    expect(texts().at(-1)).toBe('Note 130');

    server.use(
      http.get(
        `*${sharingRoutes.conversation}`,
        () => HttpResponse.json({ error: 'forbidden', message: 'Not now' }, { status: 403 }),
        { once: true },
      ),
    );
    await user.click(screen.getByRole('button', { name: 'Show earlier messages' }));
    expect(await screen.findByText("We couldn't load earlier messages")).toBeInTheDocument();
    expect(texts()).toHaveLength(100);

    await user.click(screen.getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(texts()).toHaveLength(130));
    expect(texts()[0]).toBe('Note 1');
    expect(screen.queryByRole('button', { name: 'Show earlier messages' })).not.toBeInTheDocument();
    expect(screen.getByRole('heading', { level: 1, name: 'Long thread' })).toBeInTheDocument();
  }, 30_000); // 130 messages in jsdom on a busy machine

  it('keeps the text and says why when posting fails', async () => {
    bff.session = megan();
    const conversation = seedConversation({ title: 'Q3 launch plan', owner: principals.megan });
    server.use(
      http.post(`*${sharingRoutes.messages}`, () =>
        HttpResponse.json({ error: 'forbidden', message: 'Only an editor can do this' }, { status: 403 }),
      ),
    );
    const { user } = renderApp(`/conversations/${conversation.id}`);
    const box = await screen.findByRole('textbox', { name: 'Message' });
    await user.type(box, 'Hello{Enter}');
    expect(await screen.findByRole('alert')).toHaveTextContent(
      "Your message wasn't postedYou can no longer post here: your access to this conversation changed.",
    );
    expect(box).toHaveValue('Hello');
  });

  it('is read-only for a viewer: no composer, no share, no delete, and an explanation', async () => {
    bff.session = adele();
    const conversation = seedConversation({
      title: 'Brand refresh',
      owner: principals.megan,
      grants: [{ principal: principals.adele, role: 'viewer' }],
      messages: [{ author: meganAuthor, text: 'Draft one is up.' }],
    });
    renderApp(`/conversations/${conversation.id}`);
    expect(await screen.findByRole('heading', { level: 1, name: 'Brand refresh' })).toBeInTheDocument();
    expect(screen.getByText('You’re a viewer')).toBeInTheDocument();
    expect(screen.getByText('Draft one is up.')).toBeInTheDocument();
    expect(screen.getByText('You can read this conversation')).toBeInTheDocument();
    expect(screen.queryByRole('textbox', { name: 'Message' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Share' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Delete' })).not.toBeInTheDocument();
    // A viewer's page never asks who else has access.
    expect(bff.requests.some((r) => r.path.endsWith('/permissions'))).toBe(false);
  });

  it('lets an editor post but not share or delete', async () => {
    bff.session = adele();
    const conversation = seedConversation({
      title: 'Brand refresh',
      owner: principals.megan,
      grants: [{ principal: principals.adele, role: 'editor' }],
    });
    renderApp(`/conversations/${conversation.id}`);
    expect(await screen.findByRole('textbox', { name: 'Message' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Share' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Delete' })).not.toBeInTheDocument();
  });

  it('says a conversation is unavailable without saying whether it exists', async () => {
    bff.session = adele();
    const conversation = seedConversation({ title: 'Secret', owner: principals.megan });
    renderApp(`/conversations/${conversation.id}`);
    expect(await screen.findByText("This conversation isn't available")).toBeInTheDocument();
    expect(screen.queryByText('Secret')).not.toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Back to your conversations' })).toHaveAttribute(
      'href',
      '/conversations',
    );
  });

  it('shows a skeleton while loading', async () => {
    bff.session = megan();
    const conversation = seedConversation({ title: 'Q3 launch plan', owner: principals.megan });
    server.use(
      http.get(`*${sharingRoutes.conversation}`, async () => {
        await delay(200);
        return HttpResponse.json({
          id: conversation.id,
          title: 'Q3 launch plan',
          role: 'owner',
          messages: [],
          earlierCursor: null,
        });
      }),
    );
    renderApp(`/conversations/${conversation.id}`);
    expect(await screen.findByText('Loading the conversation…')).toBeInTheDocument();
    expect(await screen.findByRole('heading', { level: 1, name: 'Q3 launch plan' })).toBeInTheDocument();
  });

  it('deletes after a confirmation (Cancel first, so Enter is safe) and says so on the list', async () => {
    bff.session = megan();
    const conversation = seedConversation({ title: 'Old plan', owner: principals.megan });
    const { user, currentLocation } = renderApp(`/conversations/${conversation.id}`);
    const deleteButton = await screen.findByRole('button', { name: 'Delete' });
    await user.click(deleteButton);
    const dialog = screen.getByRole('alertdialog', { name: 'Delete “Old plan”?' });
    expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveFocus();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    expect(deleteButton).toHaveFocus();
    expect(sharingBff.conversations).toHaveLength(1);

    await user.click(deleteButton);
    await user.click(
      within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Delete conversation' }),
    );
    expect(await screen.findByText('“Old plan” was deleted.')).toBeInTheDocument();
    expect(currentLocation()).toBe('/conversations');
    expect(sharingBff.conversations).toHaveLength(0);
    expect(await screen.findByText('No conversations yet')).toBeInTheDocument();
  });
});
