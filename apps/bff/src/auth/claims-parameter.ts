/**
 * The `claims` request parameter as text: pure functions, shared by the OIDC client's error
 * translation, the Graph client and sign-in (apart from claims-challenge.ts, which needs the token
 * manager, so that those modules do not import it).
 */

/** Claims values bigger than this are not a challenge we replay (Entra's are a few hundred bytes). */
export const MAX_CLAIMS_LENGTH = 4096;

/** A claims request as JSON text: an object, of a sane size. */
export function isClaimsJson(value: string): boolean {
  if (value.length === 0 || value.length > MAX_CLAIMS_LENGTH) return false;
  try {
    const parsed: unknown = JSON.parse(value);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
  } catch {
    return false;
  }
}

/** The client capability of a CAE-capable app (MSAL's `clientCapabilities: ["CP1"]`). */
const CAE_CAPABLE = { access_token: { xms_cc: { values: ['cp1'] } } };

/**
 * The `claims` parameter of a sign-in or token request: the challenge (if any) merged with the CAE
 * capability, as MSAL merges them; Entra reads both from one object.
 */
export function claimsParameter(challenge: string | undefined): string {
  if (!challenge) return JSON.stringify(CAE_CAPABLE);
  const parsed = JSON.parse(challenge) as Record<string, unknown>;
  const access =
    typeof parsed.access_token === 'object' && parsed.access_token !== null
      ? (parsed.access_token as Record<string, unknown>)
      : {};
  return JSON.stringify({ ...parsed, access_token: { ...access, ...CAE_CAPABLE.access_token } });
}
