import { useState } from 'react';
import { useNavigate } from 'react-router';
import { Button } from '../../../components/ui/button';
import { ConfirmDialog } from '../../../components/ui/confirm-dialog';
import { paths } from '../../../config/paths';
import { useDeleteConversation } from '../api/delete-conversation';

/** Owners only: delete after a confirmation, then back to the list, which says what happened. */
export function DeleteConversationButton({
  conversationId,
  title,
}: {
  conversationId: string;
  title: string;
}) {
  const [confirming, setConfirming] = useState(false);
  const remove = useDeleteConversation(conversationId);
  const navigate = useNavigate();
  return (
    <>
      <Button variant="danger" onClick={() => setConfirming(true)}>
        Delete
      </Button>
      {confirming ? (
        <ConfirmDialog
          title={`Delete “${title}”?`}
          confirmLabel="Delete conversation"
          isPending={remove.isPending}
          error={remove.isError ? `It wasn't deleted: ${remove.error.message}` : undefined}
          onCancel={() => {
            remove.reset();
            setConfirming(false);
          }}
          onConfirm={() =>
            remove.mutate(undefined, {
              onSuccess: () =>
                navigate(paths.conversations.getHref(), { state: { notice: `“${title}” was deleted.` } }),
            })
          }
        >
          Its messages are deleted too, and everyone it is shared with loses it. This can't be undone.
        </ConfirmDialog>
      ) : null}
    </>
  );
}
