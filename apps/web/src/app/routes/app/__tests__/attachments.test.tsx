import { attachmentRoutes } from '@gatehouse/contracts';
import { act, screen, waitFor, within } from '@testing-library/react';
import type { UserEvent } from '@testing-library/user-event';
import { HttpResponse, http } from 'msw';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { jobWatchTiming } from '../../../../features/attachments/job-watch';
import { adele, megan, sessionFor } from '../../../../testing/data';
import { attachmentsBff, seedDriveFile } from '../../../../testing/mocks/attachments-bff';
import { bff } from '../../../../testing/mocks/bff';
import { server } from '../../../../testing/mocks/server';
import { seedConversation } from '../../../../testing/mocks/sharing-bff';
import { principals } from '../../../../testing/sharing-data';
import { renderApp } from '../../../../testing/test-utils';

const sharepoint = 'http://127.0.0.1:3091';
const driveId = 'b!W4aBxKqlT6477cv7gQaVS3SnQlizM';
const plan = { driveId, itemId: '01PLANPLANPLANPLANPLANPLANPLANPLAN' };
const logo = { driveId, itemId: '01LOGOLOGOLOGOLOGOLOGOLOGOLOGOLOG' };

type Submitted = { action: string; target: string; token: string };
let submitted: Submitted[] = [];
const ports: Array<{ close(): void }> = [];

beforeEach(() => {
  submitted = [];
  jobWatchTiming.pollMs = 20;
  // jsdom cannot navigate a frame: record what the form would POST, and with which token.
  vi.spyOn(HTMLFormElement.prototype, 'submit').mockImplementation(function (this: HTMLFormElement) {
    const field = this.elements.namedItem('access_token') as HTMLInputElement;
    submitted.push({ action: this.action, target: this.target, token: field.value });
  });
});
afterEach(() => {
  vi.restoreAllMocks();
  jobWatchTiming.pollMs = 1000;
  for (const port of ports.splice(0)) port.close();
});

/** A window `message` event with the origin and source a test chooses (jsdom's MessageEvent wants its own ports). */
function postToHost(init: { origin: string; source: unknown; data: unknown; ports?: unknown[] }) {
  const event = new Event('message');
  Object.defineProperties(event, {
    origin: { value: init.origin },
    source: { value: init.source },
    data: { value: init.data },
    ports: { value: init.ports ?? [] },
  });
  act(() => {
    window.dispatchEvent(event);
  });
}

/** The picker's end of a real MessageChannel: what the host sent, and a way to send it commands. */
function pickerPort() {
  const channel = new MessageChannel();
  ports.push(channel.port1, channel.port2);
  const received: unknown[] = [];
  channel.port2.addEventListener('message', (event) =>
    received.push((event as unknown as { data: unknown }).data),
  );
  channel.port2.start();
  return { hostEnd: channel.port1, received, send: (data: unknown) => channel.port2.postMessage(data) };
}

function editableConversation() {
  return seedConversation({
    title: 'Q3 launch plan',
    owner: principals.megan,
    grants: [{ principal: principals.adele, role: 'editor' }],
  });
}

async function openPicker(user: UserEvent) {
  await user.click(await screen.findByRole('button', { name: 'Attach' }));
  await user.click(await screen.findByRole('menuitem', { name: 'From SharePoint' }));
  const dialog = await screen.findByRole('dialog', { name: 'Attach from SharePoint' });
  await waitFor(() => expect(submitted).toHaveLength(1));
  const frame = within(dialog).getByTitle('SharePoint file picker') as HTMLIFrameElement;
  const form = submitted[0] as Submitted;
  const options = JSON.parse(new URL(form.action).searchParams.get('filePicker') ?? '{}');
  return { dialog, frame, form, options, channelId: options.messaging.channelId as string };
}

async function connect(frame: HTMLIFrameElement, channelId: string) {
  const picker = pickerPort();
  postToHost({
    origin: sharepoint,
    source: frame.contentWindow,
    data: { type: 'initialize', channelId },
    ports: [picker.hostEnd],
  });
  await waitFor(() => expect(picker.received).toEqual([{ type: 'activate' }]));
  return picker;
}

