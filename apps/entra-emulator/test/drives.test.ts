import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contosoSeed } from '../src/index';
import { startEmulator } from '../src/start-emulator';
import { BASE, createFakeClock, createTestEmulator, graphGet, json, signInAndRedeem } from './helpers';

const FILES = 'openid offline_access Files.Read.All Sites.Read.All';
const FOOTAGE_SHA256 = 'afd2100f601fa09da864544cba2c8cc074ecd14ef35f1bd78a54ff561e85aa2a';

const drive = (path: string) =>
  contosoSeed.drives!.find((d) => contosoSeed.sites!.find((s) => s.id === d.siteId)!.path === path)!;
const item = (path: string, name: string) => drive(path).items.find((i) => i.name === name)!;
const marketing = drive('/sites/marketing');
const footage = item('/sites/marketing', 'Campaign footage.mp4');

describe('Graph drives', () => {
  const clock = createFakeClock();
  const emulator = createTestEmulator({ clock: clock.now });
  const tokens: Record<string, string> = {};
  const get = (path: string, who = 'adele', headers: Record<string, string> = {}) =>
    graphGet(emulator, path, tokens[who]!, headers);
  const raw = (url: string, init: RequestInit = {}) => emulator.fetch(new Request(url, init));

  beforeAll(async () => {
    for (const who of ['adele', 'delia', 'megan', 'alex']) {
      tokens[who] = (await signInAndRedeem(emulator, `${who}@contoso.test`, { scope: FILES })).tokens
        .access_token!;
    }
    tokens.ownFiles = (
      await signInAndRedeem(emulator, 'adele@contoso.test', { scope: 'openid offline_access Files.Read' })
    ).tokens.access_token!;
    tokens.directoryOnly = (await signInAndRedeem(emulator, 'adele@contoso.test')).tokens.access_token!;
  });

  it("serves the user's OneDrive and a group site's library with Graph's shapes", async () => {
    const me = await get('/me/drive');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      driveType: 'business',
      name: 'OneDrive',
      owner: { user: { displayName: 'Adele Vance' } },
    });
    expect(me.body.id).toMatch(/^b![A-Za-z0-9_-]{64}$/);

    const site = await get('/sites/127.0.0.1:/sites/marketing');
    expect(site.body).toMatchObject({
      displayName: 'Marketing',
      webUrl: 'http://127.0.0.1:3091/sites/marketing',
    });
    const drives = await get(`/sites/${site.body.id}/drives`);
    expect(drives.body.value).toEqual([
      expect.objectContaining({ id: marketing.id, name: 'Documents', driveType: 'documentLibrary' }),
    ]);

    const children = await get(`/drives/${marketing.id}/root/children`);
    const names = children.body.value.map((i: { name: string }) => i.name);
    expect(names).toEqual(['Readme.txt', 'Press release draft.docx', 'Brand', 'Campaigns']);
    const brand = children.body.value.find((i: { name: string }) => i.name === 'Brand');
    expect(brand.folder).toEqual({ childCount: 3 });
    expect(brand).not.toHaveProperty('@microsoft.graph.downloadUrl');

    const file = await get(`/drives/${marketing.id}/items/${footage.id}`);
    expect(file.body).toMatchObject({
      id: footage.id,
      name: 'Campaign footage.mp4',
      size: 256 * 1024 * 1024,
      file: { mimeType: 'video/mp4' },
      webUrl: 'http://127.0.0.1:3091/sites/marketing/Shared%20Documents/Campaigns/Campaign%20footage.mp4',
      parentReference: {
        driveId: marketing.id,
        driveType: 'documentLibrary',
        name: 'Campaigns',
        path: `/drives/${marketing.id}/root:/Campaigns`,
      },
    });
    expect(file.body.eTag).toMatch(/^"\{[0-9A-F-]{36}\},1"$/);
    expect(file.body.cTag).toMatch(/^"c:\{[0-9A-F-]{36}\},1"$/);
    expect(file.body['@microsoft.graph.downloadUrl']).toMatch(/^http:\/\/localhost:3090\/_download\//);
    const byPath = await get(`/drives/${marketing.id}/root:/Campaigns/Campaign footage.mp4`);
    expect(byPath.body.id).toBe(footage.id);
  });

  it('applies $select (the download URL only when selected) and pages with @odata.nextLink', async () => {
    const selected = await get(`/drives/${marketing.id}/items/${footage.id}?$select=id,name`);
    expect(selected.body).toEqual({
      '@odata.context': expect.any(String),
      id: footage.id,
      name: 'Campaign footage.mp4',
    });
    const withUrl = await get(
      `/drives/${marketing.id}/items/${footage.id}?$select=id,@microsoft.graph.downloadUrl`,
    );
    expect(withUrl.body['@microsoft.graph.downloadUrl']).toMatch(/\/_download\//);
    expect((await get(`/drives/${marketing.id}/root?$select=nope`)).body.error.code).toBe('invalidRequest');

    const root = drive('/');
    const first = await get(`/drives/${root.id}/root:/Archive:/children?$select=name`);
    expect(first.body.value).toHaveLength(200);
    const nextLink = first.body['@odata.nextLink'] as string;
    expect(nextLink).toMatch(/\$skiptoken=/);
    const second = await get(nextLink.slice(`${BASE}/v1.0`.length));
    expect(second.body.value).toHaveLength(50);
    expect(second.body.value.at(-1).name).toBe('Notice 250.txt');
    expect(second.body).not.toHaveProperty('@odata.nextLink');
    const top = await get(`/drives/${root.id}/root:/Archive:/children?$top=2&$orderby=name desc`);
    expect(top.body.value.map((i: { name: string }) => i.name)).toEqual(['Notice 250.txt', 'Notice 249.txt']);
  });

  it('searches a drive by name, without the items the user may not read', async () => {
    const found = await get(`/drives/${marketing.id}/root/search(q='review')`, 'megan');
    expect(found.body.value.map((i: { name: string }) => i.name)).toEqual(['Salary review.xlsx']);
    const hidden = await get(`/drives/${marketing.id}/root/search(q='review')`);
    expect(hidden.body.value).toEqual([]);
  });

  it('refuses items per user: 403 accessDenied, and trims them from listings', async () => {
    const leadership = item('/sites/marketing', 'Leadership');
    const press = item('/sites/marketing', 'Press release draft.docx');
    expect((await get(`/drives/${marketing.id}/items/${leadership.id}/children`)).body.error.code).toBe(
      'accessDenied',
    );
    expect(
      (await get(`/drives/${marketing.id}/items/${leadership.id}/children`, 'megan')).body.value,
    ).toHaveLength(2);
    const delia = await get(`/drives/${marketing.id}/items/${press.id}/content`, 'delia');
    expect(delia.status).toBe(403);
    expect(delia.body.error).toMatchObject({ code: 'accessDenied', message: 'Access denied' });
    const deliaRoot = await get(`/drives/${marketing.id}/root/children`, 'delia');
    expect(deliaRoot.body.value.map((i: { name: string }) => i.name)).not.toContain(
      'Press release draft.docx',
    );
    // Alex is not in Marketing.
    expect((await get(`/drives/${marketing.id}`, 'alex')).status).toBe(403);
    // A file in Megan's OneDrive shared with Adele: readable by id, the rest of the drive is not.
    const meganDrive = drive('/personal/megan_contoso_test');
    const shared = meganDrive.items.find((i) => i.name === 'Shared with Adele.docx')!;
    expect((await get(`/drives/${meganDrive.id}/items/${shared.id}`)).status).toBe(200);
    expect((await get(`/drives/${meganDrive.id}/root/children`)).status).toBe(403);
    expect(
      (await get(`/drives/${meganDrive.id}/items/01AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`)).body.error.code,
    ).toBe('itemNotFound');
  });

  it('needs Files.Read for the own OneDrive and Files.Read.All or Sites.Read.All for the rest', async () => {
    expect((await get('/me/drive/root/children', 'ownFiles')).status).toBe(200);
    const site = await get(`/drives/${marketing.id}`, 'ownFiles');
    expect(site.status).toBe(403);
    expect(site.body.error.message).toMatch(/Files\.Read\.All/);
    expect((await get('/me/drive', 'directoryOnly')).body.error.code).toBe('accessDenied');
  });

  it('control.setItemReaders revokes a file after it was listed, and reset() restores it', async () => {
    const readme = item('/sites/marketing', 'Readme.txt');
    emulator.control.setItemReaders(readme.id, ['megan']);
    expect((await get(`/drives/${marketing.id}/items/${readme.id}`)).status).toBe(403);
    emulator.control.reset();
    expect((await get(`/drives/${marketing.id}/items/${readme.id}`)).status).toBe(200);
  });

  describe('content', () => {
    const download = async (name: string, site = '/sites/marketing', who = 'adele') => {
      const target = item(site, name);
      const redirect = await get(`/drives/${drive(site).id}/items/${target.id}/content`, who);
      expect(redirect.status).toBe(302);
      return redirect.headers.get('location')!;
    };

    it('redirects /content to a pre-authenticated URL that needs no bearer and serves typed bytes', async () => {
      const signatures: Array<[string, string, string]> = [
        ['Brand guidelines.pdf', 'application/pdf', '%PDF-1.4'],
        ['Logo.png', 'image/png', '\x89PNG\r\n\x1a\n'],
        ['Hero banner.jpg', 'image/jpeg', '\xff\xd8\xff\xe0'],
        [
          'Spring launch plan.docx',
          'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
          'PK\x03\x04',
        ],
        [
          'Campaign budget.xlsx',
          'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          'PK\x03\x04',
        ],
        [
          'Launch deck.pptx',
          'application/vnd.openxmlformats-officedocument.presentationml.presentation',
          'PK\x03\x04',
        ],
        ['Readme.txt', 'text/plain', 'Marketing'],
      ];
      for (const [name, type, start] of signatures) {
        const url = await download(name);
        expect(url).toMatch(/^http:\/\/localhost:3090\/_download\/[\w-]+\.[\w-]+$/);
        const response = await raw(url);
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toBe(type);
        const bytes = Buffer.from(await response.arrayBuffer());
        expect(Number(response.headers.get('content-length'))).toBe(bytes.length);
        expect(bytes.subarray(0, start.length).toString('latin1')).toBe(start);
        expect(response.headers.get('etag')).toMatch(/^"\{/);
      }
      const pdf = Buffer.from(
        await (await raw(await download('Brand guidelines.pdf'))).arrayBuffer(),
      ).toString('latin1');
      const xref = Number(/startxref\n(\d+)/.exec(pdf)![1]);
      expect(pdf.slice(xref, xref + 4)).toBe('xref');
    });

    it('honours Range (206), suffix ranges, 416 when unsatisfiable, If-Range, and HEAD', async () => {
      const url = await download('Campaign footage.mp4');
      const part = await raw(url, { headers: { Range: 'bytes=0-1023' } });
      expect(part.status).toBe(206);
      expect(part.headers.get('content-range')).toBe(`bytes 0-1023/${256 * 1024 * 1024}`);
      const head = Buffer.from(await part.arrayBuffer());
      expect(head).toHaveLength(1024);
      expect(head.subarray(4, 8).toString('latin1')).toBe('ftyp');
      const tail = await raw(url, { headers: { Range: 'bytes=-10' } });
      expect(tail.headers.get('content-range')).toBe(
        `bytes ${256 * 1024 * 1024 - 10}-${256 * 1024 * 1024 - 1}/${256 * 1024 * 1024}`,
      );
      expect((await tail.arrayBuffer()).byteLength).toBe(10);
      const beyond = await raw(url, { headers: { Range: `bytes=${256 * 1024 * 1024}-` } });
      expect(beyond.status).toBe(416);
      expect(beyond.headers.get('content-range')).toBe(`bytes */${256 * 1024 * 1024}`);
      const stale = await raw(url, { headers: { Range: 'bytes=0-9', 'If-Range': '"{other},1"' } });
      expect(stale.status).toBe(200);
      await stale.body?.cancel();
      const headResponse = await raw(url, { method: 'HEAD' });
      expect(headResponse.status).toBe(200);
      expect(headResponse.headers.get('content-length')).toBe(String(256 * 1024 * 1024));
      expect(headResponse.headers.get('accept-ranges')).toBe('bytes');
      expect(await headResponse.text()).toBe('');
    });

    it('refuses folders (400), tampered URLs and expired ones (401)', async () => {
      const brand = item('/sites/marketing', 'Brand');
      const folder = await get(`/drives/${marketing.id}/items/${brand.id}/content`);
      expect(folder.status).toBe(400);
      expect(folder.body.error.code).toBe('invalidRequest');
      const url = await download('Readme.txt');
      const last = url.at(-1) === 'A' ? 'B' : 'A';
      const tampered = await raw(`${url.slice(0, -1)}${last}`);
      expect(tampered.status).toBe(401);
      clock.advance(3601 * 1000);
      const expired = await raw(url);
      expect(expired.status).toBe(401);
      expect((await json(expired)).error.message).toMatch(/expired/);
      tokens.adele = (await signInAndRedeem(emulator, 'adele@contoso.test', { scope: FILES })).tokens
        .access_token!;
    });

    it('counts downloads and the bytes sent, and a cut fault stops the body after N bytes', async () => {
      emulator.control.resetCounters();
      const url = await download('Campaign budget.xlsx');
      const whole = await (await raw(url)).arrayBuffer();
      emulator.control.fault({ route: 'download', cutAfterBytes: 1000, count: 1 });
      const cut = await raw(url);
      expect(cut.status).toBe(200);
      await expect(cut.arrayBuffer()).rejects.toThrow();
      const counters = emulator.control.counters();
      const budget = item('/sites/marketing', 'Campaign budget.xlsx').id;
      expect(counters.downloads).toEqual({
        requests: 2,
        bytes: whole.byteLength + 1000,
        items: { [budget]: { requests: 2, bytes: whole.byteLength + 1000 } },
      });
      emulator.control.fault({ route: '/_download/*', status: 503, retryAfter: 2, count: 1 });
      const throttled = await raw(url);
      expect(throttled.status).toBe(503);
      expect(throttled.headers.get('retry-after')).toBe('2');
      expect((await json(throttled)).error.code).toBe('serviceNotAvailable');
    });
  });
});

describe('downloads over HTTP', () => {
  let running: Awaited<ReturnType<typeof startEmulator>>;
  let url: string;

  beforeAll(async () => {
    running = await startEmulator({ port: 0 });
    const { tokens } = await signInAndRedeem(running, 'adele@contoso.test', { scope: FILES });
    const response = await running.fetch(
      new Request(`${running.url}/v1.0/drives/${marketing.id}/items/${footage.id}/content`, {
        headers: { authorization: `Bearer ${tokens.access_token}` },
      }),
    );
    url = response.headers.get('location')!;
  });
  afterAll(() => running.close());

  it('streams the 256 MiB file with its known sha256, generated on demand', async () => {
    const response = await fetch(url);
    expect(response.headers.get('content-length')).toBe(String(256 * 1024 * 1024));
    const hash = createHash('sha256');
    let bytes = 0;
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      hash.update(chunk);
      bytes += chunk.byteLength;
    }
    expect(bytes).toBe(256 * 1024 * 1024);
    expect(hash.digest('hex')).toBe(FOOTAGE_SHA256);
  }, 60_000);

  it('a cut fault drops the connection mid-body; a Range request then resumes where it stopped', async () => {
    running.control.fault({ route: 'download', cutAfterBytes: 3 * 1024 * 1024 + 5, count: 1 });
    const response = await fetch(url);
    const received: Uint8Array[] = [];
    await expect(
      (async () => {
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) received.push(chunk);
      })(),
    ).rejects.toThrow();
    const got = Buffer.concat(received);
    expect(got.length).toBe(3 * 1024 * 1024 + 5);
    const rest = await fetch(url, { headers: { Range: `bytes=${got.length}-${4 * 1024 * 1024 - 1}` } });
    expect(rest.status).toBe(206);
    const whole = Buffer.concat([got, Buffer.from(await rest.arrayBuffer())]);
    const direct = Buffer.from(
      await (await fetch(url, { headers: { Range: `bytes=0-${4 * 1024 * 1024 - 1}` } })).arrayBuffer(),
    );
    expect(whole.equals(direct)).toBe(true);
  });
});
