// Delegated permissions that allow each kind of read (any one of them is enough).

export const USER_READ_ALL = [
  'User.ReadBasic.All',
  'User.Read.All',
  'User.ReadWrite.All',
  'Directory.Read.All',
  'Directory.ReadWrite.All',
  'Directory.AccessAsUser.All',
];
export const SELF_READ = ['User.Read', 'User.ReadWrite', ...USER_READ_ALL];
export const GROUP_READ = [
  'GroupMember.Read.All',
  'Group.Read.All',
  'Group.ReadWrite.All',
  'Directory.Read.All',
  'Directory.ReadWrite.All',
  'Directory.AccessAsUser.All',
];
export const PEOPLE_READ = ['People.Read', 'People.Read.All'];

/** Reading a user: oneself with `User.Read`, anyone else with a directory-wide permission. */
export function userReadScopes(self: boolean): readonly string[] {
  return self ? SELF_READ : USER_READ_ALL;
}

/** Reading a user's groups (`memberOf`, `getMemberGroups`, …). */
export function membershipReadScopes(self: boolean, listing: boolean): readonly string[] {
  if (self) return [...SELF_READ, ...GROUP_READ];
  return listing ? [...GROUP_READ, 'User.Read.All'] : GROUP_READ;
}
