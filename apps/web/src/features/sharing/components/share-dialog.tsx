import { useMsal } from '@azure/msal-react';
import type { Grant } from '@gatehouse/contracts';
import { useEffect, useId, useReducer, useRef, useState } from 'react';
import { Alert, RetryAlert } from '../../../components/ui/alert';
import { Button } from '../../../components/ui/button';
import { ConfirmDialog } from '../../../components/ui/confirm-dialog';
import { Dialog } from '../../../components/ui/dialog';
import { Skeleton } from '../../../components/ui/skeleton';
import { Spinner } from '../../../components/ui/spinner';
import type { ApiError } from '../../../lib/api-client';
import { usePermissions } from '../api/get-permissions';
import { useSavePermissions } from '../api/put-permissions';
import {
  emptyDraft,
  hasChanges,
  isInDraft,
  principalKey,
  shareDraftReducer,
  toPutRequest,
} from '../share-draft';
import { GrantRow } from './grant-row';
import { PeoplePicker } from './people-picker';
import { RoleSelect } from './role-select';
import '../sharing.css';

export type ShareDialogProps = {
  conversationId: string;
  title: string;
  /** From `GET /api/config`: false hides the search (the operator turned people search off). */
  peopleSearch: boolean;
  onClose: () => void;
};

/** What a failed save means for the owner, in words; the BFF's codes are contract, its messages are not. */
export function saveErrorText(error: ApiError): string {
  switch (error.code) {
    case 'last_owner':
      return 'A conversation needs at least one owner. Make someone an owner (it can be you) before you save.';
    case 'unknown_principal':
      return "One of the people or groups you added isn't in your organisation's directory any more. Remove it and save again.";
    case 'forbidden':
      return "Only owners can change who has access, and you aren't an owner of this conversation any more.";
    case 'not_found':
      return "This conversation doesn't exist any more, or you no longer have access to it.";
    case 'network_error':
      return "Gatehouse couldn't be reached. Your changes are still here: try saving again.";
    case 'invalid_request':
      return `The server didn't accept the change: ${error.message}`;
    default:
      return `Sharing wasn't saved: ${error.message}`;
  }
}

function accessSummary(grants: Grant[]): string {
  const count = grants.length;
  return `${count} ${count === 1 ? 'person or group has' : 'people and groups have'} access.`;
}

