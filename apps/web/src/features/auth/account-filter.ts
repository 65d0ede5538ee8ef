import type { AccountInfo, IPublicClientApplication } from '@azure/msal-browser';

/** msal-common's `AccountFilter` (msal-browser does not re-export it). */
export type AccountFilter = Parameters<IPublicClientApplication['getAccount']>[0];

/** msal's `getAccount(filter)` rules: every field given must match; an empty filter matches nothing. */
export function matchesAccountFilter(account: AccountInfo, filter: AccountFilter): boolean {
  const same = (a: string | undefined, b: string | undefined) =>
    !!a && !!b && a.toLowerCase() === b.toLowerCase();
  const checks: Array<[unknown, () => boolean]> = [
    [filter.homeAccountId, () => same(filter.homeAccountId, account.homeAccountId)],
    [filter.localAccountId, () => same(filter.localAccountId, account.localAccountId)],
    [filter.username, () => same(filter.username, account.username)],
    [filter.loginHint, () => same(filter.loginHint, account.username)],
    [filter.tenantId, () => same(filter.tenantId, account.tenantId)],
    [filter.realm, () => same(filter.realm, account.tenantId)],
    [filter.environment, () => same(filter.environment, account.environment)],
    [filter.name, () => filter.name === account.name],
    // The BFF's session has no `sid` or native (broker) id to compare with.
    [filter.sid, () => false],
    [filter.nativeAccountId, () => false],
    [filter.isHomeTenant, () => filter.isHomeTenant === true],
  ];
  const given = checks.filter(([value]) => value !== undefined);
  return given.length > 0 && given.every(([, check]) => check());
}
