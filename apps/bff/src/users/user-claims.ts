import type { Config } from '@gatehouse/config';
import type { UpsertUserInput } from './user-repository';

export type ClaimOverrides = Pick<
  Config,
  'OPENID_NAME_CLAIM' | 'OPENID_EMAIL_CLAIM' | 'OPENID_USERNAME_CLAIM'
>;

/**
 * The user to upsert from validated sign-in claims (ID token merged with userinfo).
 *
 * Identity: Entra tokens carry `tid` and `oid` and are keyed by them (`oid` is the same user in
 * every app of the tenant, `sub` differs per app) — but only when the issuer is that tenant's
 * (`…/{tid}/v2.0`, `https://sts.windows.net/{tid}/`): another provider that happens to emit `tid`
 * and `oid` claims must not reach an Entra user's key. Other providers: `iss` + `sub`.
 * Profile, honouring the `OPENID_*_CLAIM` overrides as LibreChat does:
 * - name: OPENID_NAME_CLAIM, else `name`, else given + family name, else the username, else the email;
 * - email: OPENID_EMAIL_CLAIM, else `email`, `preferred_username`, `upn` (display only, never a key);
 * - username: OPENID_USERNAME_CLAIM, else `preferred_username`, `username`, else the email.
 */
export function userFromClaims(
  issuer: string,
  claims: Record<string, unknown>,
  overrides: ClaimOverrides,
): UpsertUserInput {
  const tid = text(claims.tid);
  const oid = text(claims.oid);
  const sub = text(claims.sub);
  const entra = tid !== '' && oid !== '' && issuerNamesTenant(issuer, tid);
  if (!entra && sub === '') throw new TypeError('userFromClaims: the token has neither tid+oid nor sub.');

  const pick = (override: string | undefined, ...names: string[]) => {
    for (const name of override ? [override, ...names] : names) {
      const value = text(claims[name]);
      if (value !== '') return value;
    }
    return '';
  };
  const email = pick(overrides.OPENID_EMAIL_CLAIM, 'email', 'preferred_username', 'upn');
  const username = pick(overrides.OPENID_USERNAME_CLAIM, 'preferred_username', 'username') || email;
  const fullName = [text(claims.given_name), text(claims.family_name)].filter(Boolean).join(' ');
  const name = pick(overrides.OPENID_NAME_CLAIM, 'name') || fullName || username || email;

  return entra
    ? { issuer, tenantId: tid, subject: oid, name, email, username }
    : { issuer, subject: sub, name, email, username };
}

function issuerNamesTenant(issuer: string, tid: string): boolean {
  if (!URL.canParse(issuer)) return false;
  return new URL(issuer).pathname.toLowerCase().split('/').includes(tid.toLowerCase());
}

/** A claim as text: strings trimmed, string arrays joined with `_` (LibreChat), numbers as digits. */
function text(value: unknown): string {
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (Array.isArray(value)) {
    return value
      .filter((v): v is string => typeof v === 'string' && v.trim() !== '')
      .map((v) => v.trim())
      .join('_');
  }
  return '';
}
