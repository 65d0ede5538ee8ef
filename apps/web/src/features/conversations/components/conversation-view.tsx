import type { Conversation } from '@gatehouse/contracts';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { Alert, RetryAlert } from '../../../components/ui/alert';
import { Badge } from '../../../components/ui/badge';
import { buttonClassName } from '../../../components/ui/button';
import { LoadMore } from '../../../components/ui/load-more';
import { Skeleton } from '../../../components/ui/skeleton';
import { Spinner } from '../../../components/ui/spinner';
import { paths } from '../../../config/paths';
import { shareRoleText } from '../../../lib/share-roles';
import { useConversation } from '../api/get-conversation';
import { DeleteConversationButton } from './delete-conversation-button';
import { MessageComposer } from './message-composer';
import { MessageList } from './message-list';
import './conversations.css';

export type ConversationViewProps = {
  conversationId: string;
  /** Extra header actions for this conversation (the route adds sharing), given the loaded conversation. */
  actions?: (conversation: Conversation) => ReactNode;
  /** Sections under the thread (the route adds attachments), given the loaded conversation. */
  below?: (conversation: Conversation) => ReactNode;
};

function BackLink() {
  return (
    <Link to={paths.conversations.getHref()} className="gh-back-link">
      ← All conversations
    </Link>
  );
}

/** A conversation: title and the caller's role, its messages, and a composer for editors and owners. */
export function ConversationView({ conversationId, actions, below }: ConversationViewProps) {
  const conversation = useConversation(conversationId);

  if (conversation.status === 'pending') {
    return (
      <div className="gh-conv" aria-busy="true">
        <span className="gh-visually-hidden">
          <Spinner size="sm" label="Loading the conversation…" />
        </span>
        <Skeleton width="md" height="lg" />
        <Skeleton width="lg" />
        <Skeleton width="sm" />
      </div>
    );
  }

  // A failed first page; a failed page of earlier messages keeps the thread and says so in it.
  if (!conversation.data) {
    const error = conversation.error!;
    const missing = error.code === 'not_found' || error.code === 'forbidden';
    return (
      <div className="gh-conv">
        <title>Conversation · Gatehouse</title>
        <BackLink />
        <h1 className="gh-conv__title">Conversation</h1>
        {missing ? (
          <Alert
            variant="warning"
            title="This conversation isn't available"
            actions={
              <Link to={paths.conversations.getHref()} className={buttonClassName('secondary')}>
                Back to your conversations
              </Link>
            }
          >
            It may have been deleted, or it isn't shared with you (or with a group you are in). Ask its owner
            to share it with you.
          </Alert>
        ) : (
          <RetryAlert title="We couldn't load this conversation" onRetry={() => conversation.refetch()}>
            {error.message}
          </RetryAlert>
        )}
      </div>
    );
  }

  const { data } = conversation;
  const canPost = data.role !== 'viewer';
  return (
    <div className="gh-conv">
      <title>{`${data.title} · Gatehouse`}</title>
      <BackLink />
      <header className="gh-conv__header">
        <div className="gh-conv__heading">
          <h1 className="gh-conv__title">{data.title}</h1>
          <Badge
            variant={data.role === 'viewer' ? 'neutral' : 'primary'}
            title={shareRoleText[data.role].can}
          >
            You’re {data.role === 'owner' ? 'an' : 'a'} {shareRoleText[data.role].label.toLowerCase()}
          </Badge>
        </div>
        <div className="gh-conv__actions">
          {actions?.(data)}
          {data.role === 'owner' ? (
            <DeleteConversationButton conversationId={data.id} title={data.title} />
          ) : null}
        </div>
      </header>
      <section className="gh-card gh-conv__thread" aria-label="Conversation">
        <LoadMore
          query={conversation}
          label="Show earlier messages"
          errorTitle="We couldn't load earlier messages"
          variant="ghost"
        />
        <MessageList
          messages={data.messages}
          emptyText={canPost ? 'No messages yet. Write the first one below.' : 'No messages yet.'}
        />
        {canPost ? (
          <MessageComposer conversationId={data.id} />
        ) : (
          <Alert variant="info" title="You can read this conversation">
            Viewers can't post. If you need to, ask the owner to make you an editor.
          </Alert>
        )}
      </section>
      {below?.(data)}
    </div>
  );
}
