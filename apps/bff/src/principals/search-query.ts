/**
 * Turning what a user typed into Microsoft Graph `$search` expressions. Graph's syntax is
 * `"property:text"` clauses joined by upper-case `AND`/`OR` outside the quotes; inside a clause `"`
 * and `\` must be escaped with a backslash. Escaping keeps every typed character inside its clause,
 * so `a" OR "mail:x` or a bare `OR` is searched for as text and never becomes part of the syntax.
 */

/** Backslash-escapes `\` and `"` for use inside a quoted `$search` clause. */
export function escapeSearchText(text: string): string {
  return text.replace(/[\\"]/g, (character) => `\\${character}`);
}

/** `"displayName:q" OR "mail:q"` for each property, the text escaped. */
export function directorySearch(properties: readonly string[], text: string): string {
  if (properties.length === 0) throw new TypeError('directorySearch: name at least one property.');
  const escaped = escapeSearchText(text);
  return properties.map((property) => `"${property}:${escaped}"`).join(' OR ');
}

/** `/me/people` takes bare quoted text. */
export function peopleSearch(text: string): string {
  return `"${escapeSearchText(text)}"`;
}

/**
 * The query as the search runs it: trimmed, inner whitespace collapsed, and control characters
 * (which no name contains, and which Graph would refuse) removed.
 */
export function normaliseQuery(raw: string): string {
  let text = '';
  for (const character of raw) {
    const code = character.codePointAt(0)!;
    text += code < 0x20 || code === 0x7f ? ' ' : character;
  }
  return text.replace(/\s+/g, ' ').trim();
}

/** SQL `LIKE` pattern for "contains", with `%`, `_` and the escape character itself escaped (escape `\`). */
export function likeContains(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}
