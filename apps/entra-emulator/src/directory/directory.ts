import type { Seed, SeedApplication, SeedGroup, SeedUser } from '../seed/types';

/**
 * The live directory: the seed plus the changes tests make through the control API (group membership,
 * app-role assignments). `reset()` returns to the seed.
 */
export interface Directory {
  readonly tenant: Seed['tenant'];
  /** True when a URL's tenant segment (id or alias, case-insensitive) names this tenant. */
  isTenant(segment: string): boolean;
  users(): readonly SeedUser[];
  groups(): readonly SeedGroup[];
  /** By id, UPN, mail or the UPN's local part ("adele"). */
  findUser(key: string): SeedUser | undefined;
  /** By id, mail nickname or display name. */
  findGroup(key: string): SeedGroup | undefined;
  findApp(clientId: string): SeedApplication | undefined;
  applications(): readonly SeedApplication[];
  /** Direct members of a group: users and groups. */
  members(groupId: string): Array<SeedUser | SeedGroup>;
  /** Members of the group and of its nested groups (each once). */
  transitiveMembers(groupId: string): Array<SeedUser | SeedGroup>;
  owners(groupId: string): SeedUser[];
  /** Groups that list the object as a direct member. */
  memberOf(objectId: string): SeedGroup[];
  /** Groups the object belongs to directly or through nesting. */
  transitiveMemberOf(objectId: string): SeedGroup[];
  ownedGroups(userId: string): SeedGroup[];
  /** App-role values the user holds in the app: direct assignments and those of groups they are a direct member of. */
  appRolesOf(app: SeedApplication, userId: string): string[];
  hasAssignment(app: SeedApplication, userId: string): boolean;
  addToGroup(groupId: string, memberId: string): void;
  removeFromGroup(groupId: string, memberId: string): void;
  addAppRole(clientId: string, principalId: string, role: string): void;
  removeAppRole(clientId: string, principalId: string, role: string): void;
  reset(): void;
}

