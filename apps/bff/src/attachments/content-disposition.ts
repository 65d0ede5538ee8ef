/**
 * `Content-Disposition: attachment` with a safe filename (RFC 6266): an ASCII fallback in
 * `filename="…"` without quotes, backslashes, controls or path separators, and the real name in
 * `filename*=UTF-8''…` (RFC 8187), percent-encoded so nothing in it can end the header value.
 */
export function attachmentDisposition(name: string): string {
  const clean = name
    .normalize('NFC')
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it removes.
    .replace(/[\u0000-\u001f\u007f-\u009f/\\]/g, '_')
    .trim()
    .slice(0, 255);
  const safe = clean.replace(/^\.+/, '_') || 'download';
  const ascii = safe.replace(/[^\x20-\x7e]|["%;]/g, '_');
  const encoded = encodeURIComponent(safe).replace(
    /['()*]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/**
 * One byte range of a `Range` header (`bytes=a-b`, `bytes=a-`, `bytes=-n`) within `size`;
 * `undefined` serves the whole file (no header, several ranges, another unit, a malformed one),
 * `'unsatisfiable'` is a 416.
 */
export function byteRange(
  header: string | undefined,
  size: number,
): [number, number] | 'unsatisfiable' | undefined {
  if (!header) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return [Math.max(0, size - suffix), size - 1];
  }
  const start = Number(match[1]);
  if (!Number.isSafeInteger(start) || start >= size) return 'unsatisfiable';
  const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (end < start) return undefined;
  return [start, end];
}
