/**
 * Variables outside the schema. LibreChat's own are ignored (an operator's `.env` keeps working);
 * a name that looks like ours but is not one of ours is probably a typo, so it is reported.
 */
import { type ConfigIssue, warning } from './issues';
import { envVariables } from './schema';

/** LibreChat variables near the Azure Entra page that Gatehouse reads nothing from, and why. */
export const ignoredLibreChatVariables: Readonly<Record<string, string>> = {
  OPENID_USE_PKCE: 'Gatehouse always uses PKCE (S256), together with its client secret',
  OPENID_GENERATE_NONCE: 'Gatehouse always sends and checks a nonce',
  OPENID_REUSE_MAX_SESSION_AGE_MS:
    'the BFF refreshes tokens when they expire; SESSION_EXPIRY is the idle timeout',
  OPENID_REFRESH_AUDIENCE: 'not used by Gatehouse',
  OPENID_JWKS_URL_CACHE_ENABLED:
    'signing keys are cached, and fetched again once when an unknown key id appears',
  OPENID_JWKS_URL_CACHE_TIME:
    'signing keys are cached, and fetched again once when an unknown key id appears',
  OPENID_ON_BEHALF_FLOW_FOR_USERINFO_REQUIRED:
    'Gatehouse makes no on-behalf-of exchange; Graph tokens come from the refresh token',
  OPENID_ON_BEHALF_FLOW_USERINFO_SCOPE:
    'Gatehouse makes no on-behalf-of exchange; Graph tokens come from the refresh token',
  OPENID_ON_BEHALF_FLOW_FOR_USERINFRO_REQUIRED:
    'an older, misspelt LibreChat name; Gatehouse makes no on-behalf-of exchange',
  OPENID_ON_BEHALF_FLOW_USERINFRO_SCOPE:
    'an older, misspelt LibreChat name; Gatehouse makes no on-behalf-of exchange',
  OPENID_ADMIN_ROLE: 'Gatehouse has no admin role; OPENID_REQUIRED_ROLE decides who may sign in',
  OPENID_ADMIN_ROLE_PARAMETER_PATH: 'Gatehouse has no admin role',
  OPENID_ADMIN_ROLE_TOKEN_KIND: 'Gatehouse has no admin role',
  OPENID_ROLE_SYNC_ENABLED: 'Gatehouse does not sync LibreChat roles',
  OPENID_ROLE_SYNC_API_ENABLED: 'Gatehouse does not sync LibreChat roles',
  OPENID_ROLE_SYNC_SOURCE: 'Gatehouse does not sync LibreChat roles',
  OPENID_ROLE_SYNC_CLAIM: 'Gatehouse does not sync LibreChat roles',
  OPENID_ROLE_SYNC_ROLE_PRIORITY: 'Gatehouse does not sync LibreChat roles',
  OPENID_ROLE_SYNC_FALLBACK_ROLE: 'Gatehouse does not sync LibreChat roles',
  OPENID_AVATAR_AUTHORIZED_ORIGINS: 'profile photos are fetched by the BFF from Microsoft Graph only',
  OPENID_DISCOVERY_RETRY_ATTEMPTS: 'not used by Gatehouse',
  OPENID_DISCOVERY_RETRY_DELAY_MS: 'not used by Gatehouse',
  DEBUG_OPENID_REQUESTS: 'not used by Gatehouse; LOG_LEVEL=debug logs requests without tokens',
  JWT_SECRET: 'Gatehouse issues no JWTs of its own; sessions are opaque ids',
  JWT_REFRESH_SECRET: 'Gatehouse issues no JWTs of its own; sessions are opaque ids',
  USE_REDIS: 'sessions and refresh locks live in the database (DATABASE_URL)',
};

/** Prefixes of Gatehouse's variables: an unknown name under one of them is reported as a likely typo. */
const watchedPrefixes = [
  'OPENID_',
  'SHAREPOINT_',
  'ENTRA_ID_',
  'USE_ENTRA_ID',
  'ENABLE_SHAREPOINT',
  'DOMAIN_',
];

export function checkUnknownVariables(names: Iterable<string>): ConfigIssue[] {
  const known = new Set<string>([...envVariables, ...Object.keys(ignoredLibreChatVariables)]);
  const issues: ConfigIssue[] = [];
  for (const name of names) {
    if (known.has(name) || !watchedPrefixes.some((prefix) => name.startsWith(prefix))) continue;
    const suggestion = closest(name, envVariables);
    issues.push(
      warning(
        name,
        'is not a variable Gatehouse (or LibreChat) reads, so it has no effect',
        suggestion
          ? `did you mean ${suggestion}?`
          : 'check its spelling against docs/configuration.md, or remove it',
      ),
    );
  }
  return issues;
}

function closest(name: string, candidates: readonly string[]): string | undefined {
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(name, candidate);
    if (distance <= 3 && (!best || distance < best.distance)) best = { candidate, distance };
  }
  return best?.candidate;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
