/** A short type label in a tile (PDF, DOC, XLS, IMG…), from the stored content type and the name. */
export function fileTypeLabel(contentType: string, name: string): string {
  const type = contentType.toLowerCase();
  const extension = name.includes('.') ? (name.split('.').pop() ?? '').toLowerCase() : '';
  if (type === 'application/pdf' || extension === 'pdf') return 'PDF';
  if (type.startsWith('image/')) return 'IMG';
  if (type.startsWith('video/')) return 'VID';
  if (type.startsWith('audio/')) return 'AUD';
  if (
    type.includes('wordprocessingml') ||
    type === 'application/msword' ||
    ['doc', 'docx'].includes(extension)
  )
    return 'DOC';
  if (
    type.includes('spreadsheetml') ||
    type === 'application/vnd.ms-excel' ||
    ['xls', 'xlsx', 'csv'].includes(extension)
  )
    return 'XLS';
  if (
    type.includes('presentationml') ||
    type === 'application/vnd.ms-powerpoint' ||
    ['ppt', 'pptx'].includes(extension)
  )
    return 'PPT';
  if (type.startsWith('text/') || ['txt', 'md'].includes(extension)) return 'TXT';
  if (type.includes('zip') || extension === 'zip') return 'ZIP';
  return 'FILE';
}

export function FileTypeIcon({ contentType, name }: { contentType: string; name: string }) {
  const label = fileTypeLabel(contentType, name);
  return (
    <span className={`gh-file-icon gh-file-icon--${label.toLowerCase()}`} aria-hidden="true">
      {label}
    </span>
  );
}