describe('the Attach menu', () => {
  it('offers "From SharePoint" to an editor when the picker is on', async () => {
    bff.session = adele();
    const conversation = editableConversation();
    const { user } = renderApp(`/conversations/${conversation.id}`);
    const attach = await screen.findByRole('button', { name: 'Attach' });
    expect(attach).toHaveAttribute('aria-haspopup', 'menu');
    attach.focus();
    await user.keyboard('{ArrowDown}');
    expect(await screen.findByRole('menuitem', { name: 'From SharePoint' })).toHaveFocus();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('menu')).not.toBeInTheDocument();
    expect(attach).toHaveFocus();
  });

  it('is not there when the picker is off, for a viewer, or without an Entra sign-in', async () => {
    bff.session = adele();
    bff.config.sharepointPicker = { enabled: false };
    const conversation = editableConversation();
    const first = renderApp(`/conversations/${conversation.id}`);
    expect(await screen.findByRole('heading', { name: 'Attachments' })).toBeInTheDocument();
    expect(await screen.findByText('No attachments yet.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Attach' })).not.toBeInTheDocument();
    first.unmount();

    bff.config.sharepointPicker = { enabled: true, baseUrl: sharepoint };
    const viewing = seedConversation({
      title: 'Brand refresh',
      owner: principals.megan,
      grants: [{ principal: principals.adele, role: 'viewer' }],
    });
    const second = renderApp(`/conversations/${viewing.id}`);
    expect(await screen.findByText('No attachments yet.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Attach' })).not.toBeInTheDocument();
    second.unmount();

    bff.session = sessionFor({ id: 'u-adele', name: 'Adele Vance', tenantId: '' });
    renderApp(`/conversations/${conversation.id}`);
    expect(await screen.findByText('No attachments yet.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Attach' })).not.toBeInTheDocument();
  });
});

describe('the picker host', () => {
  it('POSTs the options and a SharePoint token into the frame, then keeps no token in the page', async () => {
    bff.session = adele();
    const conversation = editableConversation();
    const { user } = renderApp(`/conversations/${conversation.id}`);
    const { frame, form, options } = await openPicker(user);
    expect(form.action.startsWith(`${sharepoint}/_layouts/15/FilePicker.aspx?filePicker=`)).toBe(true);
    expect(form.target).toBe(frame.name);
    expect(form.token).toBe('sp-token-1');
    expect(options).toMatchObject({
      sdk: '8.0',
      authentication: {},
      messaging: { origin: window.location.origin },
      selection: { mode: 'multiple', maximumCount: 20 },
    });
    expect(options.messaging.channelId).toMatch(/^[0-9a-f-]{36}$/);
    expect(attachmentsBff.tokenRequests).toEqual([sharepoint]);
    expect(document.body.innerHTML).not.toContain('sp-token-1');
  });

  it('uses a fresh channel each time it opens', async () => {
    bff.session = adele();
    const conversation = editableConversation();
    const { user } = renderApp(`/conversations/${conversation.id}`);
    const first = await openPicker(user);
    await user.click(within(first.dialog).getByRole('button', { name: 'Close' }));
    submitted = [];
    const second = await openPicker(user);
    expect(second.channelId).not.toBe(first.channelId);
  });

  it('ignores a forged initialize (other origin, other window, other channel) and answers the real one', async () => {
    bff.session = adele();
    const conversation = editableConversation();
    const { user } = renderApp(`/conversations/${conversation.id}`);
    const { frame, channelId } = await openPicker(user);
    const forger = pickerPort();
    const data = { type: 'initialize', channelId };
    postToHost({ origin: 'https://evil.test', source: frame.contentWindow, data, ports: [forger.hostEnd] });
    postToHost({ origin: sharepoint, source: window, data, ports: [forger.hostEnd] });
    postToHost({
      origin: sharepoint,
      source: frame.contentWindow,
      data: { ...data, channelId: 'guess' },
      ports: [forger.hostEnd],
    });
    forger.send({ type: 'command', id: 'f1', data: { command: 'authenticate', resource: sharepoint } });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(forger.received).toEqual([]);
    expect(attachmentsBff.tokenRequests).toHaveLength(1);

    const picker = await connect(frame, channelId);
    expect(screen.queryByText('Opening SharePoint…')).not.toBeInTheDocument();
    picker.send({
      type: 'command',
      id: 'a1',
      data: { command: 'authenticate', resource: sharepoint, type: 'SharePoint' },
    });
    picker.send({
      type: 'command',
      id: 'a2',
      data: { command: 'authenticate', resource: 'https://graph.microsoft.com' },
    });
    picker.send({ type: 'command', id: 'u1', data: { command: 'browseThisDevice' } });
    await waitFor(() => expect(picker.received).toHaveLength(7));
    expect(picker.received.slice(1)).toEqual(
      expect.arrayContaining([
        { type: 'acknowledge', id: 'a1' },
        { type: 'result', id: 'a1', data: { result: 'token', token: 'sp-token-1' } },
        { type: 'acknowledge', id: 'a2' },
        {
          type: 'result',
          id: 'a2',
          data: { result: 'error', error: { code: 'unableToObtainToken', message: expect.any(String) } },
        },
        { type: 'acknowledge', id: 'u1' },
        {
          type: 'result',
          id: 'u1',
          data: { result: 'error', error: { code: 'unsupportedCommand', message: 'browseThisDevice' } },
        },
      ]),
    );
    // The picker's token came from memory; Graph's was never asked for.
    expect(attachmentsBff.tokenRequests).toEqual([sharepoint]);
  });

  it('closes when the picker says close', async () => {
    bff.session = adele();
    const conversation = editableConversation();
    const { user } = renderApp(`/conversations/${conversation.id}`);
    const { frame, channelId } = await openPicker(user);
    const picker = await connect(frame, channelId);
    picker.send({ type: 'command', id: 'c1', data: { command: 'close' } });
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(screen.getByRole('button', { name: 'Attach' })).toHaveFocus();
  });
});

