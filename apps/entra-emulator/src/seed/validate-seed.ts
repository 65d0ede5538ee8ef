import { X509Certificate } from 'node:crypto';
import { DRIVE_ID_PATTERN, DRIVE_ITEM_ID_PATTERN } from '../drives/drive-ids';
import { GUID_PATTERN } from '../util/ids';
import type { Seed, SeedGroup } from './types';

/** Refuses a seed that would make the emulator misbehave later, naming the object and what to fix. */
export function validateSeed(seed: Seed): void {
  const problems: string[] = [];
  if (!GUID_PATTERN.test(seed.tenant.id)) problems.push(`tenant.id "${seed.tenant.id}" must be a GUID.`);
  const ids = new Map<string, string>();
  const claim = (id: string, what: string) => {
    if (!GUID_PATTERN.test(id)) problems.push(`${what} has id "${id}", which is not a GUID.`);
    const previous = ids.get(id.toLowerCase());
    if (previous) problems.push(`${what} reuses the id ${id} of ${previous}; object ids must be unique.`);
    ids.set(id.toLowerCase(), what);
  };
  const upns = new Set<string>();
  for (const user of seed.users) {
    claim(user.id, `user ${user.userPrincipalName}`);
    const upn = user.userPrincipalName.toLowerCase();
    if (upns.has(upn)) problems.push(`Two users have the userPrincipalName ${user.userPrincipalName}.`);
    upns.add(upn);
    if (!user.password) problems.push(`user ${user.userPrincipalName} needs a password.`);
  }
  for (const group of seed.groups) claim(group.id, `group ${group.displayName}`);
  problems.push(...otherTenantProblems(seed, claim, upns));
  problems.push(...groupProblems(seed, seed.groups, ids));
  for (const other of seed.otherTenants ?? []) problems.push(...groupProblems(other, other.groups, ids));
  for (const app of seed.applications) {
    if (!GUID_PATTERN.test(app.clientId))
      problems.push(`application ${app.displayName} has clientId "${app.clientId}", which is not a GUID.`);
    for (const uri of app.redirectUris) {
      if (!URL.canParse(uri))
        problems.push(
          `application ${app.displayName} has redirect URI "${uri}", which is not an absolute URL.`,
        );
    }
    (app.certificates ?? []).forEach((pem, index) => {
      if (!canParseCertificate(pem))
        problems.push(
          `application ${app.displayName} has certificate ${index + 1}, which is not a PEM certificate.`,
        );
    });
    for (const [secret, endDate] of Object.entries(app.secretEndDates ?? {})) {
      if (!app.secrets.includes(secret))
        problems.push(`application ${app.displayName} has an end date for a secret it does not hold.`);
      if (Number.isNaN(Date.parse(endDate)))
        problems.push(
          `application ${app.displayName} has secret end date "${endDate}", which is not a date.`,
        );
    }
    const roles = new Set(app.appRoles.map((r) => r.value));
    for (const assignment of app.appRoleAssignments) {
      if (!roles.has(assignment.role)) {
        problems.push(
          `application ${app.displayName} assigns role "${assignment.role}", which is not one of its appRoles.`,
        );
      }
      if (!ids.has(assignment.principalId.toLowerCase())) {
        problems.push(
          `application ${app.displayName} assigns a role to ${assignment.principalId}, which is not a user or group id.`,
        );
      }
    }
  }
  problems.push(...sharePointProblems(seed, ids));
  if (problems.length > 0) {
    throw new TypeError(`The emulator seed is invalid:\n- ${problems.join('\n- ')}`);
  }
}

/** Members and owners are objects of the same directory (a group never reaches into another tenant). */
function groupProblems(
  directory: Pick<Seed, 'users' | 'groups'>,
  groups: readonly SeedGroup[],
  principals: Map<string, string>,
): string[] {
  const problems: string[] = [];
  const local = new Set([...directory.users, ...directory.groups].map((o) => o.id.toLowerCase()));
  for (const group of groups) {
    for (const member of group.members) {
      if (!principals.has(member.toLowerCase()))
        problems.push(`group ${group.displayName} lists member ${member}, which is not a user or group id.`);
      else if (!local.has(member.toLowerCase()))
        problems.push(`group ${group.displayName} lists member ${member}, which belongs to another tenant.`);
    }
    for (const owner of group.owners) {
      if (!directory.users.some((u) => u.id.toLowerCase() === owner.toLowerCase())) {
        problems.push(
          `group ${group.displayName} lists owner ${owner}, which is not a user id of its tenant.`,
        );
      }
    }
  }
  return problems;
}

