import { type CloudId, cloudIds, isCloudId } from '@gatehouse/config';
import type { EmulatorContext } from '../context';
import type { SeedApplication, SeedGroup, SeedUser } from '../seed/types';
import type { EmulatorSettings } from '../settings';
import type { CounterSnapshot } from './counters';
import type { FaultSpec } from './faults';

/**
 * Test hooks: faults, counters and directory changes. The same operations are served over HTTP under
 * `/_emulator/` (see control-routes.ts). Users are named by id, UPN, mail or UPN prefix ("adele");
 * groups by id, mail nickname or display name; the app defaults to the seed's first registration.
 */
export interface EmulatorControl {
  /**
   * Clears faults and counters, restores the settings the emulator was created with (its `cloud`
   * included) and the seed's groups and app-role assignments.
   */
  reset(): void;
  counters(): CounterSnapshot;
  resetCounters(): void;
  fault(spec: FaultSpec): string;
  clearFaults(): void;
  faults(): ReturnType<EmulatorContext['faults']['list']>;
  tokenEndpointDown(down: boolean): void;
  /** Revokes every refresh token of the user (next use: AADSTS50173), as "Revoke sessions" does in Entra. */
  revokeRefreshTokens(user: string): number;
  /** Makes every current refresh token of the user fail as inactive (AADSTS700082). */
  expireRefreshTokens(user: string): number;
  /** `revoke`: presenting an already-rotated refresh token revokes its family (Entra's default is `allow`). */
  setRefreshTokenReuse(mode: EmulatorSettings['refreshTokenReuse']): void;
  setAccessTokenLifetime(seconds: number): void;
  setRefreshTokenInactivity(seconds: number): void;
  /** Presents the emulator as another Microsoft cloud (`global`, `usgov-high`, `usgov-dod`, `china`). */
  setCloud(cloud: CloudId): void;
  /** A new signing key (new `kid`); the old one stays in the JWKS only with `keepOld`. Returns the new kid. */
  rotateKeys(options: { keepOld: boolean }): string;
  addAppRole(user: string, role: string, clientId?: string): void;
  removeAppRole(user: string, role: string, clientId?: string): void;
  addToGroup(user: string, group: string): void;
  removeFromGroup(user: string, group: string): void;
  /**
   * Only these users or groups may read the drive item (and what it holds) from now on, e.g. to revoke
   * access to a file after it was picked; `null` restores the seed's rule.
   */
  setItemReaders(itemId: string, readers: string[] | null): void;
  settings(): EmulatorSettings;
}

export function createControl(ctx: EmulatorContext): EmulatorControl {
  const { directory, grants } = ctx;
  const initialSettings = { ...ctx.settings };

  const user = (key: string): SeedUser => {
    const found = directory.findUser(key);
    if (!found)
      throw new TypeError(
        `No user "${key}" in the emulator's directory (use an id, UPN, mail or UPN prefix).`,
      );
    return found;
  };
  const principal = (key: string): SeedUser | SeedGroup => {
    const found = directory.findUser(key) ?? directory.findGroup(key);
    if (!found) throw new TypeError(`No user or group "${key}" in the emulator's directory.`);
    return found;
  };
  const group = (key: string): SeedGroup => {
    const found = directory.findGroup(key);
    if (!found)
      throw new TypeError(
        `No group "${key}" in the emulator's directory (use an id, mail nickname or display name).`,
      );
    return found;
  };
  const app = (clientId?: string): SeedApplication => {
    const found = clientId ? directory.findApp(clientId) : directory.applications()[0];
    if (!found) throw new TypeError(`No app registration "${clientId ?? '(first)'}" in the emulator's seed.`);
    return found;
  };
  const positive = (name: string, value: number) => {
    if (!Number.isFinite(value) || value <= 0)
      throw new TypeError(`${name} must be a positive number of seconds, got ${value}.`);
  };

  return {
    reset() {
      ctx.faults.clear();
      ctx.counters.reset();
      Object.assign(ctx.settings, initialSettings);
      directory.reset();
      ctx.drives.reset();
    },
    counters: () => ctx.counters.snapshot(),
    resetCounters: () => ctx.counters.reset(),
    fault: (spec) => ctx.faults.add(spec),
    clearFaults: () => ctx.faults.clear(),
    faults: () => ctx.faults.list(),
    tokenEndpointDown(down) {
      ctx.settings.tokenEndpointDown = down;
    },
    revokeRefreshTokens(key) {
      const id = user(key).id;
      const now = ctx.clock();
      let count = 0;
      grants.forEachRefreshToken((t) => {
        if (t.userId === id && t.revokedAt === undefined) {
          t.revokedAt = now;
          count++;
        }
      });
      return count;
    },
    expireRefreshTokens(key) {
      const id = user(key).id;
      let count = 0;
      grants.forEachRefreshToken((t) => {
        if (t.userId === id) {
          t.forcedExpiry = true;
          count++;
        }
      });
      return count;
    },
    setRefreshTokenReuse(mode) {
      if (mode !== 'allow' && mode !== 'revoke')
        throw new TypeError(`refreshTokenReuse must be "allow" or "revoke", got "${mode}".`);
      ctx.settings.refreshTokenReuse = mode;
    },
    setAccessTokenLifetime(seconds) {
      positive('accessTokenLifetimeSeconds', seconds);
      ctx.settings.accessTokenLifetimeSeconds = Math.floor(seconds);
    },
    setRefreshTokenInactivity(seconds) {
      positive('refreshTokenInactivitySeconds', seconds);
      ctx.settings.refreshTokenInactivitySeconds = Math.floor(seconds);
    },
    setCloud(cloud) {
      if (!isCloudId(cloud))
        throw new TypeError(`cloud must be one of ${cloudIds.join(', ')}, got "${cloud}".`);
      ctx.settings.cloud = cloud;
    },
    rotateKeys: (options) => ctx.keys.rotate({ keepOld: Boolean(options?.keepOld) }).kid,
    addAppRole: (key, role, clientId) =>
      directory.addAppRole(app(clientId).clientId, principal(key).id, role),
    removeAppRole: (key, role, clientId) =>
      directory.removeAppRole(app(clientId).clientId, principal(key).id, role),
    addToGroup: (key, groupKey) => directory.addToGroup(group(groupKey).id, principal(key).id),
    removeFromGroup: (key, groupKey) => directory.removeFromGroup(group(groupKey).id, principal(key).id),
    setItemReaders(itemId, readers) {
      if (readers !== null && !Array.isArray(readers))
        throw new TypeError('readers must be a list of users or groups, or null to restore the seed.');
      ctx.drives.setReaders(itemId, readers === null ? undefined : readers.map((r) => principal(r).id));
    },
    settings: () => ({ ...ctx.settings }),
  };
}
