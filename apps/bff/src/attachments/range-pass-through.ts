/** `If-Range` values: an entity tag (strong; weak ones never match) or an HTTP date. */
const IF_RANGE =
  /^(?:"[\x21\x23-\x7e\x80-\xff]*"|[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT)$/;

/**
 * The request headers the download proxy passes on: one `bytes=` range, with its `If-Range` (so a
 * file changed since the first part is sent whole rather than spliced). Anything else is dropped.
 */
export function passThroughRange(
  range: string | undefined,
  ifRange: string | undefined,
): Record<string, string> {
  const wanted = range?.trim();
  if (!wanted || !/^bytes=\d*-\d*$/.test(wanted) || wanted === 'bytes=-') return {};
  const condition = ifRange?.trim();
  return condition && condition.length <= 256 && IF_RANGE.test(condition)
    ? { range: wanted, 'if-range': condition }
    : { range: wanted };
}
