import { graphErrors } from './graph-error';

/**
 * Graph's `$search` for directory objects: `"property:text"` clauses joined by AND/OR (AND binds
 * tighter), with parentheses. `displayName` and `description` are tokenised (every query token must
 * start a token of the value); every other property matches by prefix.
 */
export type SearchExpression =
  | { kind: 'clause'; property: string; text: string }
  | { kind: 'and' | 'or'; left: SearchExpression; right: SearchExpression };

const TOKENISED = new Set(['displayname', 'description']);

export function parseSearch(input: string, allowBareText = false): SearchExpression {
  let pos = 0;
  const text = input.trim();
  const fail = (why: string): never => {
    throw graphErrors.unsupportedQuery(`Syntax error in $search at position ${pos}: ${why}`);
  };
  const skipSpace = () => {
    while (text[pos] === ' ') pos++;
  };
  const keyword = (word: 'AND' | 'OR') => {
    skipSpace();
    if (
      text.startsWith(word, pos) &&
      (text[pos + word.length] === ' ' || text[pos + word.length] === '(' || text[pos + word.length] === '"')
    ) {
      pos += word.length;
      return true;
    }
    return false;
  };
  const quoted = (): SearchExpression => {
    skipSpace();
    if (text[pos] === '(') {
      pos++;
      const inner = orExpr();
      skipSpace();
      if (text[pos] !== ')') fail("expected ')'");
      pos++;
      return inner;
    }
    if (text[pos] !== '"') fail('each clause must be in double quotes, like "displayName:ada"');
    pos++;
    let content = '';
    while (pos < text.length && text[pos] !== '"') {
      if (text[pos] === '\\' && pos + 1 < text.length) pos++;
      content += text[pos];
      pos++;
    }
    if (text[pos] !== '"') fail('unterminated quoted clause');
    pos++;
    const colon = content.indexOf(':');
    if (colon === -1) {
      if (allowBareText) return { kind: 'clause', property: '*', text: content };
      throw graphErrors.unsupportedQuery(
        `Invalid $search clause "${content}": on directory objects a clause names a property, like "displayName:${content}".`,
      );
    }
    return {
      kind: 'clause',
      property: content.slice(0, colon).trim(),
      text: content.slice(colon + 1).trim(),
    };
  };
  const andExpr = (): SearchExpression => {
    let left = quoted();
    while (keyword('AND')) left = { kind: 'and', left, right: quoted() };
    return left;
  };
  const orExpr = (): SearchExpression => {
    let left = andExpr();
    while (keyword('OR')) left = { kind: 'or', left, right: andExpr() };
    return left;
  };
  const result = orExpr();
  skipSpace();
  if (pos < text.length) fail(`unexpected '${text[pos]}' (combine clauses with upper-case AND or OR)`);
  return result;
}

/** The properties a search names, for validation against the entity type. */
export function searchProperties(expression: SearchExpression): string[] {
  return expression.kind === 'clause'
    ? [expression.property]
    : [...searchProperties(expression.left), ...searchProperties(expression.right)];
}

export function matchesSearch(expression: SearchExpression, value: (property: string) => unknown): boolean {
  if (expression.kind !== 'clause') {
    const left = matchesSearch(expression.left, value);
    if (expression.kind === 'and') return left && matchesSearch(expression.right, value);
    return left || matchesSearch(expression.right, value);
  }
  const { property, text } = expression;
  const raw = value(property);
  const values = Array.isArray(raw) ? raw : [raw];
  return values.some((v) => {
    if (typeof v !== 'string') return false;
    // A bare "text" (people search): fuzzy on every searchable value.
    if (property === '*') return tokensMatch(v, text) || v.toLowerCase().startsWith(text.toLowerCase());
    if (TOKENISED.has(property.toLowerCase())) return tokensMatch(v, text);
    return v.toLowerCase().startsWith(text.toLowerCase());
  });
}

/** Every token of the query starts some token of the value. */
export function tokensMatch(value: string, query: string): boolean {
  const valueTokens = tokenise(value);
  const queryTokens = tokenise(query);
  if (queryTokens.length === 0) return true;
  return queryTokens.every((q) => valueTokens.some((t) => t.startsWith(q)));
}

/** Splits on spaces and punctuation, on lower-to-upper case changes and between letters and digits. */
export function tokenise(value: string): string[] {
  return value
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/([A-Za-z])(\d)/g, '$1 $2')
    .replace(/(\d)([A-Za-z])/g, '$1 $2')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .map((t) => t.toLowerCase());
}