describe('attaching', { timeout: 15_000 }, () => {
  it('sends only the picked ids, shows byte progress to the end, then lists the files with download links', async () => {
    bff.session = adele();
    const conversation = editableConversation();
    seedDriveFile(plan, { name: 'Launch plan.pdf', size: 2_097_152, contentType: 'application/pdf' });
    seedDriveFile(logo, { name: 'Logo.png', size: 40_960, contentType: 'image/png' });
    const { user } = renderApp(`/conversations/${conversation.id}`);
    const { frame, channelId } = await openPicker(user);
    const picker = await connect(frame, channelId);
    const forged = {
      '@sharePoint.endpoint': 'https://evil.test/_api',
      webUrl: 'https://evil.test/x',
      '@microsoft.graph.downloadUrl': 'https://evil.test/d',
    };
    picker.send({
      type: 'command',
      id: 'p1',
      data: {
        command: 'pick',
        items: [
          { id: plan.itemId, parentReference: { driveId }, name: 'Launch plan.pdf', ...forged },
          { id: logo.itemId, parentReference: { driveId }, name: 'Logo.png', ...forged },
        ],
      },
    });
    await waitFor(() =>
      expect(picker.received).toContainEqual({ type: 'result', id: 'p1', data: { result: 'success' } }),
    );
    expect(attachmentsBff.attachRequests).toEqual([[plan, logo]]);
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());

    const progress = await screen.findByRole('region', { name: 'Attaching from SharePoint' });
    expect(within(progress).getByRole('progressbar', { name: 'All files' })).toBeInTheDocument();
    const planBar = await within(progress).findByRole('progressbar', { name: 'Launch plan.pdf' });
    await waitFor(() => expect(planBar).toHaveAttribute('aria-valuenow', '100'));
    // Launch plan.pdf at 100 % does not mean Logo.png is done: wait for the job's last event.
    await waitFor(
      () =>
        expect(screen.getByRole('status', { name: 'Attaching' })).toHaveTextContent('2 of 2 files attached.'),
      { timeout: 5000 },
    );
    expect(within(progress).getByRole('progressbar', { name: 'All files' })).toHaveAttribute(
      'aria-valuenow',
      '100',
    );
    expect(within(progress).getByText('Attached · 2 MB')).toBeInTheDocument();
    // Each picked file can also be opened straight from SharePoint, by its ids only.
    expect(
      within(progress).getByRole('link', { name: 'Open Logo.png from SharePoint, without attaching it' }),
    ).toHaveAttribute(
      'href',
      `/api/sharepoint/drives/${encodeURIComponent(driveId)}/items/${logo.itemId}/content`,
    );

    const list = await screen.findByRole('list', { name: 'Attachments' });
    const link = await within(list).findByRole('link', { name: /Launch plan\.pdf \(PDF, 2 MB\), download/ });
    expect(link).toHaveAttribute('href', '/api/attachments/a-1/content');
    expect(within(list).getByRole('link', { name: /Logo\.png \(IMG, 40 KB\)/ })).toHaveAttribute(
      'href',
      '/api/attachments/a-2/content',
    );
  });

  it('tells the picker and the page when attaching is refused', async () => {
    bff.session = adele();
    const conversation = editableConversation();
    seedDriveFile(plan, { name: 'Launch plan.pdf', size: 10, contentType: 'application/pdf' });
    const { user } = renderApp(`/conversations/${conversation.id}`);
    const { frame, channelId } = await openPicker(user);
    const picker = await connect(frame, channelId);
    // Adele's role was lowered to viewer while the picker was open.
    const grant = conversation.grants.find((candidate) => candidate.principal.id === principals.adele.id);
    if (grant) grant.role = 'viewer';
    picker.send({
      type: 'command',
      id: 'p1',
      data: { command: 'pick', items: [{ id: plan.itemId, parentReference: { driveId } }] },
    });
    await waitFor(() =>
      expect(picker.received).toContainEqual({
        type: 'result',
        id: 'p1',
        data: {
          result: 'error',
          error: {
            code: 'unusableItem',
            message: 'Only editors and owners can attach files to this conversation.',
          },
        },
      }),
    );
    expect(screen.getByRole('dialog', { name: 'Attach from SharePoint' })).toBeInTheDocument();
  });

  it('says so when the user already has three jobs running (429), in the picker and on the page', async () => {
    bff.session = adele();
    const conversation = editableConversation();
    seedDriveFile(plan, { name: 'Launch plan.pdf', size: 10, contentType: 'application/pdf' });
    const busy =
      'You already have 3 attachment jobs running. Wait for one to finish, or cancel one, then try again.';
    server.use(
      http.post(`*${attachmentRoutes.attachFromSharepoint}`, () =>
        HttpResponse.json(
          { error: 'rate_limited', message: busy },
          { status: 429, headers: { 'Retry-After': '10' } },
        ),
      ),
    );
    const { user } = renderApp(`/conversations/${conversation.id}`);
    const { frame, channelId } = await openPicker(user);
    const picker = await connect(frame, channelId);
    picker.send({
      type: 'command',
      id: 'p1',
      data: { command: 'pick', items: [{ id: plan.itemId, parentReference: { driveId } }] },
    });
    await waitFor(() =>
      expect(picker.received).toContainEqual({
        type: 'result',
        id: 'p1',
        data: { result: 'error', error: { code: 'unusableItem', message: busy } },
      }),
    );
    expect(screen.getAllByRole('alert').some((alert) => alert.textContent?.includes(busy))).toBe(true);
    // The dialog stays open: the user can cancel a running job and pick again.
    expect(screen.getByRole('dialog', { name: 'Attach from SharePoint' })).toBeInTheDocument();
  });

  it('shows why a file failed, and Retry re-posts only that file', async () => {
    bff.session = adele();
    const conversation = editableConversation();
    seedDriveFile(plan, { name: 'Launch plan.pdf', size: 100, contentType: 'application/pdf' });
    seedDriveFile(logo, {
      name: 'Logo.png',
      size: 100,
      contentType: 'image/png',
      failure: { code: 'network', message: 'The connection was cut at 50 of 100 bytes.' },
      failAfterSteps: 1,
    });
    const big = seedDriveFile(
      { driveId, itemId: '01BIGBIGBIGBIGBIGBIGBIGBIGBIGBIGBI' },
      {
        name: 'Video.mp4',
        size: 300 * 1024 * 1024,
        contentType: 'video/mp4',
        failure: { code: 'too_large', message: 'Over the 256 MB limit.' },
      },
    );
    const setup = seedDriveFile(
      { driveId, itemId: '01EXEEXEEXEEXEEXEEXEEXEEXEEXEEXEEX' },
      {
        name: 'Setup.exe',
        size: 100,
        contentType: 'application/x-msdownload',
        failure: { code: 'type_refused', message: 'Files of this type cannot be attached.' },
      },
    );
    const { user } = renderApp(`/conversations/${conversation.id}`);
    const { frame, channelId } = await openPicker(user);
    const picker = await connect(frame, channelId);
    const items = [plan, logo, big, setup].map((ref) => ({
      id: ref.itemId,
      parentReference: { driveId: ref.driveId },
    }));
    picker.send({ type: 'command', id: 'p1', data: { command: 'pick', items } });

    const status = await screen.findByRole('status', { name: 'Attaching' });
    await waitFor(() => expect(status).toHaveTextContent('1 of 4 files attached, 3 failed.'));
    const progress = screen.getByRole('region', { name: 'Attaching from SharePoint' });
    expect(within(progress).getByText(/Network error: the download was interrupted\./)).toBeInTheDocument();
    expect(within(progress).getByText(/Too large to attach\./)).toBeInTheDocument();
    expect(within(progress).getByText('Over the 256 MB limit.')).toBeInTheDocument();
    // Trying again cannot make a file smaller.
    expect(within(progress).queryByRole('button', { name: 'Retry Video.mp4' })).not.toBeInTheDocument();
    // Too large to attach, but it can be opened from SharePoint without attaching; a refused type cannot.
    expect(within(progress).getByText(/You can still open it from SharePoint\./)).toBeInTheDocument();
    expect(
      within(progress).getByRole('link', { name: 'Open Video.mp4 from SharePoint, without attaching it' }),
    ).toHaveAttribute(
      'href',
      `/api/sharepoint/drives/${encodeURIComponent(driveId)}/items/${big.itemId}/content`,
    );
    expect(within(progress).getByText(/This type of file can’t be attached\./)).toBeInTheDocument();
    expect(within(progress).queryByRole('link', { name: /Open Setup\.exe/ })).not.toBeInTheDocument();
    expect(within(progress).queryByRole('button', { name: 'Retry Setup.exe' })).not.toBeInTheDocument();

    const source = attachmentsBff.files[`${logo.driveId}/${logo.itemId}`];
    if (source) delete source.failure;
    await user.click(within(progress).getByRole('button', { name: 'Retry Logo.png' }));
    await waitFor(() => expect(status).toHaveTextContent('2 of 4 files attached, 2 failed.'));
    expect(attachmentsBff.attachRequests.at(-1)).toEqual([logo]);
    const list = await screen.findByRole('list', { name: 'Attachments' });
    await within(list).findByRole('link', { name: /Logo\.png/ });
  });

  it('cancels the running job', async () => {
    bff.session = adele();
    const conversation = editableConversation();
    seedDriveFile(plan, { name: 'Launch plan.pdf', size: 1000, contentType: 'application/pdf' });
    jobWatchTiming.pollMs = 60_000;
    const { user } = renderApp(`/conversations/${conversation.id}`);
    const { frame, channelId } = await openPicker(user);
    const picker = await connect(frame, channelId);
    picker.send({
      type: 'command',
      id: 'p1',
      data: { command: 'pick', items: [{ id: plan.itemId, parentReference: { driveId } }] },
    });
    const progress = await screen.findByRole('region', { name: 'Attaching from SharePoint' });
    await within(progress).findByText('500 bytes of 1,000 bytes');
    await user.click(within(progress).getByRole('button', { name: 'Cancel' }));
    expect(await within(progress).findByText('Cancelled')).toBeInTheDocument();
    expect(attachmentsBff.cancelled).toEqual(['job-1']);
    expect(
      bff.requests.some(
        (request) => request.method === 'DELETE' && request.path === '/api/attachment-jobs/job-1',
      ),
    ).toBe(true);
    await waitFor(() =>
      expect(screen.getByRole('status', { name: 'Attaching' })).toHaveTextContent(
        '0 of 1 file attached, 1 cancelled.',
      ),
    );
    expect(within(progress).getByRole('button', { name: 'Retry Launch plan.pdf' })).toBeInTheDocument();
  });

  it('shows an error with Try again when the attachment list does not load', async () => {
    bff.session = megan();
    const conversation = editableConversation();
    attachmentsBff.listFailure = 500;
    const { user } = renderApp(`/conversations/${conversation.id}`);
    expect(await screen.findByText("We couldn't load the attachments")).toBeInTheDocument();
    attachmentsBff.listFailure = null;
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText(/No attachments yet\./)).toBeInTheDocument();
    expect(
      bff.requests.filter((request) => request.path.endsWith('/attachments')).length,
    ).toBeGreaterThanOrEqual(2);
    void attachmentRoutes;
  });
});
