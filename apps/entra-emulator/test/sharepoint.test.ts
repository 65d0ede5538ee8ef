import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contosoSeed } from '../src/index';
import { PICKER_MESSENGER_JS } from '../src/sharepoint/picker-messenger';
import { startEmulator } from '../src/start-emulator';
import { createTestEmulator, json, signInAndRedeem } from './helpers';

const SP = 'http://127.0.0.1:3091';
const SP_SCOPE = `openid offline_access ${SP}/AllSites.Read ${SP}/MyFiles.Read`;
const HOST = 'http://localhost:3080';
const marketing = contosoSeed.drives!.find((d) => d.items.some((i) => i.name === 'Campaign footage.mp4'))!;

function pickerOptions(extra: Record<string, unknown> = {}) {
  return {
    sdk: '8.0',
    entry: { oneDrive: {} },
    authentication: {},
    messaging: { origin: HOST, channelId: 'channel-1' },
    ...extra,
  };
}

describe('SharePoint site', () => {
  const emulator = createTestEmulator();
  let spToken: string;
  let graphToken: string;

  const openPicker = (token: string | undefined, options: unknown = pickerOptions(), path = '') => {
    const url = new URL(`${SP}${path}/_layouts/15/FilePicker.aspx`);
    url.searchParams.set('filePicker', typeof options === 'string' ? options : JSON.stringify(options));
    url.searchParams.set('locale', '1033');
    const body = new URLSearchParams(token === undefined ? {} : { access_token: token });
    return emulator.fetch(new Request(url, { method: 'POST', body }));
  };
  const config = async (response: Response) => {
    const page = await response.text();
    const block = /<script type="application\/json" id="picker-config">([^<]*)<\/script>/.exec(page)!;
    return { page, config: JSON.parse(block[1]!) };
  };

  beforeAll(async () => {
    spToken = (await signInAndRedeem(emulator, 'adele@contoso.test', { scope: SP_SCOPE })).tokens
      .access_token!;
    graphToken = (
      await signInAndRedeem(emulator, 'adele@contoso.test', { scope: 'openid offline_access Files.Read.All' })
    ).tokens.access_token!;
  });

  describe('FilePicker.aspx', () => {
    it('serves the picker to a SharePoint token, framable only by messaging.origin, with a nonce CSP', async () => {
      const response = await openPicker(spToken);
      expect(response.status).toBe(200);
      const csp = response.headers.get('content-security-policy')!;
      expect(csp).toContain(`frame-ancestors ${HOST}`);
      const nonce = /script-src 'nonce-([^']+)'/.exec(csp)![1];
      const { page, config: pageConfig } = await config(response);
      expect(page).toContain(`<script nonce="${nonce}">`);
      expect(page).toContain('Adele Vance');
      expect(page).not.toMatch(/<script src=|<link /);
      expect(pageConfig).toMatchObject({
        origin: SP,
        lang: 'en-US',
        formToken: null,
        options: {
          messaging: { origin: HOST, channelId: 'channel-1', acknowledgeTimeout: 3000 },
          authentication: true,
          selection: { mode: 'single', maximumCount: 1 },
          typesAndSources: { mode: 'all', filters: [] },
          search: true,
        },
      });
    });

    it('reads selection, maxCount (the older SDKs’ name), types, labels and search from the options', async () => {
      const response = await openPicker(
        spToken,
        pickerOptions({
          selection: { mode: 'multiple', maxCount: 3 },
          typesAndSources: { mode: 'files', filters: ['.pdf', 'photo'] },
          commands: {
            pick: { label: 'Attach', select: { urls: { download: true } } },
            close: { label: 'Never mind' },
          },
          search: { enabled: false },
          title: 'Attach files',
        }),
      );
      const { page, config: pageConfig } = await config(response);
      expect(pageConfig.options).toMatchObject({
        selection: { mode: 'multiple', maximumCount: 3 },
        typesAndSources: { mode: 'files', filters: ['.pdf', 'photo'] },
        download: true,
        search: false,
        pickLabel: 'Attach',
      });
      expect(page).toContain('>Attach</button>');
      expect(page).toContain('>Never mind</button>');
      expect(page).not.toContain('role="search"');
      expect(page).toContain('<title>Attach files</title>');
    });

    it('without `authentication` in the options the page reads with the posted token (the cookie case)', async () => {
      const { authentication: _, ...options } = pickerOptions();
      const { config: pageConfig } = await config(await openPicker(spToken, options));
      expect(pageConfig.options.authentication).toBe(false);
      expect(pageConfig.formToken).toBe(spToken);
    });

    it('opens in the library of the site it was posted to', async () => {
      const { config: pageConfig } = await config(
        await openPicker(spToken, pickerOptions(), '/sites/marketing'),
      );
      expect(pageConfig.entry).toEqual({ sharePoint: true, siteUrl: `${SP}/sites/marketing` });
    });

    it("takes the request of Microsoft's javascript-basic sample as it builds it (pivots narrow the nav)", async () => {
      // OneDrive/samples samples/file-picking/javascript-basic: these options, `${baseUrl}/_layouts/…`
      // without a locale, the token in a form field.
      const options = {
        sdk: '8.0',
        entry: { oneDrive: { files: {} } },
        authentication: {},
        messaging: { origin: 'http://localhost:3000', channelId: '27' },
        typesAndSources: { mode: 'files', pivots: { oneDrive: true, recent: true } },
      };
      const query = new URLSearchParams({ filePicker: JSON.stringify(options) });
      const response = await emulator.fetch(
        new Request(`${SP}/_layouts/15/FilePicker.aspx?${query}`, {
          method: 'POST',
          body: new URLSearchParams({ access_token: spToken }),
        }),
      );
      expect(response.status).toBe(200);
      expect(response.headers.get('content-security-policy')).toContain(
        'frame-ancestors http://localhost:3000',
      );
      const { config: pageConfig } = await config(response);
      expect(pageConfig.entry).toEqual({});
      expect(pageConfig.options).toMatchObject({
        messaging: { origin: 'http://localhost:3000', channelId: '27' },
        authentication: true,
        selection: { mode: 'single', maximumCount: 1 },
        typesAndSources: {
          mode: 'files',
          filters: [],
          pivots: { oneDrive: true, sites: false, recent: true },
        },
      });
      const spa = await config(
        await openPicker(
          spToken,
          pickerOptions({
            typesAndSources: { pivots: { oneDrive: true, sharedLibraries: true, site: true } },
          }),
        ),
      );
      expect(spa.config.options.typesAndSources.pivots).toEqual({
        oneDrive: true,
        sites: true,
        recent: false,
      });
      const badPivots = await openPicker(
        spToken,
        pickerOptions({ typesAndSources: { pivots: ['oneDrive'] } }),
      );
      expect(badPivots.status).toBe(400);
      expect(await badPivots.text()).toContain('typesAndSources.pivots');
    });

    it('refuses a missing token, a Graph token and a GET with an error page that cannot be framed', async () => {
      const missing = await openPicker(undefined);
      expect(missing.status).toBe(401);
      expect(missing.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(await missing.text()).toContain('No access token was posted');
      const graph = await openPicker(graphToken);
      expect(graph.status).toBe(401);
      expect(graph.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(await graph.text()).toContain('AudienceUriValidationFailedException');
      const get = await emulator.fetch(new Request(`${SP}/_layouts/15/FilePicker.aspx`));
      expect(get.status).toBe(405);
    });

    it('refuses options without messaging.origin ("No specified origin"), bad JSON and bad selection', async () => {
      const noOrigin = await openPicker(spToken, { sdk: '8.0', messaging: { channelId: 'x' } });
      expect(noOrigin.status).toBe(400);
      expect(await noOrigin.text()).toContain('No specified origin');
      expect(await (await openPicker(spToken, '{nope')).text()).toContain('not valid JSON');
      const badCount = await openPicker(
        spToken,
        pickerOptions({ selection: { mode: 'multiple', maximumCount: 0 } }),
      );
      expect(await badCount.text()).toContain('selection.maximumCount');
      const badOrigin = await openPicker(
        spToken,
        pickerOptions({ messaging: { origin: 'localhost:3080/x', channelId: 'c' } }),
      );
      expect(await badOrigin.text()).toContain('messaging.origin must be an origin');
    });
  });

  describe('/_api/v2.0', () => {
    const api = (path: string, token: string) =>
      emulator.fetch(
        new Request(`${SP}/_api/v2.0${path}`, { headers: { authorization: `Bearer ${token}` } }),
      );

    it('serves drives, children and search to SharePoint tokens', async () => {
      expect((await json(await api('/me/drive', spToken))).name).toBe('OneDrive');
      const sites = await json(await api('/sites?search=*', spToken));
      expect(sites.value.map((s: { displayName: string }) => s.displayName)).toEqual([
        'Contoso',
        'Marketing',
      ]);
      const children = await json(await api(`/drives/${marketing.id}/root/children`, spToken));
      expect(children.value[0]).toMatchObject({
        parentReference: { driveId: marketing.id },
        sharepointIds: { listId: marketing.listId },
      });
      const found = await json(await api(`/drives/${marketing.id}/root/search(q='logo')`, spToken));
      expect(found.value.map((i: { name: string }) => i.name)).toEqual(['Logo.png']);
    });

    it('refuses a Graph token with the audience exception SharePoint names', async () => {
      const response = await api('/me/drive', graphToken);
      expect(response.status).toBe(401);
      expect(response.headers.get('x-ms-diagnostics')).toContain('AudienceUriValidationFailedException');
      expect((await json(response)).error.code).toBe('unauthenticated');
    });
  });
});

