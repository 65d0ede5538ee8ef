import { Alert } from '../../../components/ui/alert';
import { Button } from '../../../components/ui/button';
import { formatBytes } from '../../../lib/format-bytes';
import { sharepointContentHref } from '../api/sharepoint-content';
import { canOpenFromSharepoint, fileErrorText, isRetryable } from '../file-errors';
import type { AttachmentJobsState, FileRow } from '../use-attachment-jobs';

function percent(done: number, total: number): number {
  if (total <= 0) return 0;
  return Math.min(100, Math.round((done / total) * 100));
}

function stateText(row: FileRow): string {
  const { file } = row;
  switch (file.state) {
    case 'queued':
      return 'Waiting';
    case 'downloading':
      return file.bytesTotal > 0
        ? `${formatBytes(file.bytesDone)} of ${formatBytes(file.bytesTotal)}`
        : `${formatBytes(file.bytesDone)}`;
    case 'done':
      return `Attached · ${formatBytes(file.bytesTotal)}`;
    case 'cancelled':
      return 'Cancelled';
    case 'failed':
      return 'Failed';
  }
}

function ProgressBar({
  label,
  done,
  total,
  finished,
}: {
  label: string;
  done: number;
  total: number;
  finished: boolean;
}) {
  const value = finished ? 100 : percent(done, total);
  // A native <progress> (role progressbar): no inline style, so the CSP needs no 'unsafe-inline'.
  return (
    <progress
      className="gh-progress"
      aria-label={label}
      max={100}
      value={value}
      aria-valuenow={value}
      aria-valuetext={total > 0 ? `${value}%, ${formatBytes(done)} of ${formatBytes(total)}` : `${value}%`}
    />
  );
}

function FileProgress({ row, onRetry }: { row: FileRow; onRetry: (row: FileRow) => void }) {
  const { file } = row;
  const name = file.name || 'A file from SharePoint';
  const retryable = (file.state === 'failed' && isRetryable(file.error)) || file.state === 'cancelled';
  const openable = file.state !== 'failed' || canOpenFromSharepoint(file.error);
  return (
    <li className={`gh-upload gh-upload--${file.state}`}>
      <div className="gh-upload__head">
        <span className="gh-upload__name" title={name}>
          {name}
        </span>
        <span className="gh-upload__side">
          <span className="gh-upload__state">{stateText(row)}</span>
          {openable ? (
            // "Open without attaching": the BFF streams the file straight from SharePoint, by ids.
            <a
              className="gh-upload__open"
              href={sharepointContentHref(file)}
              download={file.name || true}
              aria-label={`Open ${name} from SharePoint, without attaching it`}
            >
              Open
            </a>
          ) : null}
        </span>
      </div>
      {file.state === 'failed' || file.state === 'cancelled' ? null : (
        <ProgressBar
          label={name}
          done={file.bytesDone}
          total={file.bytesTotal}
          finished={file.state === 'done'}
        />
      )}
      {file.state === 'failed' && file.error ? (
        <p className="gh-upload__error">
          {fileErrorText(file.error)} <span className="gh-upload__detail">{file.error.message}</span>
        </p>
      ) : null}
      {retryable ? (
        <Button variant="secondary" onClick={() => onRetry(row)} aria-label={`Retry ${name}`}>
          Retry
        </Button>
      ) : null}
    </li>
  );
}

/** Per-file progress in bytes, an overall bar, reasons and Retry for failures, and Cancel. */
export function AttachmentProgress({ jobs }: { jobs: AttachmentJobsState }) {
  if (jobs.rows.length === 0) return null;
  return (
    <section className="gh-uploads" aria-label="Attaching from SharePoint">
      <div className="gh-uploads__overall">
        <span className="gh-uploads__summary">
          {jobs.running
            ? `Attaching ${jobs.rows.length} ${jobs.rows.length === 1 ? 'file' : 'files'} · ${formatBytes(jobs.bytesDone)} of ${formatBytes(jobs.bytesTotal)}`
            : 'Finished'}
        </span>
        <ProgressBar
          label="All files"
          done={jobs.bytesDone}
          total={jobs.bytesTotal}
          finished={!jobs.running}
        />
        <div className="gh-uploads__actions">
          {jobs.running ? (
            <Button variant="secondary" onClick={() => void jobs.cancel()} isLoading={jobs.cancelling}>
              Cancel
            </Button>
          ) : (
            <Button variant="ghost" onClick={jobs.clear}>
              Dismiss
            </Button>
          )}
        </div>
      </div>
      {jobs.watchError ? <Alert variant="warning">{jobs.watchError}</Alert> : null}
      <ul className="gh-uploads__list">
        {jobs.rows.map((row) => (
          <FileProgress key={row.key} row={row} onRetry={(target) => void jobs.retry(target)} />
        ))}
      </ul>
    </section>
  );
}
