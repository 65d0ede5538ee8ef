import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Download URLs live an hour, as Graph's `@microsoft.graph.downloadUrl` does. */
export const DOWNLOAD_URL_LIFETIME_SECONDS = 3600;

export interface DownloadGrant {
  driveId: string;
  itemId: string;
  userId: string;
}

export interface DownloadSigner {
  /** A pre-authenticated URL on the emulator's origin: `{baseUrl}/_download/{token}`. */
  url(grant: DownloadGrant): string;
  verify(token: string): DownloadGrant | 'expired' | 'invalid';
}

/** Signs download grants with an HMAC key made per emulator, so no URL survives a restart. */
export function createDownloadSigner(deps: { baseUrl: string; clock: () => number }): DownloadSigner {
  const key = randomBytes(32);
  const sign = (payload: string) => createHmac('sha256', key).update(payload).digest();
  return {
    url(grant) {
      const expires = Math.floor(deps.clock() / 1000) + DOWNLOAD_URL_LIFETIME_SECONDS;
      const payload = Buffer.from(
        JSON.stringify({ d: grant.driveId, i: grant.itemId, u: grant.userId, e: expires }),
      ).toString('base64url');
      return `${deps.baseUrl}/_download/${payload}.${sign(payload).toString('base64url')}`;
    },
    verify(token) {
      const [payload = '', signature = ''] = token.split('.');
      // Compared as text: base64url decoding ignores a last character's spare bits and stray
      // characters, so two different URLs could otherwise carry one signature.
      const expected = Buffer.from(sign(payload).toString('base64url'));
      const given = Buffer.from(signature);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'invalid';
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
        d: string;
        i: string;
        u: string;
        e: number;
      };
      if (claims.e * 1000 <= deps.clock()) return 'expired';
      return { driveId: claims.d, itemId: claims.i, userId: claims.u };
    },
  };
}

/** The item a download path names, read without checking the signature: for counters only. */
export function downloadItemOf(path: string): string {
  const payload = /^\/_download\/([^./]+)\./.exec(path)?.[1];
  if (!payload) return '(invalid)';
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { i?: unknown };
    return typeof claims.i === 'string' ? claims.i : '(invalid)';
  } catch {
    return '(invalid)';
  }
}
