import { RetryAlert } from '../../../components/ui/alert';
import { Skeleton } from '../../../components/ui/skeleton';
import { Spinner } from '../../../components/ui/spinner';
import { formatBytes } from '../../../lib/format-bytes';
import { formatDateTime } from '../../../lib/format-time';
import { attachmentContentHref, useAttachments } from '../api/get-attachments';
import { FileTypeIcon, fileTypeLabel } from './file-type-icon';

/** The conversation's attachments: type, name (a download link), size and when it was attached. */
export function AttachmentList({
  conversationId,
  canAttach,
}: {
  conversationId: string;
  canAttach: boolean;
}) {
  const attachments = useAttachments(conversationId);

  if (attachments.status === 'pending') {
    return (
      <div aria-busy="true">
        <span className="gh-visually-hidden">
          <Spinner size="sm" label="Loading the attachments…" />
        </span>
        <Skeleton width="lg" />
      </div>
    );
  }
  if (attachments.status === 'error') {
    return (
      <RetryAlert title="We couldn't load the attachments" onRetry={() => attachments.refetch()}>
        {attachments.error.message}
      </RetryAlert>
    );
  }
  const list = attachments.data.attachments;
  if (list.length === 0) {
    return (
      <p className="gh-attachments__empty">
        {canAttach ? 'No attachments yet. Attach files from SharePoint with Attach.' : 'No attachments yet.'}
      </p>
    );
  }
  return (
    <ul className="gh-attachments__list" aria-label="Attachments">
      {list.map((attachment) => (
        <li key={attachment.id} className="gh-attachments__item">
          <FileTypeIcon contentType={attachment.contentType} name={attachment.name} />
          <a
            className="gh-attachments__name"
            href={attachmentContentHref(attachment.id)}
            download={attachment.name}
            title={attachment.name}
            // The visible name first, so speech input can say it (WCAG 2.5.3), then type and size.
            aria-label={`${attachment.name} (${fileTypeLabel(attachment.contentType, attachment.name)}, ${formatBytes(attachment.size)}), download`}
          >
            {attachment.name}
          </a>
          <span className="gh-attachments__meta" aria-hidden="true">
            {formatBytes(attachment.size)}
          </span>
          <span className="gh-attachments__meta">{formatDateTime(attachment.createdAt)}</span>
        </li>
      ))}
    </ul>
  );
}
