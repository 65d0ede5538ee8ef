import { lazy, Suspense, useState } from 'react';
import { useParams } from 'react-router';
import { Button } from '../../../components/ui/button';
import { Spinner } from '../../../components/ui/spinner';
import { useConfig } from '../../../features/config/api/get-config';
import { ConversationView } from '../../../features/conversations/components/conversation-view';

// The share dialog (people picker, grants, group members) is its own chunk, fetched when an owner
// is about to open it: it never weighs on the login route, nor on a viewer's page.
const loadShareDialog = () => import('../../../features/sharing/components/share-dialog');
const ShareDialog = lazy(loadShareDialog);

function ShareButton({ conversationId, title }: { conversationId: string; title: string }) {
  const [open, setOpen] = useState(false);
  const config = useConfig();
  return (
    <>
      <Button
        variant="secondary"
        onPointerEnter={() => void loadShareDialog()}
        onFocus={() => void loadShareDialog()}
        onClick={() => setOpen(true)}
        aria-haspopup="dialog"
      >
        Share
      </Button>
      {open ? (
        <Suspense fallback={<Spinner size="sm" label="Opening the share dialog…" />}>
          <ShareDialog
            conversationId={conversationId}
            title={title}
            peopleSearch={config.data?.peopleSearch ?? false}
            onClose={() => setOpen(false)}
          />
        </Suspense>
      ) : null}
    </>
  );
}

/** `/conversations/:conversationId`: the conversation; owners can share it and delete it. */
export default function ConversationRoute() {
  const { conversationId = '' } = useParams();
  return (
    <div className="gh-page">
      <ConversationView
        key={conversationId}
        conversationId={conversationId}
        actions={(conversation) =>
          conversation.role === 'owner' ? (
            <ShareButton conversationId={conversation.id} title={conversation.title} />
          ) : null
        }
      />
    </div>
  );
}
