import { useMsal } from '@azure/msal-react';
import type { DriveItemRef, PublicConfig, ShareRole } from '@gatehouse/contracts';
import { useRef, useState } from 'react';
import { Alert, RetryAlert } from '../../../components/ui/alert';
import { Spinner } from '../../../components/ui/spinner';
import type { EventSourceFactory } from '../job-watch';
import { startErrorText, useAttachmentJobs } from '../use-attachment-jobs';
import { AttachMenu } from './attach-menu';
import { AttachmentList } from './attachment-list';
import { AttachmentProgress } from './attachment-progress';
import '../attachments.css';

type PickerDialogComponent = typeof import('./sharepoint-picker-dialog')['default'];

// The picker host (protocol, iframe, form) is its own chunk, fetched when an editor is about to open
// it. Not React.lazy: a failed import deserves a retry beside the button, not the app's error page.
let pickerChunk: Promise<PickerDialogComponent> | null = null;
function loadPickerDialog(): Promise<PickerDialogComponent> {
  pickerChunk ??= import('./sharepoint-picker-dialog').then(
    (module) => module.default,
    (error: unknown) => {
      pickerChunk = null;
      throw error;
    },
  );
  return pickerChunk;
}
const prefetchPickerDialog = () => void loadPickerDialog().catch(() => undefined);

type PickerState =
  | { status: 'closed' | 'loading' | 'failed' }
  | { status: 'open'; PickerDialog: PickerDialogComponent };

export type ConversationAttachmentsProps = {
  conversationId: string;
  role: ShareRole;
  /** The public config (the picker's switch and site), once loaded. */
  config: PublicConfig | undefined;
  /** For tests: how job progress is followed (`null`: polling only). */
  eventSource?: EventSourceFactory | null;
};

/**
 * A conversation's attachments: the list for everyone who can read it; for editors and owners an
 * Attach menu ("From SharePoint" when the picker is on and the user signed in with Entra ID), the
 * picker dialog and the progress of what is being attached.
 */
export function ConversationAttachments({
  conversationId,
  role,
  config,
  eventSource,
}: ConversationAttachmentsProps) {
  const { accounts } = useMsal();
  const jobs = useAttachmentJobs(conversationId, eventSource === undefined ? {} : { eventSource });
  const [picker, setPicker] = useState<PickerState>({ status: 'closed' });
  const [startError, setStartError] = useState<string | null>(null);
  const attachRef = useRef<HTMLButtonElement>(null);

  const canAttach = role !== 'viewer';
  const baseUrl = config?.sharepointPicker.enabled ? config.sharepointPicker.baseUrl : undefined;
  // The picker needs SharePoint tokens minted from an Entra sign-in (an account with a tenant).
  const entraAccount = accounts.some((account) => account.tenantId !== '');
  const showPicker = canAttach && baseUrl !== undefined && entraAccount;

  const openPicker = () => {
    setStartError(null);
    setPicker({ status: 'loading' });
    loadPickerDialog().then(
      (PickerDialog) => setPicker({ status: 'open', PickerDialog }),
      () => setPicker({ status: 'failed' }),
    );
  };

  const onPicked = async (items: DriveItemRef[]) => {
    try {
      await jobs.start(items);
    } catch (error) {
      const text = startErrorText(error);
      setStartError(text);
      throw new Error(text);
    }
    // After the picker has had its `success` (answered right after this promise settles).
    setTimeout(() => setPicker({ status: 'closed' }), 0);
  };

  return (
    <section className="gh-card gh-attachments" aria-labelledby={`attachments-${conversationId}`}>
      <div className="gh-attachments__header">
        <h2 id={`attachments-${conversationId}`} className="gh-attachments__title">
          Attachments
        </h2>
        {showPicker ? (
          <AttachMenu
            buttonRef={attachRef}
            items={[
              {
                id: 'sharepoint',
                label: 'From SharePoint',
                onSelect: openPicker,
                onPrefetch: prefetchPickerDialog,
              },
            ]}
          />
        ) : null}
      </div>
      {picker.status === 'loading' ? <Spinner size="sm" label="Opening the SharePoint picker…" /> : null}
      {picker.status === 'failed' ? (
        <RetryAlert
          title="The SharePoint picker didn't load"
          onRetry={() => {
            attachRef.current?.focus();
            openPicker();
          }}
        >
          Check your connection and try again. If Gatehouse was just updated, reloading the page fixes it.
        </RetryAlert>
      ) : null}
      {startError ? (
        <Alert variant="error" live="alert" title="The files weren't attached">
          {startError}
        </Alert>
      ) : null}
      {picker.status === 'open' && baseUrl ? (
        <picker.PickerDialog
          baseUrl={baseUrl}
          onPicked={onPicked}
          onClose={() => setPicker({ status: 'closed' })}
        />
      ) : null}
      <AttachmentProgress jobs={jobs} />
      <p className="gh-visually-hidden" role="status" aria-live="polite" aria-label="Attaching">
        {jobs.announcement}
      </p>
      <AttachmentList conversationId={conversationId} canAttach={showPicker} />
    </section>
  );
}
