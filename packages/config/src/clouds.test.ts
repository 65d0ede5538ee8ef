import { describe, expect, it } from 'vitest';
import {
  chooseCloud,
  cloudById,
  cloudOfGraphHost,
  cloudOfHost,
  cloudOfSharePointHost,
  cloudsOfLoginHost,
  detectCloud,
  graphBaseUrlOf,
  graphResourceOf,
  microsoftClouds,
} from './clouds';

const TENANT = '0f9e8d7c-6b5a-4c3d-2e1f-0a9b8c7d6e5f';
const ids = (clouds: readonly { id: string }[]) => clouds.map((cloud) => cloud.id);

describe('the clouds', () => {
  it("names each cloud's Graph and SharePoint hosts as Microsoft's national cloud pages do", () => {
    expect(
      microsoftClouds.map((cloud) => [
        cloud.id,
        cloud.instance,
        graphBaseUrlOf(cloud),
        cloud.sharePointSuffix,
      ]),
    ).toEqual([
      ['global', 'microsoftonline.com', 'https://graph.microsoft.com/v1.0', 'sharepoint.com'],
      ['usgov-high', 'microsoftonline.us', 'https://graph.microsoft.us/v1.0', 'sharepoint.us'],
      ['usgov-dod', 'microsoftonline.us', 'https://dod-graph.microsoft.us/v1.0', 'sharepoint-mil.us'],
      [
        'china',
        'partner.microsoftonline.cn',
        'https://microsoftgraph.chinacloudapi.cn/v1.0',
        'sharepoint.cn',
      ],
    ]);
    expect(graphResourceOf(cloudById('usgov-high'))).toBe('https://graph.microsoft.us');
  });

  it('finds the cloud of a login, Graph or SharePoint host, case and trailing dot aside', () => {
    expect(ids(cloudsOfLoginHost('LOGIN.microsoftonline.us'))).toEqual(['usgov-high', 'usgov-dod']);
    expect(ids(cloudsOfLoginHost('login.windows.net'))).toEqual(['global']);
    expect(ids(cloudsOfLoginHost('login.partner.microsoftonline.cn'))).toEqual(['china']);
    expect(cloudsOfLoginHost('keycloak.contoso.com')).toEqual([]);
    expect(cloudOfGraphHost('dod-graph.microsoft.us.')?.id).toBe('usgov-dod');
    expect(cloudOfGraphHost('localhost')).toBeUndefined();
    expect(cloudOfSharePointHost('contoso-my.sharepoint-mil.us')?.id).toBe('usgov-dod');
    expect(cloudOfSharePointHost('contoso.sharepoint.us')?.id).toBe('usgov-high');
    expect(cloudOfSharePointHost('contoso.sharepoint.cn')?.id).toBe('china');
    // A look-alike is not SharePoint Online.
    expect(cloudOfSharePointHost('contoso.sharepoint.com.evil.test')).toBeUndefined();
    expect(cloudOfSharePointHost('sharepoint.com')).toBeUndefined();
    expect(cloudOfHost('graph.microsoft.com')?.id).toBe('global');
    expect(cloudOfHost('127.0.0.1')).toBeUndefined();
  });
});

