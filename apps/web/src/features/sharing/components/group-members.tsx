import type { PrincipalSource } from '@gatehouse/contracts';
import { RetryAlert } from '../../../components/ui/alert';
import { Badge } from '../../../components/ui/badge';
import { Button } from '../../../components/ui/button';
import { Spinner } from '../../../components/ui/spinner';
import { useGroupMembers } from '../api/get-group-members';
import { principalKey } from '../share-draft';
import { PrincipalAvatar } from './principal-avatar';

/** "Who is in this group": the members page by page, with "Load more" while the BFF has more. */
export function GroupMembers({
  group,
  id,
}: {
  group: { source: PrincipalSource; id: string; name: string };
  id: string;
}) {
  const members = useGroupMembers(group);
  if (members.status === 'pending') {
    return (
      <div id={id} className="gh-members">
        <Spinner size="sm" label={`Loading the members of ${group.name}…`} />
      </div>
    );
  }
  if (!members.data) {
    return (
      <div id={id} className="gh-members">
        <RetryAlert title={`We couldn't list the members of ${group.name}`} onRetry={() => members.refetch()}>
          {members.error?.message}
        </RetryAlert>
      </div>
    );
  }
  const people = members.data.pages.flatMap((page) => page.members);
  return (
    <div id={id} className="gh-members">
      {people.length === 0 ? (
        <p className="gh-muted">This group has no members.</p>
      ) : (
        <ul className="gh-members__list" aria-label={`Members of ${group.name}`}>
          {people.map((member) => (
            <li key={principalKey(member)} className="gh-members__item">
              <PrincipalAvatar principal={member} name={member.name} withPhoto={false} />
              <span className="gh-members__name" title={member.name}>
                {member.name}
              </span>
              {member.email ? (
                <span className="gh-members__email" title={member.email}>
                  {member.email}
                </span>
              ) : null}
              {member.relation === 'owner' ? <Badge>Group owner</Badge> : null}
            </li>
          ))}
        </ul>
      )}
      {members.hasNextPage ? (
        <Button
          variant="ghost"
          onClick={() => members.fetchNextPage()}
          isLoading={members.isFetchingNextPage}
        >
          Load more members
        </Button>
      ) : null}
      {members.isFetchNextPageError ? (
        <p className="gh-field__error" role="alert">
          More members couldn't be loaded: {members.error?.message}
        </p>
      ) : null}
    </div>
  );
}