/** The share dialog (lazy, owners only): pick people and groups, set roles, edit the current grants, save. */
export default function ShareDialog({ conversationId, title, peopleSearch, onClose }: ShareDialogProps) {
  const permissions = usePermissions(conversationId);
  const save = useSavePermissions(conversationId);
  const [draft, dispatch] = useReducer(shareDraftReducer, emptyDraft);
  const [savedMessage, setSavedMessage] = useState<string | null>(null);
  const { accounts } = useMsal();
  const myId = accounts[0]?.localAccountId;
  const pendingRoleId = useId();
  const searchRef = useRef<HTMLInputElement>(null);
  // Save is disabled while it runs and after it succeeds, and a disabled button loses the focus: put
  // it somewhere useful, or a keyboard user is left on <body> (where Escape no longer closes the dialog).
  const closeRef = useRef<HTMLButtonElement>(null);
  const saveRef = useRef<HTMLButtonElement>(null);
  const grantsHeadingId = useId();

  // The draft starts from (and after a save, returns to) what the server says.
  useEffect(() => {
    if (permissions.data) dispatch({ type: 'load', grants: permissions.data.grants });
  }, [permissions.data]);

  const saved = permissions.data?.grants ?? [];
  const dirty = permissions.isSuccess && hasChanges(draft, saved);
  const edited = (action: Parameters<typeof dispatch>[0]) => {
    setSavedMessage(null);
    save.reset();
    dispatch(action);
  };
  // Closing with unsaved picks or edits asks first: three Escapes should not silently lose them.
  const [confirmingDiscard, setConfirmingDiscard] = useState(false);
  const requestClose = () => (dirty ? setConfirmingDiscard(true) : onClose());
  const onSave = () =>
    save.mutate(toPutRequest(draft), {
      onSuccess: (result) => {
        setSavedMessage(`Sharing saved. ${accessSummary(result.grants)}`);
        requestAnimationFrame(() => closeRef.current?.focus());
      },
      onError: () => requestAnimationFrame(() => saveRef.current?.focus()),
    });

  return (
    <Dialog
      size="lg"
      title={`Share “${title}”`}
      description="People and groups you add can open this conversation. Viewers read, editors also post, owners also share and delete."
      onClose={requestClose}
      initialFocusRef={peopleSearch ? searchRef : undefined}
      footer={
        <>
          <div className="gh-share__result">
            {save.isError ? (
              <Alert variant="error" live="alert" title="Sharing wasn't saved">
                {saveErrorText(save.error)}
              </Alert>
            ) : null}
            <div role="status">{savedMessage ? <Alert variant="success" title={savedMessage} /> : null}</div>
          </div>
          <Button ref={closeRef} variant="secondary" onClick={requestClose}>
            {dirty ? 'Cancel' : 'Close'}
          </Button>
          <Button ref={saveRef} onClick={onSave} isLoading={save.isPending} disabled={!dirty}>
            Save
          </Button>
        </>
      }
    >
      {peopleSearch ? (
        <div className="gh-share__add">
          <PeoplePicker
            inputRef={searchRef}
            picked={draft.pending}
            onPick={(principal) => edited({ type: 'add', principal })}
            onUnpick={(principal) => edited({ type: 'remove-pending', principal })}
            statusOf={(principal) => {
              const status = isInDraft(draft, principal);
              return status === 'granted'
                ? 'already has access'
                : status === 'pending'
                  ? 'is already added'
                  : null;
            }}
          />
          {draft.pending.length > 0 ? (
            <div className="gh-share__pending-role">
              <label htmlFor={pendingRoleId} className="gh-field__label">
                Give them
              </label>
              <RoleSelect
                id={pendingRoleId}
                value={draft.pendingRole}
                onChange={(role) => edited({ type: 'set-pending-role', role })}
                label="Role for the people and groups you add"
              />
            </div>
          ) : null}
        </div>
      ) : (
        <Alert variant="info" title="People search is turned off">
          This Gatehouse server doesn't search your organisation's directory, so you can't add people here. An
          operator can turn it on with <code>USE_ENTRA_ID_FOR_PEOPLE_SEARCH=true</code>. You can still change
          or remove the access below.
        </Alert>
      )}

      <section className="gh-share__grants" aria-labelledby={grantsHeadingId}>
        <h3 id={grantsHeadingId} className="gh-share__heading">
          People with access
        </h3>
        {permissions.status === 'pending' ? (
          <div className="gh-share__loading" aria-busy="true">
            <span className="gh-visually-hidden">
              <Spinner size="sm" label="Loading who has access…" />
            </span>
            <Skeleton width="lg" height="lg" />
            <Skeleton width="md" height="lg" />
          </div>
        ) : permissions.status === 'error' ? (
          <RetryAlert title="We couldn't load who has access" onRetry={() => permissions.refetch()}>
            {saveErrorText(permissions.error)}
          </RetryAlert>
        ) : draft.grants.length === 0 ? (
          <p className="gh-muted">Nobody has access yet. Keep at least one owner before you save.</p>
        ) : (
          <ul className="gh-share__grant-list">
            {draft.grants.map((grant) => (
              <GrantRow
                key={principalKey(grant.principal)}
                grant={grant}
                isYou={grant.principal.type === 'user' && grant.principal.id === myId}
                onRoleChange={(role) => edited({ type: 'set-role', principal: grant.principal, role })}
                onRemove={() => edited({ type: 'remove', principal: grant.principal })}
              />
            ))}
          </ul>
        )}
      </section>
      {confirmingDiscard ? (
        <ConfirmDialog
          title="Discard your changes?"
          confirmLabel="Discard changes"
          onConfirm={onClose}
          onCancel={() => setConfirmingDiscard(false)}
        >
          Who has access stays as it was. The people and roles you changed here are not saved.
        </ConfirmDialog>
      ) : null}
    </Dialog>
  );
}
