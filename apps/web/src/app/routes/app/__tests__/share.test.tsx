import { sharingRoutes } from '@gatehouse/contracts';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { HttpResponse, http } from 'msw';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { megan } from '../../../../testing/data';
import { bff } from '../../../../testing/mocks/bff';
import { server } from '../../../../testing/mocks/server';
import { seedConversation, sharingBff } from '../../../../testing/mocks/sharing-bff';
import { demoDirectory, principals } from '../../../../testing/sharing-data';
import { type RenderedApp, renderApp } from '../../../../testing/test-utils';

/** Megan owns "Q3 launch plan" and opens its share dialog from the keyboard. */
async function openShareDialog(options: { grants?: Parameters<typeof seedConversation>[0]['grants'] } = {}) {
  bff.session = megan();
  sharingBff.directory = demoDirectory();
  const conversation = seedConversation({
    title: 'Q3 launch plan',
    owner: principals.megan,
    grants: options.grants ?? [],
  });
  const app = renderApp(`/conversations/${conversation.id}`);
  const share = await screen.findByRole('button', { name: 'Share' });
  share.focus();
  await app.user.keyboard('{Enter}');
  const dialog = await screen.findByRole('dialog', { name: 'Share “Q3 launch plan”' });
  // The dialog starts from what the server says.
  await within(dialog)
    .findByRole('combobox', { name: 'Role for Megan Bowen' })
    .catch(() => undefined);
  return { ...app, conversation, dialog, share };
}

function combobox() {
  return screen.getByRole('combobox', { name: 'Add people and groups' });
}

function liveRegion(dialog: HTMLElement) {
  const region = within(dialog)
    .getAllByRole('status')
    .find((element) => element.getAttribute('aria-live') === 'polite');
  if (!region) throw new Error('no polite live region');
  return region;
}

/** Types, waits for the listbox to show the merged (local + directory) results, returns the options. */
async function search(app: RenderedApp, text: string) {
  await app.user.type(combobox(), text);
  const listbox = await screen.findByRole('listbox', { name: 'People and groups' });
  await waitFor(() => expect(within(listbox).queryAllByRole('option').length).toBeGreaterThan(0));
  await waitFor(() => expect(listbox).not.toHaveAttribute('aria-busy'));
  return within(listbox).getAllByRole('option');
}

/** The searches the SPA sent, as `sources:q`, in order. */
function sentSearches() {
  return sharingBff.searchRequests.map((request) => `${request.sources}:${request.q}`);
}

