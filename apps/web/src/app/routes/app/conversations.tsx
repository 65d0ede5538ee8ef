import type { ConversationFilter } from '@gatehouse/contracts';
import { Link, useLocation, useSearchParams } from 'react-router';
import { Alert } from '../../../components/ui/alert';
import { Card } from '../../../components/ui/card';
import { paths } from '../../../config/paths';
import { ConversationList } from '../../../features/conversations/components/conversation-list';
import { CreateConversationForm } from '../../../features/conversations/components/create-conversation-form';

const filters: Array<{ filter: ConversationFilter; label: string }> = [
  { filter: 'mine', label: 'Mine' },
  { filter: 'shared', label: 'Shared with me' },
];

/** What a page that navigated here wants said once (a deleted conversation). */
function noticeOf(state: unknown): string | null {
  if (typeof state !== 'object' || state === null || !('notice' in state)) return null;
  return typeof state.notice === 'string' ? state.notice : null;
}

/** `/conversations[?filter=shared]`: start a conversation; the user's own, or those shared with them. */
export default function ConversationsRoute() {
  const [params] = useSearchParams();
  const filter: ConversationFilter = params.get('filter') === 'shared' ? 'shared' : 'mine';
  const notice = noticeOf(useLocation().state);
  const current = filters.find((item) => item.filter === filter) ?? filters[0];
  return (
    <div className="gh-page">
      <title>Conversations · Gatehouse</title>
      <div className="gh-page__intro">
        <h1>Conversations</h1>
        <p className="gh-page__lead">Yours, and the ones colleagues and groups have shared with you.</p>
      </div>
      {notice ? (
        <Alert variant="success" live="status">
          {notice}
        </Alert>
      ) : null}
      <Card>
        <CreateConversationForm />
      </Card>
      <Card
        title={current?.label}
        titleId="conversation-list-title"
        actions={
          <nav aria-label="Which conversations" className="gh-segmented">
            {filters.map((item) => (
              <Link
                key={item.filter}
                to={paths.conversations.getHref(item.filter === 'shared' ? 'shared' : undefined)}
                className="gh-segmented__item"
                aria-current={item.filter === filter ? 'page' : undefined}
              >
                {item.label}
              </Link>
            ))}
          </nav>
        }
      >
        <ConversationList key={filter} filter={filter} label={current?.label ?? ''} />
      </Card>
    </div>
  );
}