describe('startEmulator', () => {
  let running: Awaited<ReturnType<typeof startEmulator>>;
  beforeAll(async () => {
    running = await startEmulator({ port: 0 });
  });
  afterAll(() => running.close());

  it('also listens at the SharePoint origin, whose tokens are audience-checked over HTTP', async () => {
    expect(running.sharepointUrl).toBe(`http://127.0.0.1:${running.sharepointPort}`);
    const scope = `openid offline_access ${running.sharepointUrl}/AllSites.Read ${running.sharepointUrl}/MyFiles.Read`;
    const { tokens } = await signInAndRedeem(running, 'adele@contoso.test', { scope });
    const response = await fetch(`${running.sharepointUrl}/_api/v2.0/me/drive`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(response.status).toBe(200);
    const url = new URL(`${running.sharepointUrl}/_layouts/15/FilePicker.aspx`);
    url.searchParams.set('filePicker', JSON.stringify(pickerOptions()));
    const page = await fetch(url, {
      method: 'POST',
      body: new URLSearchParams({ access_token: tokens.access_token! }),
    });
    expect(page.status).toBe(200);
    // The main origin does not serve the picker.
    expect((await fetch(`${running.url}/_layouts/15/FilePicker.aspx`, { method: 'POST' })).status).toBe(404);
  });
});

/**
 * The page's protocol code (the same string the page runs) against a host written from the docs: it
 * posts `initialize` with a port to messaging.origin only, waits for `activate`, and each command waits
 * for `acknowledge` and then `result`.
 */
describe('picker protocol (the page script)', () => {
  type Env = Record<string, unknown>;
  const createPickerMessenger = new Function(`${PICKER_MESSENGER_JS}; return createPickerMessenger;`)() as (
    env: Env,
  ) => {
    start(): void;
    command(data: Record<string, unknown>): Promise<Record<string, unknown>>;
    notify(data: unknown): void;
    close(): void;
  };

  function setUp(
    options: { acknowledgeTimeout?: number; initializeTimeout?: number; resultTimeout?: number } = {},
  ) {
    const posted: Array<{ message: { type: string; channelId: string }; origin: string; port: MessagePort }> =
      [];
    const events: string[] = [];
    let resolveActivated: () => void = () => {};
    const activated = new Promise<void>((resolve) => {
      resolveActivated = resolve;
    });
    const errors: Error[] = [];
    const messenger = createPickerMessenger({
      MessageChannel,
      target: {
        postMessage(message: { type: string; channelId: string }, origin: string, transfer: MessagePort[]) {
          posted.push({ message, origin, port: transfer[0]! });
        },
      },
      targetOrigin: HOST,
      channelId: 'channel-7',
      setTimeout,
      clearTimeout,
      acknowledgeTimeout: options.acknowledgeTimeout ?? 1000,
      resultTimeout: options.resultTimeout ?? 2000,
      initializeTimeout: options.initializeTimeout ?? 1000,
      onActivate: () => {
        events.push('activated');
        resolveActivated();
      },
      onError: (error: Error) => errors.push(error),
    });
    return { messenger, posted, events, activated, errors };
  }

  it('initialize → activate → authenticate and pick answered with acknowledge then result', async () => {
    const { messenger, posted, activated } = setUp();
    messenger.start();
    expect(posted).toHaveLength(1);
    expect(posted[0]!.message).toEqual({ type: 'initialize', channelId: 'channel-7' });
    expect(posted[0]!.origin).toBe(HOST);
    const port = posted[0]!.port;
    const seen: Array<Record<string, unknown>> = [];
    port.on('message', (message: { type: string; id: string; data: { command: string } }) => {
      seen.push(message);
      if (message.type !== 'command') return;
      port.postMessage({ type: 'acknowledge', id: message.id });
      if (message.data.command === 'authenticate')
        port.postMessage({ type: 'result', id: message.id, data: { result: 'token', token: 'sp-token' } });
      if (message.data.command === 'pick')
        port.postMessage({ type: 'result', id: message.id, data: { result: 'success' } });
      if (message.data.command === 'custom') {
        port.postMessage({
          type: 'result',
          id: message.id,
          data: { result: 'error', error: { code: 'unsupportedCommand', message: 'custom' } },
        });
      }
    });
    port.postMessage({ type: 'activate' });
    await activated;
    messenger.notify({ notification: 'page-loaded' });
    await expect(
      messenger.command({ command: 'authenticate', resource: SP, type: 'SharePoint' }),
    ).resolves.toEqual({
      result: 'token',
      token: 'sp-token',
    });
    await expect(messenger.command({ command: 'pick', items: [{ id: '01ABC' }] })).resolves.toEqual({
      result: 'success',
    });
    await expect(messenger.command({ command: 'custom' })).rejects.toMatchObject({
      code: 'unsupportedCommand',
      message: 'custom',
    });
    // close needs an acknowledge only.
    await expect(messenger.command({ command: 'close' })).resolves.toEqual({ result: 'acknowledged' });
    expect(seen[0]).toEqual({ type: 'notification', data: { notification: 'page-loaded' } });
    expect(
      seen.filter((m) => m.type === 'command').map((m) => (m.data as { command: string }).command),
    ).toEqual(['authenticate', 'pick', 'custom', 'close']);
    const ids = seen.filter((m) => m.type === 'command').map((m) => m.id);
    expect(new Set(ids).size).toBe(4);
    messenger.close();
    port.close();
  });

  it("works with a host that answers as Microsoft's javascript-basic sample does", async () => {
    // Waited out once, for the unanswered command; ample for the answered ones on a busy machine.
    const { messenger, posted, activated } = setUp({ resultTimeout: 500 });
    messenger.start();
    const port = posted[0]!.port;
    const replies: string[] = [];
    // The sample: acknowledge first; authenticate → token; pick → success (then it closes the window);
    // close → the window closes, no result; anything else → an error without type or id.
    port.on('message', (message: { type: string; id: string; data: { command: string } }) => {
      if (message.type !== 'command') return;
      port.postMessage({ type: 'acknowledge', id: message.id });
      replies.push(message.data.command);
      if (message.data.command === 'authenticate')
        port.postMessage({ type: 'result', id: message.id, data: { result: 'token', token: 'sp-token' } });
      else if (message.data.command === 'pick')
        port.postMessage({ type: 'result', id: message.id, data: { result: 'success' } });
      else if (message.data.command !== 'close')
        port.postMessage({
          result: 'error',
          error: { code: 'unsupportedCommand', message: message.data.command },
          isExpected: true,
        });
    });
    // Launched twice, the sample has two window listeners: both activate the same port.
    port.postMessage({ type: 'activate' });
    port.postMessage({ type: 'activate' });
    await activated;
    await expect(
      messenger.command({ command: 'authenticate', resource: SP, type: 'SharePoint' }),
    ).resolves.toEqual({ result: 'token', token: 'sp-token' });
    await expect(messenger.command({ command: 'pick', items: [{ id: '01ABC' }] })).resolves.toEqual({
      result: 'success',
    });
    await expect(messenger.command({ command: 'close' })).resolves.toEqual({ result: 'acknowledged' });
    // Its error reply names no command, so the page reports the missing result.
    await expect(messenger.command({ command: 'custom' })).rejects.toMatchObject({ code: 'resultTimeout' });
    expect(replies).toEqual(['authenticate', 'pick', 'close', 'custom']);
    messenger.close();
    port.close();
  });

  it('reports a host that never activates, and a command that is never acknowledged', async () => {
    const silent = setUp({ initializeTimeout: 20 });
    silent.messenger.start();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(silent.errors.map((e) => (e as Error & { code: string }).code)).toEqual(['initializeTimeout']);
    silent.messenger.close();
    silent.posted[0]!.port.close();

    const mute = setUp({ acknowledgeTimeout: 20 });
    mute.messenger.start();
    const port = mute.posted[0]!.port;
    port.postMessage({ type: 'activate' });
    await mute.activated;
    await expect(mute.messenger.command({ command: 'pick', items: [] })).rejects.toMatchObject({
      code: 'acknowledgeTimeout',
    });
    // Messages that are not for a pending command, or not objects, are ignored.
    port.postMessage('noise');
    port.postMessage({ type: 'result', id: 'unknown', data: { result: 'success' } });
    mute.messenger.close();
    port.close();
  });
});
