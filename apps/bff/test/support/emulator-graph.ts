/**
 * Microsoft Graph of an in-process emulator for tests of the BFF's directory code: the BFF's own
 * Graph client over `emulator.fetch`, and a real delegated Graph token for a seeded user (signed in
 * through the emulator's pages, code redeemed with PKCE), so Graph's permissions and paging apply.
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  type Emulator,
  GATEHOUSE_CLIENT_ID,
  GATEHOUSE_CLIENT_SECRET,
  GATEHOUSE_REDIRECT_URI,
} from '@gatehouse/entra-emulator';
import { signIn } from '@gatehouse/entra-emulator/testing';
import pino from 'pino';
import { createGraphClient, type GraphClient } from '../../src/graph/graph-client';

export interface EmulatorGraph {
  graph: GraphClient;
  /** A Graph access token of `username` (`adele@contoso.test`), with the app's consented Graph scopes. */
  tokenFor(username: string): Promise<string>;
}

export function emulatorGraph(emulator: Emulator, password = 'Passw0rd!'): EmulatorGraph {
  const issuer = new URL(emulator.issuer());
  const tenantBase = issuer.href.replace(/\/v2\.0\/?$/, '');
  const graph = createGraphClient({
    fetch: ((input: string | URL | Request, init?: RequestInit) =>
      emulator.fetch(new Request(input, init))) as typeof fetch,
    log: pino({ level: 'silent' }),
    baseUrl: `${issuer.origin}/v1.0`,
  });

  async function tokenFor(username: string) {
    const verifier = randomBytes(32).toString('base64url');
    const authorize = new URL(`${tenantBase}/oauth2/v2.0/authorize`);
    for (const [key, value] of Object.entries({
      client_id: GATEHOUSE_CLIENT_ID,
      response_type: 'code',
      redirect_uri: GATEHOUSE_REDIRECT_URI,
      scope: 'openid https://graph.microsoft.com/.default',
      state: randomBytes(8).toString('hex'),
      nonce: randomBytes(8).toString('hex'),
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
    }))
      authorize.searchParams.set(key, value);
    const result = await signIn({ fetch: emulator.fetch, authorizeUrl: authorize, username, password });
    const code = result.kind === 'redirect' ? result.url.searchParams.get('code') : null;
    if (!code) throw new Error(`emulator sign-in of ${username} gave no code (${result.kind})`);
    const response = await emulator.fetch(
      new Request(`${tenantBase}/oauth2/v2.0/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code,
          redirect_uri: GATEHOUSE_REDIRECT_URI,
          code_verifier: verifier,
          client_id: GATEHOUSE_CLIENT_ID,
          client_secret: GATEHOUSE_CLIENT_SECRET,
        }),
      }),
    );
    const body = (await response.json()) as { access_token?: string; error_description?: string };
    if (!body.access_token) throw new Error(`emulator token for ${username}: ${body.error_description}`);
    return body.access_token;
  }

  return { graph, tokenFor };
}
