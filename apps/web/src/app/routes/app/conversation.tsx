import { useRef, useState } from 'react';
import { useParams } from 'react-router';
import { Alert } from '../../../components/ui/alert';
import { Button } from '../../../components/ui/button';
import { Spinner } from '../../../components/ui/spinner';
import { ConversationAttachments } from '../../../features/attachments/components/conversation-attachments';
import { useConfig } from '../../../features/config/api/get-config';
import { ConversationView } from '../../../features/conversations/components/conversation-view';

type ShareDialogComponent = typeof import('../../../features/sharing/components/share-dialog')['default'];

// The share dialog (people picker, grants, group members) is its own chunk, fetched when an owner
// is about to open it: it never weighs on the login route, nor on a viewer's page. Not React.lazy:
// lazy keeps a failed import forever, and a chunk that failed (network, a deploy) deserves a retry
// beside the Share button rather than the app-wide error page.
let shareDialogChunk: Promise<ShareDialogComponent> | null = null;
function loadShareDialog(): Promise<ShareDialogComponent> {
  shareDialogChunk ??= import('../../../features/sharing/components/share-dialog').then(
    (module) => module.default,
    (error: unknown) => {
      shareDialogChunk = null;
      throw error;
    },
  );
  return shareDialogChunk;
}
const prefetchShareDialog = () => void loadShareDialog().catch(() => undefined);

type DialogState =
  | { status: 'closed' | 'loading' | 'failed' }
  | { status: 'open'; ShareDialog: ShareDialogComponent };

function ShareButton({ conversationId, title }: { conversationId: string; title: string }) {
  const [state, setState] = useState<DialogState>({ status: 'closed' });
  const buttonRef = useRef<HTMLButtonElement>(null);
  const config = useConfig();
  const open = () => {
    setState({ status: 'loading' });
    loadShareDialog().then(
      (ShareDialog) => setState({ status: 'open', ShareDialog }),
      () => setState({ status: 'failed' }),
    );
  };
  return (
    <>
      <Button
        ref={buttonRef}
        variant="secondary"
        onPointerEnter={prefetchShareDialog}
        onFocus={prefetchShareDialog}
        onClick={open}
        aria-haspopup="dialog"
      >
        Share
      </Button>
      {state.status === 'loading' ? <Spinner size="sm" label="Opening the share dialog…" /> : null}
      {state.status === 'failed' ? (
        <div className="gh-conv__action-error">
          <Alert
            variant="error"
            live="alert"
            title="The share dialog didn't load"
            actions={
              <>
                <Button
                  variant="secondary"
                  onClick={() => {
                    // The alert goes away with this button in it: the focus goes back to Share.
                    buttonRef.current?.focus();
                    open();
                  }}
                >
                  Try again
                </Button>
                <Button variant="ghost" onClick={() => window.location.reload()}>
                  Reload the page
                </Button>
              </>
            }
          >
            Check your connection and try again. If Gatehouse was just updated, reloading the page fixes it.
          </Alert>
        </div>
      ) : null}
      {state.status === 'open' ? (
        <state.ShareDialog
          conversationId={conversationId}
          title={title}
          peopleSearch={config.data?.peopleSearch ?? false}
          onClose={() => setState({ status: 'closed' })}
        />
      ) : null}
    </>
  );
}

/** `/conversations/:conversationId`: the conversation; owners can share it and delete it. */
export default function ConversationRoute() {
  const { conversationId = '' } = useParams();
  const config = useConfig();
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
        below={(conversation) => (
          <ConversationAttachments
            conversationId={conversation.id}
            role={conversation.role}
            config={config.data}
          />
        )}
      />
    </div>
  );
}
