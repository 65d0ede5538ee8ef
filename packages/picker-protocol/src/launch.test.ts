import { describe, expect, it } from 'vitest';
import { newChannelId, pickerLaunch } from './launch';

describe('pickerLaunch', () => {
  it('posts to FilePicker.aspx under the base URL with the options as one filePicker JSON', () => {
    const launch = pickerLaunch({
      baseUrl: 'https://contoso.sharepoint.com/sites/marketing/',
      hostOrigin: 'http://localhost:3080',
      channelId: 'c-1',
      maxItems: 20,
    });
    const action = new URL(launch.action);
    expect(action.origin + action.pathname).toBe(
      'https://contoso.sharepoint.com/sites/marketing/_layouts/15/FilePicker.aspx',
    );
    expect(action.searchParams.get('locale')).toBe('en-us');
    expect(launch.pickerOrigin).toBe('https://contoso.sharepoint.com');
    expect(launch.tokenField).toBe('access_token');
    expect(JSON.parse(action.searchParams.get('filePicker') ?? '')).toEqual({
      sdk: '8.0',
      entry: { sharePoint: {} },
      authentication: {},
      messaging: { origin: 'http://localhost:3080', channelId: 'c-1' },
      selection: { mode: 'multiple', maximumCount: 20 },
      typesAndSources: {
        mode: 'files',
        pivots: { oneDrive: true, recent: true, sharedLibraries: true, site: true },
      },
      search: { enabled: true },
    });
  });

  it('works with the emulator at an IP origin and a chosen locale', () => {
    const launch = pickerLaunch({
      baseUrl: 'http://127.0.0.1:3091',
      hostOrigin: 'http://localhost:3080',
      channelId: 'c',
      maxItems: 5,
      locale: 'fr-fr',
    });
    expect(launch.action.startsWith('http://127.0.0.1:3091/_layouts/15/FilePicker.aspx?filePicker=')).toBe(
      true,
    );
    expect(new URL(launch.action).searchParams.get('locale')).toBe('fr-fr');
  });

  it('refuses a host origin that is not an origin, a bad base URL or a bad count', () => {
    const ok = {
      baseUrl: 'http://127.0.0.1:3091',
      hostOrigin: 'http://localhost:3080',
      channelId: 'c',
      maxItems: 1,
    };
    expect(() => pickerLaunch({ ...ok, hostOrigin: 'http://localhost:3080/app' })).toThrow(TypeError);
    expect(() => pickerLaunch({ ...ok, baseUrl: 'file:///etc' })).toThrow(TypeError);
    expect(() => pickerLaunch({ ...ok, maxItems: 0 })).toThrow(TypeError);
  });
});

describe('newChannelId', () => {
  it('is a fresh random UUID every time', () => {
    const ids = new Set(Array.from({ length: 50 }, () => newChannelId()));
    expect(ids.size).toBe(50);
    for (const id of ids)
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
