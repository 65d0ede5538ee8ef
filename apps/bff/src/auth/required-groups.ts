import type { Config } from '@gatehouse/config';
import type { Logger } from 'pino';
import { groupsNamed, groupsNamedLike, lookUpDirectoryObjects, type NamedGroup } from '../graph/directory';
import type { GraphClient } from '../graph/graph-client';
import type { OidcClient } from './oidc';

/** One required group of OPENID_REQUIRED_ROLE, as the directory knows it. */
export interface RequiredGroup {
  /** As written in OPENID_REQUIRED_ROLE (a display name or an object id). */
  configured: string;
  /** Object id, lower case: what Entra's `groups` claim and `checkMemberGroups` speak. */
  id: string;
  /** Display name, for the access-denied page. */
  name: string;
}

/** A required group name that names no group, or several: the configuration must change. */
export class RequiredGroupsError extends Error {
  override readonly name = 'RequiredGroupsError';
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(
      [
        `OPENID_REQUIRED_ROLE names ${problems.length === 1 ? 'a group' : 'groups'} that cannot be used:`,
        ...problems.map((problem) => `  - ${problem}`),
      ].join('\n'),
    );
    this.problems = problems;
  }
}

export interface RequiredGroups {
  /**
   * The required groups with their object ids and names, resolved once through Graph and kept.
   * Concurrent callers share one resolution. An unknown or ambiguous name throws
   * `RequiredGroupsError` every time (the configuration is wrong); a provider or Graph outage
   * throws and is tried again by the next call. Empty when no group is named by display name.
   */
  resolve(): Promise<readonly RequiredGroup[]>;
}

export interface RequiredGroupsDeps {
  config: Pick<Config, 'OPENID_REQUIRED_ROLE' | 'requiredGroupNames'>;
  oidc: Pick<OidcClient, 'clientCredentials'>;
  graph: GraphClient;
  log: Logger;
}

/**
 * Microsoft Graph's `.default` scope by its application id: the same in every national cloud, and
 * an app-only token is what start-up has (no user has signed in yet).
 */
const GRAPH_DEFAULT_SCOPE = '00000003-0000-0000-c000-000000000000/.default';

/**
 * Required groups named by display name (`OPENID_REQUIRED_ROLE=Marketing` with the `groups`
 * claim, which holds object ids). They are resolved with the app's own credentials (client
 * credentials, the application permission GroupMember.Read.All): at start, before anyone signs in,
 * and the same for every user, so no user's token decides what the policy means. Ids written
 * as such are looked up too, so the access-denied page can name every group.
 */
export function createRequiredGroups(deps: RequiredGroupsDeps): RequiredGroups {
  const { config, log } = deps;
  const names = new Set(config.requiredGroupNames);
  let resolved: Promise<readonly RequiredGroup[]> | undefined;

  async function resolveAll(): Promise<readonly RequiredGroup[]> {
    const { accessToken } = await deps.oidc.clientCredentials([GRAPH_DEFAULT_SCOPE]);
    const problems: string[] = [];
    const groups: RequiredGroup[] = [];
    const ids = config.OPENID_REQUIRED_ROLE.filter((value) => !names.has(value));
    const known = await lookUpDirectoryObjects(
      deps.graph,
      accessToken,
      ids.map((id) => ({ type: 'group' as const, id })),
    );
    for (const configured of config.OPENID_REQUIRED_ROLE) {
      if (!names.has(configured)) {
        const entry = known[ids.indexOf(configured)];
        if (!entry) log.warn({ group: configured }, 'OPENID_REQUIRED_ROLE: no group has this object id');
        groups.push({ configured, id: configured.toLowerCase(), name: entry?.name ?? configured });
        continue;
      }
      const found = await groupsNamed(deps.graph, accessToken, configured);
      if (found.length === 1) {
        groups.push({ configured, id: found[0]!.id, name: found[0]!.name });
      } else if (found.length > 1) {
        problems.push(
          `${JSON.stringify(configured)} is the display name of ${found.length === 10 ? '10 or more' : found.length} groups: ${found.map(describe).join('; ')}. Write the Object ID of the one you mean instead of the name.`,
        );
      } else {
        const prefix = configured.split(/\s+/)[0]!.slice(0, 20);
        const similar = await groupsNamedLike(deps.graph, accessToken, prefix);
        problems.push(
          `no group is named ${JSON.stringify(configured)}${
            similar.length > 0
              ? `; groups whose names start with ${JSON.stringify(prefix)}: ${similar.map(describe).join('; ')}`
              : ''
          }. Correct the name (as shown in the Entra admin center) or write the group's Object ID.`,
        );
      }
    }
    if (problems.length > 0) throw new RequiredGroupsError(problems);
    log.info(
      { groups: groups.map(({ name, id }) => ({ name, id })) },
      'required groups resolved through Microsoft Graph',
    );
    return groups;
  }

  return {
    resolve() {
      if (names.size === 0) return Promise.resolve([]);
      if (!resolved) {
        resolved = resolveAll();
        // An outage is tried again by the next caller; a wrong name stays wrong until a restart.
        resolved.catch((err: unknown) => {
          if (!(err instanceof RequiredGroupsError)) resolved = undefined;
        });
      }
      return resolved;
    },
  };
}

/** `Support (id …, "Support engineers, the Americas", support-americas@…)`: enough to pick one. */
function describe(group: NamedGroup): string {
  const details = [
    `id ${group.id}`,
    ...(group.description ? [JSON.stringify(group.description.slice(0, 80))] : []),
    ...(group.mail ? [group.mail] : []),
  ];
  return `${group.name} (${details.join(', ')})`;
}