async function tabTo(app: RenderedApp, name: string) {
  for (let step = 0; step < 30; step += 1) {
    if (document.activeElement?.textContent === name) return;
    await app.user.tab();
  }
  throw new Error(`Tab never reached "${name}"`);
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('share dialog', { timeout: 15_000 }, () => {
  it('shares with a group from the keyboard alone: type, arrows, Enter, role, Save', async () => {
    const app = await openShareDialog();
    const { dialog, user } = app;
    const input = combobox();
    expect(input).toHaveFocus();
    expect(input).toHaveAttribute('aria-expanded', 'false');
    expect(within(dialog).getByRole('combobox', { name: 'Role for Megan Bowen' })).toHaveValue('owner');

    const options = await search(app, 'mark');
    expect(options.map((option) => option.textContent)).toEqual([
      expect.stringMatching(/Marketing.*Group · 12 members.*Entra/),
      expect.stringMatching(/Marketing EU.*Group · 3 members.*Entra/),
    ]);
    expect(input).toHaveAttribute('aria-expanded', 'true');
    expect(input.getAttribute('aria-controls')).toBe(screen.getByRole('listbox').id);
    await waitFor(() =>
      expect(liveRegion(dialog)).toHaveTextContent('2 results. Use the up and down arrows to choose.'),
    );

    await user.keyboard('{ArrowDown}{ArrowDown}');
    expect(input).toHaveAttribute('aria-activedescendant', options[1]?.id);
    expect(options[1]).toHaveAttribute('aria-selected', 'true');
    await user.keyboard('{ArrowUp}');
    expect(input).toHaveAttribute('aria-activedescendant', options[0]?.id);
    await user.keyboard('{Enter}');

    const chips = within(dialog).getByRole('list', { name: 'To be added' });
    expect(within(chips).getByRole('listitem')).toHaveTextContent(/Marketing.*12.*Entra/);
    expect(input).toHaveValue('');
    expect(input).toHaveFocus();
    expect(input).toHaveAttribute('aria-expanded', 'false');
    expect(liveRegion(dialog)).toHaveTextContent('Marketing added.');

    await user.tab();
    const pendingRole = within(dialog).getByRole('combobox', {
      name: 'Role for the people and groups you add',
    });
    expect(pendingRole).toHaveFocus();
    expect(pendingRole).toHaveValue('viewer');
    await user.selectOptions(pendingRole, 'editor');

    await tabTo(app, 'Save');
    await user.keyboard('{Enter}');
    expect(
      await within(dialog).findByText('Sharing saved. 2 people and groups have access.'),
    ).toBeInTheDocument();
    expect(sharingBff.puts).toEqual([
      {
        grants: [
          { principal: { type: 'user', source: 'local', id: 'u-megan' }, role: 'owner' },
          { principal: { type: 'group', source: 'entra', id: 'g-marketing' }, role: 'editor' },
        ],
      },
    ]);
    expect(within(dialog).queryByRole('list', { name: 'To be added' })).not.toBeInTheDocument();
    expect(within(dialog).getByRole('combobox', { name: 'Role for Marketing' })).toHaveValue('editor');
    expect(within(dialog).getByRole('button', { name: 'Save' })).toBeDisabled();
    // The disabled Save button gives the focus to Close, so the keyboard user can go on (Escape closes).
    await waitFor(() => expect(document.activeElement).toHaveTextContent(/^Close$/));
    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
  });

  it('edits the current grants: change a role, remove someone', async () => {
    const { dialog, user } = await openShareDialog({
      grants: [
        { principal: principals.alexEntra, role: 'viewer' },
        { principal: principals.marketing, role: 'viewer' },
      ],
    });
    await user.selectOptions(
      await within(dialog).findByRole('combobox', { name: 'Role for Alex Wilber' }),
      'editor',
    );
    await user.click(within(dialog).getByRole('button', { name: 'Remove Marketing' }));
    expect(within(dialog).queryByText('Marketing')).not.toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(
      await within(dialog).findByText('Sharing saved. 2 people and groups have access.'),
    ).toBeInTheDocument();
    expect(sharingBff.conversations[0]?.grants.map((grant) => [grant.principal.name, grant.role])).toEqual([
      ['Megan Bowen', 'owner'],
      ['Alex Wilber', 'editor'],
    ]);
  });

  it('Backspace in the empty box removes the last chip, then the one before', async () => {
    const app = await openShareDialog();
    const { dialog, user } = app;
    await search(app, 'alex');
    await user.keyboard('{ArrowDown}{Enter}');
    await search(app, 'mark');
    await user.keyboard('{ArrowDown}{Enter}');
    const chips = within(dialog).getByRole('list', { name: 'To be added' });
    expect(
      within(chips)
        .getAllByRole('listitem')
        .map((chip) => chip.textContent),
    ).toEqual([expect.stringContaining('Alex Wilber'), expect.stringContaining('Marketing')]);

    await user.keyboard('{Backspace}');
    expect(within(chips).getAllByRole('listitem')).toHaveLength(1);
    expect(liveRegion(dialog)).toHaveTextContent('Marketing removed.');
    await user.keyboard('{Backspace}');
    expect(within(dialog).queryByRole('list', { name: 'To be added' })).not.toBeInTheDocument();
    expect(liveRegion(dialog)).toHaveTextContent('Alex Wilber removed.');
    // Backspace while typing edits the text and leaves the chips alone.
    await search(app, 'alex');
    await user.keyboard('{ArrowDown}{Enter}');
    await user.type(combobox(), 'ma{Backspace}');
    expect(combobox()).toHaveValue('m');
    expect(within(dialog).getByRole('list', { name: 'To be added' })).toHaveTextContent('Alex Wilber');
  });

  it('Escape closes the list first, then clears the text, and only then closes the dialog', async () => {
    const app = await openShareDialog();
    const { user, share } = app;
    await search(app, 'meg');
    const input = combobox();
    await user.keyboard('{Escape}');
    expect(input).toHaveAttribute('aria-expanded', 'false');
    expect(input).toHaveValue('meg');
    expect(screen.getByRole('dialog')).toBeInTheDocument();
    await user.keyboard('{Escape}');
    expect(input).toHaveValue('');
    expect(screen.getByRole('dialog')).toBeInTheDocument();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(share).toHaveFocus();
    expect(sharingBff.puts).toEqual([]);
  });

  it('asks before closing with unsaved changes, and keeps them on Cancel', async () => {
    const app = await openShareDialog();
    const { dialog, user, share } = app;
    await search(app, 'alex');
    await user.keyboard('{ArrowDown}{Enter}{Escape}');
    const confirm = screen.getByRole('alertdialog', { name: 'Discard your changes?' });
    expect(within(confirm).getByRole('button', { name: 'Cancel' })).toHaveFocus();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    expect(within(dialog).getByRole('list', { name: 'To be added' })).toHaveTextContent('Alex Wilber');
    expect(combobox()).toHaveFocus();

    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await user.click(
      within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Discard changes' }),
    );
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(share).toHaveFocus();
    expect(sharingBff.puts).toEqual([]);
  });

  it('marks who already has access and does not add them twice', async () => {
    const app = await openShareDialog();
    const options = await search(app, 'megan');
    expect(options[0]).toHaveTextContent(/Megan Bowen.*already has access.*Local/);
    expect(options[0]).toHaveAttribute('aria-disabled', 'true');
    expect(options[1]).toHaveTextContent(/Megan Bowen.*Entra/);
    await app.user.keyboard('{ArrowDown}{Enter}');
    expect(liveRegion(app.dialog)).toHaveTextContent('Megan Bowen already has access.');
    expect(within(app.dialog).queryByRole('list', { name: 'To be added' })).not.toBeInTheDocument();
  });

  it('debounces typing into one pair of requests: local only, and local + directory', async () => {
    const app = await openShareDialog();
    await search(app, 'marketing');
    expect(sentSearches()).toEqual(['local:marketing', 'all:marketing']);
  });

  it('sends exactly 2 searches for a 6-letter name typed at 60 ms per key', async () => {
    await openShareDialog();
    sharingBff.directory.push(
      { type: 'user', source: 'local', id: 'u-sanjay', name: 'Sanjay Rao', email: 'sanjay@contoso.test' },
      { type: 'user', source: 'entra', id: 'e-sanjay', name: 'Sanjay Patel', email: 'spatel@contoso.test' },
    );
    const typist = userEvent.setup({ delay: 60 });
    const started = Date.now();
    await typist.type(combobox(), 'sanjay');
    // The typing really took 60 ms per key (5 gaps), so the debounce saw every pause.
    expect(Date.now() - started).toBeGreaterThanOrEqual(5 * 60 - 10);
    const listbox = await screen.findByRole('listbox', { name: 'People and groups' });
    await waitFor(() => expect(within(listbox).getAllByRole('option')).toHaveLength(2));
    await waitFor(() => expect(listbox).not.toHaveAttribute('aria-busy'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sentSearches()).toEqual(['local:sanjay', 'all:sanjay']);
    expect(sharingBff.searchRequests.every((request) => !request.aborted)).toBe(true);
  });

  it('shows local matches first, marked as still searching, then the merged answer', async () => {
    const app = await openShareDialog();
    sharingBff.searchDelayMs = 600;
    await app.user.type(combobox(), 'megan');
    const listbox = await screen.findByRole('listbox', { name: 'People and groups' });
    const local = await within(listbox).findByRole('option', { name: /Megan Bowen/ });
    expect(local).toHaveTextContent(/Megan Bowen.*Local/);
    expect(within(listbox).getAllByRole('option')).toHaveLength(1);
    expect(listbox).toHaveAttribute('aria-busy', 'true');
    expect(listbox).not.toHaveClass('gh-picker__list--stale');
    expect(screen.getByText('Searching the directory…')).toBeVisible();
    await waitFor(() =>
      expect(liveRegion(app.dialog)).toHaveTextContent('1 result so far, still searching the directory.'),
    );
    // The directory's answer is still on its way.
    expect(sharingBff.searchRequests.find((request) => request.sources === 'all')).toEqual({
      q: 'megan',
      sources: 'all',
      aborted: false,
    });

    await waitFor(() => expect(within(listbox).getAllByRole('option')).toHaveLength(2), { timeout: 2000 });
    expect(within(listbox).getAllByRole('option')[1]).toHaveTextContent(/Megan Bowen.*Entra/);
    expect(listbox).not.toHaveAttribute('aria-busy');
    expect(screen.queryByText('Searching the directory…')).not.toBeInTheDocument();
    await waitFor(() =>
      expect(liveRegion(app.dialog)).toHaveTextContent('2 results. Use the up and down arrows to choose.'),
    );
  });

  it('keeps the active option when the merged answer replaces the local one', async () => {
    const app = await openShareDialog();
    // The merged answer puts Adam (Entra) before Adele (local), so Adele moves from first to second.
    sharingBff.directory.unshift(
      { type: 'user', source: 'entra', id: 'e-adam', name: 'Adam Adeleke', email: 'adam@contoso.test' },
      { ...principals.adele },
    );
    sharingBff.searchDelayMs = 500;
    await app.user.type(combobox(), 'ade');
    const listbox = await screen.findByRole('listbox', { name: 'People and groups' });
    await within(listbox).findByRole('option', { name: /Adele Vance/ });
    await app.user.keyboard('{ArrowDown}');
    await waitFor(() => expect(within(listbox).getAllByRole('option')).toHaveLength(2), { timeout: 2000 });
    const adele = within(listbox).getByRole('option', { name: /Adele Vance/ });
    expect(within(listbox).getAllByRole('option').indexOf(adele)).toBe(1);
    expect(adele).toHaveAttribute('aria-selected', 'true');
    expect(combobox()).toHaveAttribute('aria-activedescendant', adele.id);
    await app.user.keyboard('{Enter}');
    expect(within(app.dialog).getByRole('list', { name: 'To be added' })).toHaveTextContent(/Adele Vance/);
  });

  it('ignores a local answer that comes after the merged one', async () => {
    const app = await openShareDialog();
    sharingBff.localSearchDelayMs = 400;
    await app.user.type(combobox(), 'megan');
    const listbox = await screen.findByRole('listbox', { name: 'People and groups' });
    await waitFor(() => expect(within(listbox).getAllByRole('option')).toHaveLength(2));
    expect(listbox).not.toHaveAttribute('aria-busy');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(within(listbox).getAllByRole('option')).toHaveLength(2);
    expect(listbox).not.toHaveAttribute('aria-busy');
    expect(screen.queryByText('Searching the directory…')).not.toBeInTheDocument();
  });

  it('cancels both requests of a query the user typed past', async () => {
    const app = await openShareDialog();
    sharingBff.searchDelayMs = 400;
    sharingBff.localSearchDelayMs = 400;
    await app.user.type(combobox(), 'al');
    await waitFor(() => expect(sharingBff.searchRequests).toHaveLength(2));
    await app.user.type(combobox(), 'e');
    const listbox = await screen.findByRole('listbox');
    expect(await within(listbox).findByRole('option', { name: /Alex Wilber/ })).toBeInTheDocument();
    await waitFor(() =>
      expect(sharingBff.searchRequests).toEqual([
        { q: 'al', sources: 'local', aborted: true },
        { q: 'al', sources: 'all', aborted: true },
        { q: 'ale', sources: 'local', aborted: false },
        { q: 'ale', sources: 'all', aborted: false },
      ]),
    );
  });

  it('shows partial results with the reasons as a gentle notice', async () => {
    const app = await openShareDialog();
    sharingBff.partialReasons = ['The directory did not answer in time: showing Gatehouse users only.'];
    sharingBff.directory = [{ ...principals.megan }, { ...principals.adele }];
    const options = await search(app, 'contoso');
    expect(options).toHaveLength(2);
    expect(screen.getByText('Some results may be missing')).toBeInTheDocument();
    expect(
      screen.getByText('The directory did not answer in time: showing Gatehouse users only.'),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(liveRegion(app.dialog)).toHaveTextContent(
        '2 results, but part of the directory could not be searched.',
      ),
    );
  });

  it('says when nothing matches, and when search fails', async () => {
    const app = await openShareDialog();
    await app.user.type(combobox(), 'zzz');
    expect(
      await screen.findByText('No people or groups match “zzz”.', { selector: '.gh-picker__message' }),
    ).toBeVisible();
    await waitFor(() => expect(liveRegion(app.dialog)).toHaveTextContent('No people or groups match “zzz”.'));

    server.use(
      http.get(`*${sharingRoutes.search}`, () =>
        HttpResponse.json(
          { error: 'rate_limited', message: 'Too many searches, wait a moment' },
          { status: 429 },
        ),
      ),
    );
    await app.user.type(combobox(), 'y');
    expect(
      await screen.findByText("Search didn't work: Too many searches, wait a moment"),
    ).toBeInTheDocument();
  });

  it('explains a refused save in words: the last owner', async () => {
    const { dialog, user } = await openShareDialog({
      grants: [{ principal: principals.adele, role: 'editor' }],
    });
    await user.selectOptions(
      await within(dialog).findByRole('combobox', { name: 'Role for Megan Bowen' }),
      'viewer',
    );
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      "Sharing wasn't savedA conversation needs at least one owner. Make someone an owner (it can be you) before you save.",
    );
    expect(sharingBff.conversations[0]?.grants.map((grant) => grant.role)).toEqual(['owner', 'editor']);
    // The edit is still there to fix.
    expect(within(dialog).getByRole('combobox', { name: 'Role for Megan Bowen' })).toHaveValue('viewer');
  });

  it('explains a refused save in words: a principal the directory does not know', async () => {
    const app = await openShareDialog();
    server.use(
      http.put(`*${sharingRoutes.permissions}`, () =>
        HttpResponse.json(
          { error: 'unknown_principal', message: 'entra user e-alex is unknown' },
          { status: 400 },
        ),
      ),
    );
    await search(app, 'alex');
    await app.user.keyboard('{ArrowDown}{Enter}');
    await app.user.click(within(app.dialog).getByRole('button', { name: 'Save' }));
    expect(await within(app.dialog).findByRole('alert')).toHaveTextContent(
      "One of the people or groups you added isn't in your organisation's directory any more.",
    );
  });

  it('lists who is in a group, page by page', async () => {
    sharingBff.groupMembers['entra:g-marketing'] = [
      { ...principals.adele, relation: 'member' },
      { ...principals.alexEntra, relation: 'member' },
      { ...principals.meganEntra, relation: 'owner' },
    ];
    const { dialog, user } = await openShareDialog({
      grants: [{ principal: principals.marketing, role: 'viewer' }],
    });
    const toggle = await within(dialog).findByRole('button', { name: 'Who is in Marketing?' });
    await user.click(toggle);
    expect(toggle).toHaveAttribute('aria-expanded', 'true');
    const members = await within(dialog).findByRole('list', { name: 'Members of Marketing' });
    expect(within(members).getAllByRole('listitem')).toHaveLength(2);
    await user.click(within(dialog).getByRole('button', { name: 'Load more members' }));
    await waitFor(() => expect(within(members).getAllByRole('listitem')).toHaveLength(3));
    expect(within(members).getAllByRole('listitem')[2]).toHaveTextContent(/Megan Bowen.*Group owner/);
    expect(within(dialog).queryByRole('button', { name: 'Load more members' })).not.toBeInTheDocument();
  });

  it('hides the search and says why when people search is off', async () => {
    bff.config = { ...bff.config, peopleSearch: false };
    const { dialog } = await openShareDialog({ grants: [{ principal: principals.adele, role: 'viewer' }] });
    expect(within(dialog).getByText('People search is turned off')).toBeInTheDocument();
    expect(within(dialog).queryByRole('combobox', { name: 'Add people and groups' })).not.toBeInTheDocument();
    expect(await within(dialog).findByRole('combobox', { name: 'Role for Adele Vance' })).toBeInTheDocument();
    expect(sharingBff.searchRequests).toEqual([]);
  });

  it('never searches once the session has ended', async () => {
    const app = await openShareDialog();
    await app.user.type(combobox(), 'mar');
    act(() => app.deps.auth.endSession('revoked'));
    expect(await screen.findByRole('heading', { name: /session has ended/i })).toBeInTheDocument();
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(sharingBff.searchRequests).toEqual([]);
  });

  it('keeps the whole name and email of a grant in a tooltip (the row shortens them with an ellipsis)', async () => {
    const long = {
      type: 'user',
      source: 'entra',
      id: 'e-bart',
      name: 'Bartholomew Featherstonehaugh-Smythe',
      email: 'bartholomew.featherstonehaugh-smythe@contoso.onmicrosoft.test',
    } as const;
    const { dialog } = await openShareDialog({ grants: [{ principal: long, role: 'editor' }] });
    await within(dialog).findByRole('combobox', { name: `Role for ${long.name}` });
    expect(within(dialog).getByTitle(long.email)).toHaveTextContent(long.email);
    expect(within(dialog).getByTitle(long.name)).toHaveTextContent(long.name);
    expect(within(dialog).getByTitle('Megan Bowen (you)')).toBeInTheDocument();
  });

  it('shows photos where there are some, initials elsewhere', async () => {
    sharingBff.photos['entra:user:e-alex'] = new Blob([new Uint8Array([0xff, 0xd8, 0xff])], {
      type: 'image/jpeg',
    });
    const created: string[] = [];
    const createObjectURL = vi.fn((blob: Blob) => {
      created.push(blob.type);
      return 'blob:http://localhost/alex';
    });
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL, revokeObjectURL: vi.fn() }));
    const { dialog } = await openShareDialog({
      grants: [
        { principal: principals.alexEntra, role: 'viewer' },
        { principal: principals.adele, role: 'viewer' },
      ],
    });
    const rows = await within(dialog).findAllByRole('listitem');
    const alex = rows.find((row) => row.textContent?.includes('Alex Wilber'));
    const adele = rows.find((row) => row.textContent?.includes('Adele Vance'));
    await waitFor(() =>
      expect(alex?.querySelector('img')).toHaveAttribute('src', 'blob:http://localhost/alex'),
    );
    expect(adele?.querySelector('img')).toBeNull();
    expect(adele).toHaveTextContent('AV');
    expect(created).toEqual(['image/jpeg']);
  });
});
