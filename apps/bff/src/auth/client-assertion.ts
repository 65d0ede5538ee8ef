/**
 * `private_key_jwt` as Entra takes it: a client assertion signed RS256 with the certificate's key,
 * `x5t#S256` (base64url SHA-256 of the DER certificate) in its header so Entra finds the registered
 * certificate, and `aud` = the token endpoint (openid-client puts the issuer there, which Entra's
 * documentation does not list). Every token request made through the configuration carries one:
 * code redemption, each refresh and client credentials.
 */
import { createPrivateKey } from 'node:crypto';
import * as client from 'openid-client';

export interface ClientCertificateCredential {
  /** The unencrypted PKCS#8 or PKCS#1 PEM private key (RSA). */
  privateKeyPem: string;
  /** base64url SHA-256 of the DER certificate registered with the app. */
  x5tS256: string;
}

export function privateKeyJwt(credential: ClientCertificateCredential): client.ClientAuth {
  // Imported once, on the first token request (WebCrypto's importKey is asynchronous).
  let key: Promise<client.CryptoKey> | undefined;
  const importKey = () =>
    crypto.subtle.importKey(
      'pkcs8',
      createPrivateKey(credential.privateKeyPem).export({ type: 'pkcs8', format: 'der' }),
      { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
      false,
      ['sign'],
    );
  return async (as, metadata, body, headers) => {
    key ??= importKey();
    const audience = as.token_endpoint ?? as.issuer;
    const sign = client.PrivateKeyJwt(await key, {
      [client.modifyAssertion]: (header, payload) => {
        header.typ = 'JWT';
        header['x5t#S256'] = credential.x5tS256;
        payload.aud = audience;
      },
    });
    await sign(as, metadata, body, headers);
  };
}
