import type { PrincipalRef } from '@gatehouse/contracts';
import { Avatar } from '../../../components/ui/avatar';
import { Badge } from '../../../components/ui/badge';
import { usePrincipalPhoto } from '../api/get-principal-photo';

/**
 * A user's photo (initials when there is none), or a group's initials on the group colour. Search
 * results pass `withPhoto={false}`: a photo request per result would cost more than the search.
 */
export function PrincipalAvatar({
  principal,
  name,
  size = 'sm',
  withPhoto = true,
}: {
  principal: PrincipalRef;
  name: string;
  size?: 'sm' | 'md';
  withPhoto?: boolean;
}) {
  const photo = usePrincipalPhoto(principal, withPhoto);
  return (
    <span
      className={
        principal.type === 'group' ? 'gh-principal-avatar gh-principal-avatar--group' : 'gh-principal-avatar'
      }
    >
      <Avatar name={name} src={photo} size={size} />
    </span>
  );
}

/** Where the principal comes from: Gatehouse's own users and groups, or the organisation's Entra directory. */
export function SourceBadge({ source }: { source: PrincipalRef['source'] }) {
  return source === 'entra' ? (
    <Badge variant="entra" title="From your organisation's Microsoft Entra directory">
      Entra
    </Badge>
  ) : (
    <Badge variant="local" title="A Gatehouse user or group">
      Local
    </Badge>
  );
}

/** "Group · 12 members", an email, or nothing. */
export function principalDetail(principal: {
  type: PrincipalRef['type'];
  email: string | null;
  memberCount?: number | undefined;
}) {
  if (principal.type === 'group') {
    if (principal.memberCount === undefined) return 'Group';
    return `Group · ${principal.memberCount} ${principal.memberCount === 1 ? 'member' : 'members'}`;
  }
  return principal.email ?? '';
}
