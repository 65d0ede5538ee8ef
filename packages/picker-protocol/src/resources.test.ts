import { describe, expect, it } from 'vitest';
import {
  allowedResource,
  allowedResourceOrigins,
  resourceOfScopes,
  sharepointOrigin,
  twinOrigin,
} from './resources';

const site = 'https://contoso.sharepoint.com/sites/marketing';

describe('allowed resources', () => {
  it('are the SharePoint origin and its OneDrive twin, both ways', () => {
    expect(allowedResourceOrigins(site)).toEqual([
      'https://contoso.sharepoint.com',
      'https://contoso-my.sharepoint.com',
    ]);
    expect(twinOrigin('https://contoso-my.sharepoint.com')).toBe('https://contoso.sharepoint.com');
  });

  it('have no twin for an IP address or localhost (the emulator)', () => {
    expect(allowedResourceOrigins('http://127.0.0.1:3091')).toEqual(['http://127.0.0.1:3091']);
    expect(allowedResourceOrigins('http://localhost:3091/sites/x')).toEqual(['http://localhost:3091']);
  });

  it('accept exactly an allowed origin, with or without a trailing slash', () => {
    expect(allowedResource('https://contoso.sharepoint.com', site)).toBe('https://contoso.sharepoint.com');
    expect(allowedResource('https://contoso-my.sharepoint.com/', site)).toBe(
      'https://contoso-my.sharepoint.com',
    );
    expect(allowedResource('http://127.0.0.1:3091', 'http://127.0.0.1:3091')).toBe('http://127.0.0.1:3091');
  });

  it('refuse look-alikes, other hosts, paths, queries and credentials', () => {
    for (const hostile of [
      'https://graph.microsoft.com',
      'https://contoso.sharepoint.com.evil.test',
      'https://evil.test/https://contoso.sharepoint.com',
      'http://contoso.sharepoint.com',
      'https://contoso.sharepoint.com:444',
      'https://contoso.sharepoint.com/sites/marketing',
      'https://contoso.sharepoint.com?x=1',
      'https://contoso.sharepoint.com#x',
      'https://user@contoso.sharepoint.com',
      'https://fabrikam-my.sharepoint.com',
      'contoso.sharepoint.com',
      ' https://contoso.sharepoint.com',
      '',
      42,
      null,
      { toString: () => 'https://contoso.sharepoint.com' },
    ]) {
      expect(allowedResource(hostile, site), String(hostile)).toBeNull();
    }
  });

  it('refuse a base URL that is not http(s)', () => {
    expect(() => sharepointOrigin('javascript:alert(1)')).toThrow(TypeError);
    expect(() => sharepointOrigin('not a url')).toThrow(TypeError);
  });
});

describe('resourceOfScopes', () => {
  it('reads the origin of SharePoint scopes (host names compared in lower case)', () => {
    expect(resourceOfScopes(['https://Contoso.SharePoint.com/.default'])).toBe(
      'https://contoso.sharepoint.com',
    );
    expect(resourceOfScopes(['https://contoso.sharepoint.com/.default'])).toBe(
      'https://contoso.sharepoint.com',
    );
    expect(
      resourceOfScopes([
        'https://contoso-my.sharepoint.com/AllSites.Read',
        'https://contoso-my.sharepoint.com/MyFiles.Read',
      ]),
    ).toBe('https://contoso-my.sharepoint.com');
  });

  it('is null for Graph-style, mixed, pathful or no scopes', () => {
    expect(resourceOfScopes(['User.Read'])).toBeNull();
    expect(resourceOfScopes([])).toBeNull();
    expect(
      resourceOfScopes(['https://contoso.sharepoint.com/.default', 'https://graph.microsoft.com/.default']),
    ).toBeNull();
    expect(resourceOfScopes(['https://contoso.sharepoint.com/a/b'])).toBeNull();
    expect(resourceOfScopes(['https://contoso.sharepoint.com:443/.default'])).toBeNull();
  });
});
