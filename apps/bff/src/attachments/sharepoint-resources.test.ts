import { describe, expect, it } from 'vitest';
import {
  allowedPickerResource,
  oneDriveTwinOf,
  pickerResourceSpec,
  pickerResources,
} from './sharepoint-resources';

const contoso = {
  SHAREPOINT_BASE_URL: 'https://contoso.sharepoint.com/sites/marketing',
  SHAREPOINT_PICKER_SHAREPOINT_SCOPE: 'https://contoso.sharepoint.com/AllSites.Read',
};
const emulator = {
  SHAREPOINT_BASE_URL: 'http://127.0.0.1:3091',
  SHAREPOINT_PICKER_SHAREPOINT_SCOPE: 'http://127.0.0.1:3091/AllSites.Read',
};

describe('oneDriveTwinOf', () => {
  it.each([
    ['https://contoso.sharepoint.com', 'https://contoso-my.sharepoint.com'],
    ['https://contoso-my.sharepoint.com', 'https://contoso.sharepoint.com'],
    ['https://Fabrikam.SharePoint.us', 'https://fabrikam-my.sharepoint.us'],
    ['https://army-my.sharepoint-mil.us', 'https://army.sharepoint-mil.us'],
    ['https://contoso.sharepoint.cn', 'https://contoso-my.sharepoint.cn'],
    ['https://my-org.sharepoint.com', 'https://my-org-my.sharepoint.com'],
    ['http://127.0.0.1:3091', undefined],
    ['https://contoso.sharepoint.com:8443', undefined],
    ['https://sharepoint.contoso.com', undefined],
    ['https://contoso.sharepoint.com.evil.example', undefined],
  ])('%s → %s', (origin, twin) => {
    expect(oneDriveTwinOf(origin)).toBe(twin);
  });
});

describe('allowedPickerResource', () => {
  it('lists the configured origin and its -my twin', () => {
    expect(pickerResources(contoso)).toEqual([
      'https://contoso.sharepoint.com',
      'https://contoso-my.sharepoint.com',
    ]);
    expect(pickerResources(emulator)).toEqual(['http://127.0.0.1:3091']);
  });

  it.each([
    ['https://contoso.sharepoint.com', 'https://contoso.sharepoint.com'],
    ['https://contoso.sharepoint.com/', 'https://contoso.sharepoint.com'],
    ['https://CONTOSO-my.sharepoint.com', 'https://contoso-my.sharepoint.com'],
  ])('allows %s', (resource, origin) => {
    expect(allowedPickerResource(contoso, resource)).toBe(origin);
  });

  it.each([
    'https://graph.microsoft.com',
    'https://fabrikam.sharepoint.com',
    'http://contoso.sharepoint.com',
    'https://contoso.sharepoint.com:444',
    'https://contoso.sharepoint.com/sites/marketing',
    'https://contoso.sharepoint.com/.default',
    'https://contoso.sharepoint.com?x=1',
    'https://user@contoso.sharepoint.com',
    'https://contoso.sharepoint.com.evil.example',
    'contoso.sharepoint.com',
    'not a url',
  ])('refuses %s', (resource) => {
    expect(allowedPickerResource(contoso, resource)).toBeUndefined();
  });

  it('has no twin for the emulator', () => {
    expect(allowedPickerResource(emulator, 'http://127.0.0.1:3091')).toBe('http://127.0.0.1:3091');
    expect(allowedPickerResource(emulator, 'http://127.0.0.1-my:3091')).toBeUndefined();
    expect(allowedPickerResource(emulator, 'http://localhost:3091')).toBeUndefined();
  });
});

describe('pickerResourceSpec', () => {
  it('asks for the configured permission on the requested origin only', () => {
    expect(pickerResourceSpec(contoso, 'https://contoso-my.sharepoint.com')).toEqual({
      resource: 'https://contoso-my.sharepoint.com',
      scope: ['https://contoso-my.sharepoint.com/AllSites.Read'],
    });
  });
});
