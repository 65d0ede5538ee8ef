import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { megan } from '../../../../testing/data';
import { bff } from '../../../../testing/mocks/bff';
import { seedConversation } from '../../../../testing/mocks/sharing-bff';
import { principals } from '../../../../testing/sharing-data';
import { renderApp } from '../../../../testing/test-utils';

/** While `broken`, the share dialog's chunk fails to load, as it does offline or after a deploy. */
const chunk = vi.hoisted(() => ({ broken: false, loads: 0 }));

vi.mock('../../../../features/sharing/components/share-dialog', async (importOriginal) => {
  chunk.loads += 1;
  if (chunk.broken) {
    throw new TypeError('Failed to fetch dynamically imported module: share-dialog.js');
  }
  return importOriginal();
});

describe('share dialog chunk', { timeout: 15_000 }, () => {
  it('says so beside the Share button when the chunk fails, keeps the page, and retries', async () => {
    chunk.broken = true;
    bff.session = megan();
    const conversation = seedConversation({ title: 'Q3 launch plan', owner: principals.megan });
    const { user } = renderApp(`/conversations/${conversation.id}`);
    const share = await screen.findByRole('button', { name: 'Share' });
    await user.click(share);

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent("The share dialog didn't load");
    // In the conversation's header, not the app-wide error page: the conversation is still there.
    expect(share.closest('header')).toContainElement(alert);
    expect(screen.getByRole('heading', { level: 1, name: 'Q3 launch plan' })).toBeInTheDocument();
    expect(screen.queryByText('Something went wrong')).not.toBeInTheDocument();
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();

    // Back online: Try again fetches the chunk again (a failed import is not kept).
    chunk.broken = false;
    const loadsBefore = chunk.loads;
    await user.click(within(alert).getByRole('button', { name: 'Try again' }));
    const dialog = await screen.findByRole('dialog', { name: 'Share “Q3 launch plan”' });
    expect(dialog).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(chunk.loads).toBe(loadsBefore + 1);

    await user.click(within(dialog).getAllByRole('button', { name: 'Close' }).at(-1) as HTMLElement);
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(share).toHaveFocus();
    // Loaded once, it opens again at once.
    await user.click(share);
    expect(await screen.findByRole('dialog')).toBeInTheDocument();
    expect(chunk.loads).toBe(loadsBefore + 1);
  });
});