/** Other tenants: their own GUID and aliases, users and groups with ids and UPNs unique across the seed. */
function otherTenantProblems(
  seed: Seed,
  claim: (id: string, what: string) => void,
  upns: Set<string>,
): string[] {
  const problems: string[] = [];
  const tenantNames = new Set([seed.tenant.id, ...seed.tenant.aliases].map((n) => n.toLowerCase()));
  const others = seed.otherTenants ?? [];
  for (const other of others) {
    const { tenant } = other;
    if (!GUID_PATTERN.test(tenant.id))
      problems.push(`otherTenants: tenant ${tenant.displayName} has id "${tenant.id}", which is not a GUID.`);
    for (const name of [tenant.id, ...tenant.aliases]) {
      if (tenantNames.has(name.toLowerCase()))
        problems.push(`otherTenants: tenant ${tenant.displayName} reuses the tenant id or alias "${name}".`);
      tenantNames.add(name.toLowerCase());
    }
    for (const user of other.users) {
      claim(user.id, `user ${user.userPrincipalName}`);
      const upn = user.userPrincipalName.toLowerCase();
      if (upns.has(upn)) problems.push(`Two users have the userPrincipalName ${user.userPrincipalName}.`);
      upns.add(upn);
      if (!user.password) problems.push(`user ${user.userPrincipalName} needs a password.`);
    }
    for (const group of other.groups) claim(group.id, `group ${group.displayName}`);
  }
  return problems;
}

/** Sites, drives and items: ids well formed and unique, parents before children, readers that exist. */
function sharePointProblems(seed: Seed, principals: Map<string, string>): string[] {
  const problems: string[] = [];
  const sites = new Set<string>();
  const paths = new Set<string>();
  for (const site of seed.sites ?? []) {
    for (const id of [site.id, site.webId])
      if (!GUID_PATTERN.test(id)) problems.push(`site ${site.path} has id "${id}", which is not a GUID.`);
    if (sites.has(site.id.toLowerCase())) problems.push(`Two sites have the id ${site.id}.`);
    if (paths.has(site.path.toLowerCase())) problems.push(`Two sites have the path ${site.path}.`);
    if (!site.path.startsWith('/'))
      problems.push(`site ${site.displayName} has path "${site.path}", which must start with "/".`);
    sites.add(site.id.toLowerCase());
    paths.add(site.path.toLowerCase());
    if (site.groupId && !principals.has(site.groupId.toLowerCase()))
      problems.push(`site ${site.path} belongs to group ${site.groupId}, which is not in the seed.`);
    if (site.ownerId && !principals.has(site.ownerId.toLowerCase()))
      problems.push(`site ${site.path} belongs to user ${site.ownerId}, which is not in the seed.`);
  }
  const driveIds = new Set<string>();
  const itemIds = new Set<string>();
  for (const drive of seed.drives ?? []) {
    if (!DRIVE_ID_PATTERN.test(drive.id))
      problems.push(`drive "${drive.id}" is not shaped like a drive id (b! and 64 base64url characters).`);
    if (driveIds.has(drive.id)) problems.push(`Two drives have the id ${drive.id}.`);
    driveIds.add(drive.id);
    if (!sites.has(drive.siteId.toLowerCase()))
      problems.push(`drive ${drive.id} belongs to site ${drive.siteId}, which is not in the seed.`);
    const folders = new Set([drive.rootId]);
    for (const id of [drive.rootId, ...drive.items.map((i) => i.id)]) {
      if (!DRIVE_ITEM_ID_PATTERN.test(id))
        problems.push(`drive item "${id}" is not shaped like an item id (01 and 32 base32 characters).`);
      if (itemIds.has(id)) problems.push(`Two drive items have the id ${id}.`);
      itemIds.add(id);
    }
    for (const item of drive.items) {
      if (item.parentId && !folders.has(item.parentId))
        problems.push(
          `drive item ${item.name} (${item.id}) is in ${item.parentId}, which is not a folder listed before it in its drive.`,
        );
      if (!item.content) folders.add(item.id);
      for (const reader of item.readers ?? [])
        if (!principals.has(reader.toLowerCase()))
          problems.push(`drive item ${item.name} lists reader ${reader}, which is not a user or group id.`);
    }
  }
  return problems;
}

function canParseCertificate(pem: string): boolean {
  try {
    new X509Certificate(pem);
    return true;
  } catch {
    return false;
  }
}
