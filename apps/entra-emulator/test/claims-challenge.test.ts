import { describe, expect, it } from 'vitest';
import { createFaults } from '../src/control/faults';
import { signIn } from '../src/testing';
import {
  authorizeUrl,
  createTestEmulator,
  decodeJwtPayload,
  getCode,
  graphGet,
  signInAndRedeem,
  tokenRequest,
} from './helpers';

const STEP_UP = JSON.stringify({ access_token: { acrs: { essential: true, value: 'c1' } } });

describe('client capabilities (CAE)', () => {
  it('gives the tokens of a code the capabilities its authorize request named; none when it named none', async () => {
    const emulator = createTestEmulator();
    const cae = JSON.stringify({ access_token: { xms_cc: { values: ['CP1'] } } });
    const capable = await signInAndRedeem(emulator, 'adele@contoso.test', { extra: { claims: cae } });
    expect(decodeJwtPayload(capable.tokens.access_token!).xms_cc).toEqual(['cp1']);
    const plain = await signInAndRedeem(emulator, 'adele@contoso.test');
    expect(decodeJwtPayload(plain.tokens.access_token!).xms_cc).toBeUndefined();
  });
});

describe('authentication contexts on a silent sign-in', () => {
  it('answers prompt=none interaction_required (AADSTS50076) until a sign-in that can ask the user met the context', async () => {
    const emulator = createTestEmulator();
    emulator.control.fault({ route: 'token', demandClaims: 'c1' });
    const { cookies } = await getCode(emulator, 'adele@contoso.test');
    const silent = () =>
      signIn({
        fetch: emulator.fetch,
        authorizeUrl: authorizeUrl({ prompt: 'none', extra: { claims: STEP_UP } }),
        cookies,
      });

    const refused = await silent();
    if (refused.kind !== 'redirect') throw new Error(`expected a redirect, got ${refused.kind}`);
    expect(refused.url.searchParams.get('error')).toBe('interaction_required');
    expect(refused.url.searchParams.get('error_description')).toMatch(/^AADSTS50076:/);
    expect(emulator.control.faults()).toHaveLength(1); // a silent request meets no demand

    // The same request without prompt=none: the user is asked (the SSO session alone does not meet a
    // step-up), and once they answer it is met, for this SSO session.
    const unanswered = await signIn({
      fetch: emulator.fetch,
      authorizeUrl: authorizeUrl({ extra: { claims: STEP_UP } }),
      cookies,
    });
    expect(unanswered.kind).toBe('page');
    expect(emulator.control.faults()).toHaveLength(1);
    const stepped = await signIn({
      fetch: emulator.fetch,
      authorizeUrl: authorizeUrl({ extra: { claims: STEP_UP } }),
      username: 'adele@contoso.test',
      password: 'Passw0rd!',
      cookies,
    });
    expect(stepped.kind === 'redirect' && stepped.url.searchParams.get('code')).toBeTruthy();
    expect(emulator.control.faults()).toEqual([]);
    const again = await silent();
    expect(again.kind === 'redirect' && again.url.searchParams.get('code')).toBeTruthy();
  });
});

describe('demandClaims fault: Conditional Access step-up', () => {
  it('refuses refreshes with AADSTS50076 and the claims to ask for, until a sign-in carries them', async () => {
    const emulator = createTestEmulator();
    const { tokens } = await signInAndRedeem(emulator, 'adele@contoso.test');
    emulator.control.fault({ route: 'token', demandClaims: 'c1' });

    const refused = await tokenRequest(emulator, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token!,
    });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ error: 'invalid_grant', error_codes: [50076] });
    expect(JSON.parse(String(refused.body.claims))).toEqual({
      access_token: { acrs: { essential: true, value: 'c1' } },
    });
    // Not consumed by a refusal: the next refresh is refused too.
    const again = await tokenRequest(emulator, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token!,
    });
    expect(again.status).toBe(400);

    const stepped = await signInAndRedeem(emulator, 'adele@contoso.test', { extra: { claims: STEP_UP } });
    expect(decodeJwtPayload(stepped.tokens.access_token!).acrs).toEqual(['c1']);
    expect(emulator.control.faults()).toEqual([]);
    const refreshed = await tokenRequest(emulator, {
      grant_type: 'refresh_token',
      refresh_token: stepped.tokens.refresh_token!,
    });
    expect(refreshed.status).toBe(200);
    expect(decodeJwtPayload(String(refreshed.body.access_token)).acrs).toEqual(['c1']);
  });

  it('makes Graph answer 401 insufficient_claims with base64 claims until a sign-in carries them', async () => {
    const emulator = createTestEmulator();
    const { tokens } = await signInAndRedeem(emulator, 'adele@contoso.test');
    emulator.control.fault({ route: 'graph', demandClaims: 'c1' });

    const refused = await graphGet(emulator, '/me', tokens.access_token!);
    expect(refused.status).toBe(401);
    const challenge = refused.headers.get('www-authenticate') ?? '';
    expect(challenge).toContain('error="insufficient_claims"');
    const claims = /claims="([^"]+)"/.exec(challenge)?.[1] ?? '';
    expect(JSON.parse(Buffer.from(claims, 'base64').toString())).toEqual({
      access_token: { acrs: { essential: true, value: 'c1' } },
    });

    // A sign-in asking for another context does not lift the demand.
    const other = await signInAndRedeem(emulator, 'adele@contoso.test', {
      extra: { claims: JSON.stringify({ access_token: { acrs: { essential: true, value: 'c2' } } }) },
    });
    expect((await graphGet(emulator, '/me', other.tokens.access_token!)).status).toBe(401);

    const stepped = await signInAndRedeem(emulator, 'adele@contoso.test', { extra: { claims: STEP_UP } });
    expect((await graphGet(emulator, '/me', stepped.tokens.access_token!)).status).toBe(200);
  });

  it('puts the CAE capability (xms_cc) asked for at a refresh into the access token', async () => {
    const emulator = createTestEmulator();
    const { tokens } = await signInAndRedeem(emulator, 'adele@contoso.test');
    const refreshed = await tokenRequest(emulator, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token!,
      claims: JSON.stringify({ access_token: { xms_cc: { values: ['CP1'] } } }),
    });
    expect(decodeJwtPayload(String(refreshed.body.access_token)).xms_cc).toEqual(['cp1']);
  });

  it('sends a claims parameter that is not JSON back to the app as invalid_request', async () => {
    const emulator = createTestEmulator();
    await expect(
      signInAndRedeem(emulator, 'adele@contoso.test', { extra: { claims: '{not json' } }),
    ).rejects.toThrow(/invalid_request.*claims/s);
  });

  it('refuses a demandClaims fault it cannot apply, naming the field', () => {
    const faults = createFaults();
    expect(() => faults.add({ route: 'authorize', demandClaims: 'c1' })).toThrow(/demandClaims/);
    expect(() => faults.add({ route: 'token', demandClaims: 'c 1' })).toThrow(/demandClaims/);
    expect(() => faults.add({ route: 'graph', demandClaims: 'c1', status: 500 })).toThrow(/route only/);
    faults.add({ route: 'graph', demandClaims: 'c1' });
    // Left to graph-auth: the request-level fault check passes it by.
    expect(faults.take({ path: '/v1.0/me', method: 'GET' })).toBeUndefined();
    expect(faults.claimsDemand('graph')).toBe('c1');
    expect(faults.claimsDemand('token')).toBeUndefined();
  });
});
