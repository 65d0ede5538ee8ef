import type { ConversationFilter, ConversationSummary } from '@gatehouse/contracts';
import { Link } from 'react-router';
import { RetryAlert } from '../../../components/ui/alert';
import { Badge } from '../../../components/ui/badge';
import { EmptyState } from '../../../components/ui/empty-state';
import { LoadMore } from '../../../components/ui/load-more';
import { Skeleton } from '../../../components/ui/skeleton';
import { Spinner } from '../../../components/ui/spinner';
import { paths } from '../../../config/paths';
import { formatFromNow } from '../../../lib/format-time';
import { shareRoleText } from '../../../lib/share-roles';
import { useConversations } from '../api/get-conversations';
import './conversations.css';

const emptyText: Record<ConversationFilter, { title: string; text: string }> = {
  mine: {
    title: 'No conversations yet',
    text: 'Start one and share it with colleagues or a whole group from your organisation’s directory.',
  },
  shared: {
    title: 'Nothing shared with you yet',
    text: 'When a colleague shares a conversation with you or with one of your groups, it appears here.',
  },
};

function ConversationRow({
  conversation,
  filter,
}: {
  conversation: ConversationSummary;
  filter: ConversationFilter;
}) {
  return (
    <li className="gh-conv-list__item">
      <Link className="gh-conv-list__link" to={paths.conversation.getHref(conversation.id)}>
        <span className="gh-conv-list__title">{conversation.title}</span>
        <span className="gh-conv-list__meta">
          {filter === 'shared' ? <>From {conversation.owner.name} · </> : null}
          Updated {formatFromNow(conversation.updatedAt)}
        </span>
      </Link>
      {filter === 'shared' ? (
        <Badge variant={conversation.role === 'viewer' ? 'neutral' : 'primary'}>
          {shareRoleText[conversation.role].label}
        </Badge>
      ) : null}
    </li>
  );
}

/** One of the two lists (mine, shared with me), with its loading, error and empty states. */
export function ConversationList({ filter, label }: { filter: ConversationFilter; label: string }) {
  const conversations = useConversations(filter);

  if (conversations.status === 'pending') {
    return (
      <div className="gh-conv-list__loading" aria-busy="true">
        <span className="gh-visually-hidden">
          <Spinner size="sm" label="Loading conversations…" />
        </span>
        {[0, 1, 2].map((row) => (
          <div key={row} className="gh-conv-list__skeleton">
            <Skeleton width="md" />
            <Skeleton width="sm" height="sm" />
          </div>
        ))}
      </div>
    );
  }

  // A failed first page; a failed later page keeps the list and says so under it.
  if (!conversations.data) {
    return (
      <RetryAlert title="We couldn't load your conversations" onRetry={() => conversations.refetch()}>
        {conversations.error?.message}
      </RetryAlert>
    );
  }

  const items = conversations.data.pages.flatMap((page) => page.conversations);
  if (items.length === 0) {
    return <EmptyState title={emptyText[filter].title}>{emptyText[filter].text}</EmptyState>;
  }
  return (
    <>
      <ul className="gh-conv-list" aria-label={label}>
        {items.map((conversation) => (
          <ConversationRow key={conversation.id} conversation={conversation} filter={filter} />
        ))}
      </ul>
      <LoadMore query={conversations} label="Show more" errorTitle="We couldn't load more conversations" />
    </>
  );
}
