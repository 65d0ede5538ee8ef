import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { appUrl, expect, signInAs, snap, test } from '../support/fixtures';

/**
 * The emulator's File Picker page in a popup window, driven by a host page written the way
 * Microsoft's `javascript-basic` sample is (OneDrive/samples, samples/file-picking; not fetched here:
 * no network): `window.open`, a form POSTed into the popup with the token, `initialize` from
 * `window.opener`'s point of view, commands answered on the MessagePort. Only the base URL and the
 * token source differ: the token is minted by the BFF for the test, as the SPA's host would get it.
 */
function hostPage(baseUrl: string, token: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Popup host</title></head>
<body>
<button id="launch">Open picker</button>
<pre id="log"></pre>
<script>
const baseUrl = ${JSON.stringify(baseUrl)};
const token = ${JSON.stringify(token)};
const channelId = crypto.randomUUID();
const options = {
  sdk: '8.0',
  entry: { sharePoint: {} },
  authentication: {},
  messaging: { origin: location.origin, channelId },
  selection: { mode: 'multiple' },
  typesAndSources: { mode: 'files' },
};
window.received = [];
window.picked = null;
let win = null;
let port = null;

function onPortMessage(message) {
  const payload = message.data;
  if (payload.type === 'notification') { window.received.push('notification:' + payload.data.notification); return; }
  if (payload.type !== 'command') return;
  port.postMessage({ type: 'acknowledge', id: payload.id });
  const command = payload.data;
  window.received.push('command:' + command.command);
  switch (command.command) {
    case 'authenticate':
      window.received.push('resource:' + command.resource);
      port.postMessage({ type: 'result', id: payload.id, data: { result: 'token', token } });
      break;
    case 'pick':
      window.picked = command.items;
      document.getElementById('log').textContent = JSON.stringify(command.items, null, 2);
      port.postMessage({ type: 'result', id: payload.id, data: { result: 'success' } });
      break;
    case 'close':
      win.close();
      break;
    default:
      port.postMessage({ type: 'result', id: payload.id, data: { result: 'error', error: { code: 'unsupportedCommand', message: command.command } } });
  }
}

window.addEventListener('message', (event) => {
  if (event.source && event.source === win) {
    const message = event.data;
    if (message.type === 'initialize' && message.channelId === options.messaging.channelId) {
      window.received.push('initialize');
      port = event.ports[0];
      port.addEventListener('message', onPortMessage);
      port.start();
      port.postMessage({ type: 'activate' });
    }
  }
});

document.getElementById('launch').addEventListener('click', () => {
  win = window.open('', 'Picker', 'width=1080,height=680');
  const query = new URLSearchParams({ filePicker: JSON.stringify(options), locale: '1033' });
  const form = win.document.createElement('form');
  form.setAttribute('action', baseUrl + '/_layouts/15/FilePicker.aspx?' + query);
  form.setAttribute('method', 'POST');
  win.document.body.append(form);
  const input = win.document.createElement('input');
  input.setAttribute('type', 'hidden');
  input.setAttribute('name', 'access_token');
  input.setAttribute('value', token);
  form.appendChild(input);
  form.submit();
});
</script>
</body></html>`;
}

let host: Server | undefined;
test.afterEach(async () => {
  await new Promise((done) => (host ? host.close(done) : done(undefined)));
  host = undefined;
});

test.describe('the File Picker page in a popup window', () => {
  test('a host page opens it with window.open, Adele picks a file, the host gets its ids, and Cancel closes the popup', async ({
    page,
  }) => {
    test.setTimeout(90_000);
    await signInAs(page, 'adele@contoso.test');
    const config = (await (
      await page.request.get(`${appUrl()}/api/config`, { headers: { 'X-CSRF': '1' } })
    ).json()) as {
      sharepointPicker: { enabled: boolean; baseUrl?: string };
    };
    const baseUrl = config.sharepointPicker.baseUrl!;
    const minted = await page.request.post(`${appUrl()}/api/sharepoint/token`, {
      headers: { 'X-CSRF': '1', 'Content-Type': 'application/json' },
      data: { resource: baseUrl },
    });
    expect(minted.status()).toBe(200);
    const { accessToken } = (await minted.json()) as { accessToken: string };

    const html = hostPage(baseUrl, accessToken);
    host = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(html);
    });
    await new Promise<void>((done) => host!.listen(0, '127.0.0.1', done));
    const hostUrl = `http://127.0.0.1:${(host.address() as AddressInfo).port}/`;

    await page.goto(hostUrl);
    const popupOpened = page.waitForEvent('popup');
    await page.getByRole('button', { name: 'Open picker' }).click();
    const popup = await popupOpened;
    await popup.waitForURL(/\/_layouts\/15\/FilePicker\.aspx/);
    // The page talks to window.opener: no frame around it.
    expect(await popup.evaluate(() => window.opener !== null && window.parent === window)).toBe(true);

    await popup.getByRole('button', { name: 'Marketing', exact: false }).first().click({ timeout: 20_000 });
    await popup.getByRole('button', { name: 'Open folder Brand' }).click();
    await popup.getByRole('checkbox', { name: 'Select Logo.png' }).check();
    await snap(popup, 'sharepoint-picker-popup');
    await popup.getByRole('button', { name: 'Select', exact: true }).click();

    await expect
      .poll(() => page.evaluate(() => (window as unknown as { picked: unknown }).picked))
      .not.toBeNull();
    const picked = (await page.evaluate(() => (window as unknown as { picked: unknown[] }).picked)) as {
      id: string;
      name: string;
      size: number;
      webUrl: string;
      parentReference: { driveId: string };
      '@sharePoint.endpoint': string;
    }[];
    expect(picked).toHaveLength(1);
    expect(picked[0]).toMatchObject({
      name: 'Logo.png',
      id: expect.any(String),
      size: expect.any(Number),
      parentReference: { driveId: expect.any(String) },
      '@sharePoint.endpoint': `${baseUrl}/_api/v2.0`,
      webUrl: expect.stringContaining(baseUrl),
    });
    const received = await page.evaluate(() => (window as unknown as { received: string[] }).received);
    expect(received.slice(0, 2)).toEqual(['initialize', 'notification:page-loaded']);
    expect(received).toContain(`resource:${baseUrl}`);
    expect(received).toContain('command:pick');
    await expect(popup.getByText('The app received 1 item.')).toBeVisible();

    // The ids the popup returned are usable: the BFF serves that file from SharePoint.
    const { id, parentReference } = picked[0]!;
    const content = await page.request.get(
      `${appUrl()}/api/sharepoint/drives/${encodeURIComponent(parentReference.driveId)}/items/${encodeURIComponent(id)}/content`,
      { headers: { 'X-CSRF': '1' } },
    );
    expect(content.status()).toBe(200);
    const bytes = await content.body();
    expect(bytes.length).toBe(picked[0]!.size);
    expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');

    // Cancel sends `close`; this host closes the popup.
    const closed = popup.waitForEvent('close');
    await popup.getByRole('button', { name: 'Cancel' }).click();
    await closed;
    expect(await page.evaluate(() => (window as unknown as { received: string[] }).received)).toContain(
      'command:close',
    );
  });
});