export function createDirectory(seed: Seed): Directory {
  let state = clone(seed);
  let indexes = buildIndexes(state);

  const changed = () => {
    indexes = buildIndexes(state);
  };
  const isUser = (o: SeedUser | SeedGroup): o is SeedUser => 'userPrincipalName' in o;

  const directory: Directory = {
    get tenant() {
      return state.tenant;
    },
    isTenant(segment) {
      const s = segment.toLowerCase();
      return s === state.tenant.id.toLowerCase() || state.tenant.aliases.some((a) => a.toLowerCase() === s);
    },
    users: () => state.users,
    groups: () => state.groups,
    findUser(key) {
      const k = key.toLowerCase();
      return (
        indexes.usersById.get(k) ??
        state.users.find(
          (u) =>
            u.userPrincipalName.toLowerCase() === k ||
            u.mail?.toLowerCase() === k ||
            u.userPrincipalName.toLowerCase().split('@')[0] === k,
        )
      );
    },
    findGroup(key) {
      const k = key.toLowerCase();
      return (
        indexes.groupsById.get(k) ??
        state.groups.find((g) => g.mailNickname.toLowerCase() === k || g.displayName.toLowerCase() === k)
      );
    },
    applications: () => state.applications,
    findApp: (clientId) =>
      state.applications.find((a) => a.clientId.toLowerCase() === clientId.toLowerCase()),
    members(groupId) {
      const g = indexes.groupsById.get(groupId.toLowerCase());
      if (!g) return [];
      return g.members.flatMap((id) => {
        const o = indexes.usersById.get(id.toLowerCase()) ?? indexes.groupsById.get(id.toLowerCase());
        return o ? [o] : [];
      });
    },
    transitiveMembers(groupId) {
      const seen = new Set<string>([groupId.toLowerCase()]);
      const out: Array<SeedUser | SeedGroup> = [];
      const queue = [groupId];
      while (queue.length > 0) {
        for (const m of directory.members(queue.shift()!)) {
          if (seen.has(m.id.toLowerCase())) continue;
          seen.add(m.id.toLowerCase());
          out.push(m);
          if (!isUser(m)) queue.push(m.id);
        }
      }
      return out;
    },
    owners(groupId) {
      const g = indexes.groupsById.get(groupId.toLowerCase());
      return (g?.owners ?? []).flatMap((id) => indexes.usersById.get(id.toLowerCase()) ?? []);
    },
    memberOf: (objectId) => indexes.parents.get(objectId.toLowerCase()) ?? [],
    transitiveMemberOf(objectId) {
      const seen = new Set<string>();
      const out: SeedGroup[] = [];
      const queue = [objectId];
      while (queue.length > 0) {
        for (const g of directory.memberOf(queue.shift()!)) {
          if (seen.has(g.id)) continue;
          seen.add(g.id);
          out.push(g);
          queue.push(g.id);
        }
      }
      return out;
    },
    ownedGroups: (userId) =>
      state.groups.filter((g) => g.owners.some((o) => o.toLowerCase() === userId.toLowerCase())),
    appRolesOf(app, userId) {
      const principals = new Set([
        userId.toLowerCase(),
        ...directory.memberOf(userId).map((g) => g.id.toLowerCase()),
      ]);
      const roles = app.appRoleAssignments
        .filter((a) => principals.has(a.principalId.toLowerCase()))
        .map((a) => a.role);
      return [...new Set(roles)];
    },
    hasAssignment: (app, userId) => directory.appRolesOf(app, userId).length > 0,
    addToGroup(groupId, memberId) {
      const g = requireGroup(groupId);
      if (!g.members.some((m) => m.toLowerCase() === memberId.toLowerCase())) g.members.push(memberId);
      changed();
    },
    removeFromGroup(groupId, memberId) {
      const g = requireGroup(groupId);
      g.members = g.members.filter((m) => m.toLowerCase() !== memberId.toLowerCase());
      changed();
    },
    addAppRole(clientId, principalId, role) {
      const app = requireApp(clientId);
      if (!app.appRoles.some((r) => r.value === role)) {
        throw new TypeError(
          `App "${app.displayName}" has no app role "${role}"; its roles are ${app.appRoles.map((r) => r.value).join(', ')}.`,
        );
      }
      const exists = app.appRoleAssignments.some(
        (a) => a.role === role && a.principalId.toLowerCase() === principalId.toLowerCase(),
      );
      if (!exists) app.appRoleAssignments.push({ principalId, role });
    },
    removeAppRole(clientId, principalId, role) {
      const app = requireApp(clientId);
      app.appRoleAssignments = app.appRoleAssignments.filter(
        (a) => !(a.role === role && a.principalId.toLowerCase() === principalId.toLowerCase()),
      );
    },
    reset() {
      state = clone(seed);
      changed();
    },
  };

  function requireGroup(id: string): SeedGroup {
    const g = indexes.groupsById.get(id.toLowerCase());
    if (!g) throw new TypeError(`No group with id "${id}" in the emulator's directory.`);
    return g;
  }
  function requireApp(clientId: string): SeedApplication {
    const app = directory.findApp(clientId);
    if (!app) throw new TypeError(`No app registration with client id "${clientId}" in the emulator's seed.`);
    return app;
  }
  return directory;
}

function buildIndexes(seed: Seed) {
  const usersById = new Map(seed.users.map((u) => [u.id.toLowerCase(), u]));
  const groupsById = new Map(seed.groups.map((g) => [g.id.toLowerCase(), g]));
  const parents = new Map<string, SeedGroup[]>();
  for (const g of seed.groups) {
    for (const m of g.members) {
      const key = m.toLowerCase();
      const list = parents.get(key);
      if (list) list.push(g);
      else parents.set(key, [g]);
    }
  }
  return { usersById, groupsById, parents };
}

function clone(seed: Seed): Seed {
  return structuredClone(seed);
}
