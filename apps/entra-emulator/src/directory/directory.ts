import type { Seed, SeedApplication, SeedGroup, SeedTenant, SeedUser } from '../seed/types';

/**
 * The live directory: the seed plus the changes tests make through the control API (group membership,
 * app-role assignments). `reset()` returns to the seed.
 *
 * Tenants: `tenant` is the home tenant (the app registrations'), and `users()`/`groups()` list its
 * objects. Lookups by id (`findUser`, `members`, …) reach every tenant's objects, since tokens and
 * sessions name users by id; `inTenant(tid)` is one organisation's view, for what its people may see
 * (Graph).
 */
export interface Directory {
  /** The tenant this view lists (the home tenant, unless from `inTenant`). */
  readonly tenant: SeedTenant;
  /** Every tenant of the emulator, the home tenant first. */
  tenants(): readonly SeedTenant[];
  /** The tenant a URL's tenant segment names (id or alias, case-insensitive), in the whole emulator. */
  findTenant(segment: string): SeedTenant | undefined;
  /** True when a URL's tenant segment names one of the emulator's tenants. */
  isTenant(segment: string): boolean;
  /** The tenant a user or group belongs to. */
  tenantOf(objectId: string): SeedTenant | undefined;
  /** One tenant's view: its users and groups only, in lists and lookups. */
  inTenant(tenantId: string): Directory;
  /** The users of this view's tenant. */
  users(): readonly SeedUser[];
  groups(): readonly SeedGroup[];
  /** The users of every tenant (the sign-in page finds a user wherever they belong). */
  allUsers(): readonly SeedUser[];
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
  const tenants: readonly SeedTenant[] = [seed.tenant, ...(seed.otherTenants ?? []).map((t) => t.tenant)];
  const findTenant = (segment: string) => {
    const s = segment.toLowerCase();
    return tenants.find((t) => t.id.toLowerCase() === s || t.aliases.some((a) => a.toLowerCase() === s));
  };
  const tenantOf = (objectId: string) => indexes.tenantOf.get(objectId.toLowerCase());
  const views = new Map<string, Directory>();

  const changed = () => {
    indexes = buildIndexes(state);
  };
  const isUser = (o: SeedUser | SeedGroup): o is SeedUser => 'userPrincipalName' in o;

  const directory: Directory = {
    get tenant() {
      return state.tenant;
    },
    tenants: () => tenants,
    findTenant,
    isTenant: (segment) => findTenant(segment) !== undefined,
    tenantOf,
    inTenant(tenantId) {
      const tenant = findTenant(tenantId);
      if (!tenant) throw new TypeError(`The emulator has no tenant "${tenantId}".`);
      let view = views.get(tenant.id);
      if (!view) {
        view = tenantView(directory, tenant, () => indexes);
        views.set(tenant.id, view);
      }
      return view;
    },
    users: () => state.users,
    groups: () => state.groups,
    allUsers: () => indexes.allUsers,
    findUser(key) {
      const k = key.toLowerCase();
      return (
        indexes.usersById.get(k) ??
        indexes.allUsers.find(
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
        indexes.allGroups.find((g) => g.mailNickname.toLowerCase() === k || g.displayName.toLowerCase() === k)
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
      indexes.allGroups.filter((g) => g.owners.some((o) => o.toLowerCase() === userId.toLowerCase())),
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

/**
 * One tenant's view of the directory: lists and lookups hold its own objects only. Relations
 * (members, memberOf) never cross tenants (the seed is checked for that), so they are the directory's.
 */
function tenantView(
  directory: Directory,
  tenant: SeedTenant,
  indexes: () => ReturnType<typeof buildIndexes>,
): Directory {
  const own = (o: { id: string } | undefined) =>
    o !== undefined && indexes().tenantOf.get(o.id.toLowerCase())?.id === tenant.id;
  return {
    ...directory,
    tenant,
    users: () => indexes().allUsers.filter(own),
    groups: () => indexes().allGroups.filter(own),
    findUser: (key) => {
      const user = directory.findUser(key);
      return own(user) ? user : indexes().allUsers.find((u) => own(u) && matchesUser(u, key));
    },
    findGroup: (key) => {
      const group = directory.findGroup(key);
      return own(group) ? group : indexes().allGroups.find((g) => own(g) && matchesGroup(g, key));
    },
  };
}

const matchesUser = (u: SeedUser, key: string) => {
  const k = key.toLowerCase();
  return (
    u.id.toLowerCase() === k ||
    u.userPrincipalName.toLowerCase() === k ||
    u.mail?.toLowerCase() === k ||
    u.userPrincipalName.toLowerCase().split('@')[0] === k
  );
};

const matchesGroup = (g: SeedGroup, key: string) => {
  const k = key.toLowerCase();
  return g.id.toLowerCase() === k || g.mailNickname.toLowerCase() === k || g.displayName.toLowerCase() === k;
};

function buildIndexes(seed: Seed) {
  const others = seed.otherTenants ?? [];
  const allUsers = [...seed.users, ...others.flatMap((t) => t.users)];
  const allGroups = [...seed.groups, ...others.flatMap((t) => t.groups)];
  const tenantOf = new Map<string, SeedTenant>();
  for (const { tenant, users, groups } of [seed, ...others]) {
    for (const o of [...users, ...groups]) tenantOf.set(o.id.toLowerCase(), tenant);
  }
  const usersById = new Map(allUsers.map((u) => [u.id.toLowerCase(), u]));
  const groupsById = new Map(allGroups.map((g) => [g.id.toLowerCase(), g]));
  const parents = new Map<string, SeedGroup[]>();
  for (const g of allGroups) {
    for (const m of g.members) {
      const key = m.toLowerCase();
      const list = parents.get(key);
      if (list) list.push(g);
      else parents.set(key, [g]);
    }
  }
  return { usersById, groupsById, parents, allUsers, allGroups, tenantOf };
}

function clone(seed: Seed): Seed {
  return structuredClone(seed);
}