describe('detectCloud', () => {
  const issuer = (host: string) => `https://${host}/${TENANT}/v2.0`;

  it("reads the cloud from the issuer's host", () => {
    const detected = detectCloud({ issuer: issuer('login.chinacloudapi.cn') });
    expect(detected.cloud?.id).toBe('china');
    expect(detected.from).toEqual(['issuer host login.chinacloudapi.cn']);
  });

  it('leaves GCC High or DoD open from the shared login host alone, and the metadata tells them apart', () => {
    const open = detectCloud({ issuer: issuer('login.microsoftonline.us') });
    expect(open.cloud).toBeUndefined();
    expect(ids(open.candidates)).toEqual(['usgov-high', 'usgov-dod']);

    const dod = detectCloud({
      issuer: issuer('login.microsoftonline.us'),
      metadata: { cloud_instance_name: 'microsoftonline.us', msgraph_host: 'dod-graph.microsoft.us' },
    });
    expect(dod.cloud?.id).toBe('usgov-dod');
    expect(dod.from).toEqual([
      'issuer host login.microsoftonline.us',
      'metadata cloud_instance_name microsoftonline.us, msgraph_host dod-graph.microsoft.us',
    ]);
  });

  it("reads the cloud from the metadata when the issuer's host says nothing (the emulator)", () => {
    const detected = detectCloud({
      issuer: `http://localhost:3090/${TENANT}/v2.0`,
      metadata: { cloud_instance_name: 'microsoftonline.us', msgraph_host: 'graph.microsoft.us' },
    });
    expect(detected.cloud?.id).toBe('usgov-high');
    // A msgraph_host that is not a Microsoft Graph host (the emulator's own) leaves the instance's clouds.
    const global = detectCloud({
      issuer: `http://localhost:3090/${TENANT}/v2.0`,
      metadata: { cloud_instance_name: 'microsoftonline.com', msgraph_host: 'localhost:3090' },
    });
    expect(global.cloud?.id).toBe('global');
    expect(global.from).toEqual(['metadata cloud_instance_name microsoftonline.com']);
  });

  it('reports metadata that names another cloud than the issuer host', () => {
    const detected = detectCloud({
      issuer: issuer('login.microsoftonline.com'),
      metadata: { cloud_instance_name: 'microsoftonline.us', msgraph_host: 'graph.microsoft.us' },
    });
    expect(detected.cloud).toBeUndefined();
    expect(detected.conflict).toMatch(
      /login\.microsoftonline\.com belongs to Microsoft global cloud, but its metadata says .*GCC High/,
    );
  });

  it('finds nothing for another provider', () => {
    expect(detectCloud({ issuer: 'https://keycloak.contoso.com/realms/x' })).toEqual({
      candidates: [],
      from: [],
    });
    expect(detectCloud({ issuer: 'not a url' }).candidates).toEqual([]);
  });
});

describe('chooseCloud', () => {
  const us = `https://login.microsoftonline.us/${TENANT}/v2.0`;

  it("takes the issuer's cloud", () => {
    expect(chooseCloud({ issuer: `https://login.microsoftonline.com/${TENANT}/v2.0` })).toEqual({
      cloud: cloudById('global'),
      from: 'issuer host login.microsoftonline.com',
      assumed: false,
    });
  });

  it('assumes GCC High for the US Government login host unless GRAPH_BASE_URL or SHAREPOINT_BASE_URL says DoD', () => {
    expect(chooseCloud({ issuer: us })).toMatchObject({ cloud: { id: 'usgov-high' }, assumed: true });
    expect(chooseCloud({ issuer: us, graphBaseUrl: 'https://dod-graph.microsoft.us/v1.0' })).toEqual({
      cloud: cloudById('usgov-dod'),
      from: 'issuer host login.microsoftonline.us, GRAPH_BASE_URL host dod-graph.microsoft.us',
      assumed: false,
    });
    expect(chooseCloud({ issuer: us, sharePointBaseUrl: 'https://contoso.sharepoint-mil.us' })).toMatchObject(
      { cloud: { id: 'usgov-dod' }, assumed: false },
    );
    // Behind a Graph proxy, a Graph scope written with its host says which.
    expect(
      chooseCloud({
        issuer: us,
        graphBaseUrl: 'https://graph-proxy.contoso.us/v1.0',
        graphScopes: ['People.Read', 'https://dod-graph.microsoft.us/User.Read'],
      }),
    ).toEqual({
      cloud: cloudById('usgov-dod'),
      from: 'issuer host login.microsoftonline.us, OPENID_GRAPH_SCOPES host dod-graph.microsoft.us',
      assumed: false,
    });
    // A Graph host of another cloud does not move the issuer's cloud (the rules report it).
    expect(chooseCloud({ issuer: us, graphBaseUrl: 'https://graph.microsoft.com/v1.0' })).toMatchObject({
      cloud: { id: 'usgov-high' },
      assumed: true,
    });
  });

  it('follows GRAPH_BASE_URL when the issuer is not an Entra host, else stays global', () => {
    const local = `http://localhost:3090/${TENANT}/v2.0`;
    expect(chooseCloud({ issuer: local, graphBaseUrl: 'https://graph.microsoft.us/v1.0' })).toMatchObject({
      cloud: { id: 'usgov-high' },
      from: 'GRAPH_BASE_URL host graph.microsoft.us',
    });
    expect(chooseCloud({ issuer: local, graphBaseUrl: 'http://localhost:3090/v1.0' })).toEqual({
      cloud: cloudById('global'),
      from: 'default (the issuer host localhost is not an Entra login host)',
      assumed: false,
    });
    expect(chooseCloud({})).toMatchObject({ cloud: { id: 'global' }, from: 'default' });
  });
});
