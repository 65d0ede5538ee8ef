import { GUID_PATTERN } from '../util/ids';
import type { Seed } from './types';

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
  for (const group of seed.groups) {
    for (const member of group.members) {
      if (!ids.has(member.toLowerCase()))
        problems.push(`group ${group.displayName} lists member ${member}, which is not a user or group id.`);
    }
    for (const owner of group.owners) {
      if (!seed.users.some((u) => u.id.toLowerCase() === owner.toLowerCase())) {
        problems.push(`group ${group.displayName} lists owner ${owner}, which is not a user id.`);
      }
    }
  }
  for (const app of seed.applications) {
    if (!GUID_PATTERN.test(app.clientId))
      problems.push(`application ${app.displayName} has clientId "${app.clientId}", which is not a GUID.`);
    for (const uri of app.redirectUris) {
      if (!URL.canParse(uri))
        problems.push(
          `application ${app.displayName} has redirect URI "${uri}", which is not an absolute URL.`,
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
  if (problems.length > 0) {
    throw new TypeError(`The emulator seed is invalid:\n- ${problems.join('\n- ')}`);
  }
}
