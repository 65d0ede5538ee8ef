import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CONTOSO_TENANT_ID,
  GATEHOUSE_CLIENT_ID,
  GATEHOUSE_CLIENT_SECRET,
  GATEHOUSE_REDIRECT_URI,
  GRAPH_APP_ID,
  type RunningEmulator,
  startEmulator,
} from '../src/index';
import { signIn } from '../src/testing';
import { decodeJwtPayload } from './helpers';

// An independent, certified OIDC client runs the whole code flow against the emulator over real HTTP.
describe('openid-client against the emulator', () => {
  let emulator: RunningEmulator;
  let config: client.Configuration;

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0 });
    config = await client.discovery(
      new URL(emulator.issuer),
      GATEHOUSE_CLIENT_ID,
      GATEHOUSE_CLIENT_SECRET,
      client.ClientSecretBasic(GATEHOUSE_CLIENT_SECRET),
      { execute: [client.allowInsecureRequests] },
    );
    // Check ID-token signatures on token-endpoint responses too (off by default in openid-client).
    client.enableNonRepudiationChecks(config);
  });
  afterAll(() => emulator.close());

  it('discovers the Entra-shaped metadata with the exact issuer', () => {
    const metadata = config.serverMetadata();
    expect(metadata.issuer).toBe(`${emulator.url}/${CONTOSO_TENANT_ID}/v2.0`);
    expect(metadata.authorization_endpoint).toBe(
      `${emulator.url}/${CONTOSO_TENANT_ID}/oauth2/v2.0/authorize`,
    );
    expect(metadata.end_session_endpoint).toBe(`${emulator.url}/${CONTOSO_TENANT_ID}/oauth2/v2.0/logout`);
    expect(metadata.jwks_uri).toBe(`${emulator.url}/${CONTOSO_TENANT_ID}/discovery/v2.0/keys`);
    expect(metadata.frontchannel_logout_supported).toBe(true);
  });

  it('runs a code flow with PKCE, state and nonce, refreshes, and refreshes for another resource', async () => {
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const authorizeUrl = client.buildAuthorizationUrl(config, {
      redirect_uri: GATEHOUSE_REDIRECT_URI,
      scope: 'openid profile email offline_access User.Read GroupMember.Read.All',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });

    const result = await signIn({ authorizeUrl, username: 'adele@contoso.test', password: 'Passw0rd!' });
    expect(result.kind).toBe('redirect');
    if (result.kind !== 'redirect') return;
    expect(result.url.origin + result.url.pathname).toBe(GATEHOUSE_REDIRECT_URI);

    const tokens = await client.authorizationCodeGrant(config, result.url, {
      pkceCodeVerifier: verifier,
      expectedState: state,
      expectedNonce: nonce,
      idTokenExpected: true,
    });
    const claims = tokens.claims()!;
    expect(claims).toMatchObject({
      iss: emulator.issuer,
      aud: GATEHOUSE_CLIENT_ID,
      tid: CONTOSO_TENANT_ID,
      ver: '2.0',
      name: 'Adele Vance',
      preferred_username: 'adele@contoso.test',
      email: 'adele@contoso.test',
      roles: ['Gatehouse.User'],
      nonce,
    });
    expect(claims.oid).toBe(
      emulator.seed.users.find((u) => u.userPrincipalName === 'adele@contoso.test')!.id,
    );
    expect(claims.sub).not.toBe(claims.oid);
    expect(typeof claims.sid).toBe('string');
    expect(tokens.refresh_token).toMatch(/^0\.A/);
    expect(decodeJwtPayload(tokens.access_token)).toMatchObject({ aud: GRAPH_APP_ID, ver: '1.0' });
    expect(tokens.scope?.split(' ')).toEqual(
      expect.arrayContaining(['User.Read', 'GroupMember.Read.All', 'openid']),
    );

    // The Graph token works at the userinfo endpoint named in the metadata, with the ID token's subject.
    const userinfo = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
    expect(userinfo.name).toBe('Adele Vance');

    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token!, {
      scope: 'openid profile offline_access User.Read',
    });
    expect(refreshed.refresh_token).toBeDefined();
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    expect(refreshed.claims()).toMatchObject({ sub: claims.sub, roles: ['Gatehouse.User'] });

    const sharepoint = await client.refreshTokenGrant(config, refreshed.refresh_token!, {
      scope: `${emulator.sharepointUrl}/.default`,
    });
    expect(decodeJwtPayload(sharepoint.access_token)).toMatchObject({
      aud: new URL(emulator.sharepointUrl).origin,
      scp: 'AllSites.Read MyFiles.Read',
    });
  });

  it('works with client_secret_post and response_mode=form_post', async () => {
    const postConfig = await client.discovery(
      new URL(emulator.issuer),
      GATEHOUSE_CLIENT_ID,
      GATEHOUSE_CLIENT_SECRET,
      client.ClientSecretPost(GATEHOUSE_CLIENT_SECRET),
      { execute: [client.allowInsecureRequests] },
    );
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const authorizeUrl = client.buildAuthorizationUrl(postConfig, {
      redirect_uri: GATEHOUSE_REDIRECT_URI,
      scope: 'openid profile',
      response_mode: 'form_post',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
    });
    const result = await signIn({ authorizeUrl, username: 'megan@contoso.test', password: 'Passw0rd!' });
    expect(result.kind).toBe('form_post');
    if (result.kind !== 'form_post') return;
    const callback = new Request(result.action, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(result.fields),
    });
    const tokens = await client.authorizationCodeGrant(postConfig, callback, {
      pkceCodeVerifier: verifier,
      expectedState: state,
    });
    expect(tokens.claims()?.preferred_username).toBe('megan@contoso.test');
    expect(tokens.refresh_token).toBeUndefined();
  });

  it('builds an end-session URL that the emulator honours', async () => {
    const url = client.buildEndSessionUrl(config, {
      post_logout_redirect_uri: GATEHOUSE_REDIRECT_URI,
      state: 'bye',
    });
    const response = await fetch(url, { redirect: 'manual' });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('You signed out of your account');
    expect(html).toContain(`${GATEHOUSE_REDIRECT_URI}?state=bye`);
  });
});
