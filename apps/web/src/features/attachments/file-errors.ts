import type { AttachmentFileError } from '@gatehouse/contracts';

/** What a failed file means for the user, from the BFF's code (its message is a detail, shown after). */
export function fileErrorText(error: AttachmentFileError): string {
  switch (error.code) {
    case 'too_large':
      return 'Too large to attach. You can still open it from SharePoint.';
    case 'access_denied':
      return 'No access: you can’t open this file in SharePoint.';
    case 'not_found':
      return 'This file is no longer in SharePoint.';
    case 'folder':
      return 'Folders can’t be attached; pick the files in it.';
    case 'type_refused':
      return 'This type of file can’t be attached.';
    case 'network':
      return 'Network error: the download was interrupted.';
    case 'throttled':
      return 'SharePoint is busy right now.';
    case 'internal':
      return 'Something went wrong on the server.';
  }
}

/** Trying again cannot change a size, a folder or a type. */
export function isRetryable(error: AttachmentFileError | undefined): boolean {
  return !error || !['too_large', 'folder', 'type_refused'].includes(error.code);
}

/**
 * Whether the file can still be opened from SharePoint without attaching it (a file too large to
 * attach, say). Not when SharePoint refused or lost it, nor for what Gatehouse never serves.
 */
export function canOpenFromSharepoint(error: AttachmentFileError | undefined): boolean {
  return !error || !['access_denied', 'not_found', 'folder', 'type_refused'].includes(error.code);
}
