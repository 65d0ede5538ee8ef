import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { createIdTokenSignatureVerifier, IdTokenSignatureError } from './id-token-signature';

async function key(kid: string) {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  const sign = (claims: Record<string, unknown> = { sub: 'user' }, alg = 'RS256') =>
    new SignJWT(claims).setProtectedHeader({ alg, kid }).sign(privateKey);
  return { jwk, sign };
}

function provider(initial: JWK[]) {
  let keys = initial;
  let now = 1_700_000_000_000;
  let fetches = 0;
  const fetch = (async () => {
    fetches += 1;
    return Response.json({ keys });
  }) as unknown as typeof globalThis.fetch;
  const verifier = createIdTokenSignatureVerifier({
    jwksUri: 'https://login.example/keys',
    fetch,
    clock: { now: () => now },
    algorithms: ['RS256'],
    unknownKidCooldownMs: 60_000,
  });
  return {
    verifier,
    publish: (next: JWK[]) => {
      keys = next;
    },
    advance: (ms: number) => {
      now += ms;
    },
    fetches: () => fetches,
  };
}

async function codeOf(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(IdTokenSignatureError);
  return (error as IdTokenSignatureError).code;
}

describe('ID-token signature verifier', () => {
  it('accepts a token signed with a published key, fetching the key set once', async () => {
    const k1 = await key('k1');
    const p = provider([k1.jwk]);
    await p.verifier.verify(await k1.sign());
    await p.verifier.verify(await k1.sign());
    expect(p.fetches()).toBe(1);
  });

  it('fetches the key set again, once, for a kid it has not seen (key rotation)', async () => {
    const k1 = await key('k1');
    const k2 = await key('k2');
    const p = provider([k1.jwk]);
    await p.verifier.verify(await k1.sign());
    p.publish([k2.jwk]);
    await p.verifier.verify(await k2.sign());
    expect(p.fetches()).toBe(2);
  });

  it('does not loop on a kid the provider does not publish: one refetch, then a cooldown', async () => {
    const k1 = await key('k1');
    const rogue = await key('rogue');
    const p = provider([k1.jwk]);
    await p.verifier.verify(await k1.sign());
    expect(await codeOf(p.verifier.verify(await rogue.sign()))).toBe('unknown_key');
    expect(p.fetches()).toBe(2);
    for (let i = 0; i < 5; i += 1)
      expect(await codeOf(p.verifier.verify(await rogue.sign()))).toBe('unknown_key');
    expect(p.fetches()).toBe(2);
    p.advance(60_001);
    expect(await codeOf(p.verifier.verify(await rogue.sign()))).toBe('unknown_key');
    expect(p.fetches()).toBe(3);
  });

  it('shares one download between concurrent verifications', async () => {
    const k1 = await key('k1');
    const p = provider([k1.jwk]);
    const token = await k1.sign();
    await Promise.all(Array.from({ length: 20 }, () => p.verifier.verify(token)));
    expect(p.fetches()).toBe(1);
  });

  it('refuses a token whose payload was changed after signing', async () => {
    const k1 = await key('k1');
    const p = provider([k1.jwk]);
    const [header, , signature] = (await k1.sign({ sub: 'user', roles: [] })).split('.');
    const forged = [
      header,
      Buffer.from(JSON.stringify({ sub: 'user', roles: ['admin'] })).toString('base64url'),
      signature,
    ].join('.');
    expect(await codeOf(p.verifier.verify(forged))).toBe('bad_signature');
  });

  it('refuses alg none and symmetric algorithms, and garbage', async () => {
    const k1 = await key('k1');
    const p = provider([k1.jwk]);
    const none = `${Buffer.from('{"alg":"none","kid":"k1"}').toString('base64url')}.${Buffer.from('{"sub":"x"}').toString('base64url')}.`;
    expect(await codeOf(p.verifier.verify(none))).toBe('bad_signature');
    const hs = `${Buffer.from('{"alg":"HS256","kid":"k1"}').toString('base64url')}.${Buffer.from('{"sub":"x"}').toString('base64url')}.c2ln`;
    expect(await codeOf(p.verifier.verify(hs))).toBe('bad_signature');
    expect(await codeOf(p.verifier.verify('not a jwt'))).toBe('malformed');
  });

  it('reports an unreachable key set as jwks_unavailable', async () => {
    const k1 = await key('k1');
    const verifier = createIdTokenSignatureVerifier({
      jwksUri: 'https://login.example/keys',
      fetch: (async () => new Response('down', { status: 503 })) as unknown as typeof fetch,
      clock: { now: () => 0 },
      algorithms: ['RS256'],
    });
    expect(await codeOf(verifier.verify(await k1.sign()))).toBe('jwks_unavailable');
  });

  it('refuses to be configured with symmetric or no algorithms', () => {
    const base = { jwksUri: 'https://x/keys', fetch, clock: { now: () => 0 } };
    expect(() => createIdTokenSignatureVerifier({ ...base, algorithms: ['HS256'] })).toThrow(TypeError);
    expect(() => createIdTokenSignatureVerifier({ ...base, algorithms: [] })).toThrow(TypeError);
  });
});
