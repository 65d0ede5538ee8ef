import { graphErrors } from './graph-error';

/**
 * The `$filter` subset directory queries use: `eq`, `ne`, `in`, `startswith`, `endswith`, `any` on
 * collections (`groupTypes/any(c:c eq 'Unified')`), `and`/`or`/`not` and parentheses.
 * `ne`, `not` and `endswith` are advanced queries in Graph: they need `ConsistencyLevel: eventual` and `$count=true`.
 */
export type FilterExpression =
  | { kind: 'and' | 'or'; left: FilterExpression; right: FilterExpression }
  | { kind: 'not'; operand: FilterExpression }
  | { kind: 'compare'; op: 'eq' | 'ne'; path: string; value: Literal }
  | { kind: 'in'; path: string; values: Literal[] }
  | { kind: 'startswith' | 'endswith'; path: string; value: string }
  | { kind: 'any'; path: string; op: 'eq' | 'ne'; value: Literal };

type Literal = string | number | boolean | null;

interface Token {
  type: 'ident' | 'string' | 'number' | 'punct';
  value: string;
}

export interface ParsedFilter {
  expression: FilterExpression;
  /** The filter uses an operator that only advanced queries support. */
  advanced: boolean;
  paths: string[];
}

export function parseFilter(input: string): ParsedFilter {
  const tokens = tokenize(input);
  let pos = 0;
  let advanced = false;
  const paths: string[] = [];
  const peek = () => tokens[pos];
  const fail = (why: string): never => {
    throw graphErrors.requestBadRequest(`Invalid filter clause: ${why}`);
  };
  const expect = (value: string) => {
    const token = tokens[pos];
    if (!token || token.value.toLowerCase() !== value) fail(`expected '${value}' at token ${pos + 1}.`);
    pos++;
  };
  const isWord = (word: string) => peek()?.type === 'ident' && peek()!.value.toLowerCase() === word;
  const literal = (): Literal => {
    const token = tokens[pos++];
    if (!token) return fail('expected a value.');
    if (token.type === 'string') return token.value;
    if (token.type === 'number') return Number(token.value);
    if (token.type === 'ident') {
      const word = token.value.toLowerCase();
      if (word === 'true') return true;
      if (word === 'false') return false;
      if (word === 'null') return null;
    }
    return fail(`'${token.value}' is not a literal; quote strings as 'text'.`);
  };
  const path = (): string => {
    const token = tokens[pos++];
    if (token?.type !== 'ident') return fail('expected a property name.');
    paths.push(token.value);
    return token.value;
  };
  const primary = (): FilterExpression => {
    if (peek()?.value === '(') {
      pos++;
      const inner = orExpr();
      expect(')');
      return inner;
    }
    if (isWord('startswith') || isWord('endswith')) {
      const kind = tokens[pos++]!.value.toLowerCase() as 'startswith' | 'endswith';
      if (kind === 'endswith') advanced = true;
      expect('(');
      const p = path();
      expect(',');
      const value = literal();
      expect(')');
      if (typeof value !== 'string') fail(`${kind} needs a string.`);
      return { kind, path: p, value: value as string };
    }
    const p = path();
    const lambda = /^(.*)\/any$/i.exec(p);
    if (lambda) {
      expect('(');
      const variable = tokens[pos++]?.value;
      expect(':');
      const again = tokens[pos++]?.value;
      if (!variable || again !== variable) fail("a lambda is written like groupTypes/any(c:c eq 'Unified').");
      const op = tokens[pos++]?.value.toLowerCase();
      if (op !== 'eq' && op !== 'ne') return fail(`unsupported operator '${op}' in any().`);
      if (op === 'ne') advanced = true;
      const value = literal();
      expect(')');
      paths[paths.length - 1] = lambda[1]!;
      return { kind: 'any', path: lambda[1]!, op, value };
    }
    const op = tokens[pos++]?.value.toLowerCase();
    if (op === 'in') {
      expect('(');
      const values = [literal()];
      while (peek()?.value === ',') {
        pos++;
        values.push(literal());
      }
      expect(')');
      return { kind: 'in', path: p, values };
    }
    if (op === 'eq' || op === 'ne') {
      if (op === 'ne') advanced = true;
      return { kind: 'compare', op, path: p, value: literal() };
    }
    return fail(
      `unsupported operator '${op ?? '(end)'}' after ${p}; use eq, ne, in, startswith or endswith.`,
    );
  };
  const unary = (): FilterExpression => {
    if (isWord('not')) {
      pos++;
      advanced = true;
      return { kind: 'not', operand: unary() };
    }
    return primary();
  };
  const andExpr = (): FilterExpression => {
    let left = unary();
    while (isWord('and')) {
      pos++;
      left = { kind: 'and', left, right: unary() };
    }
    return left;
  };
  const orExpr = (): FilterExpression => {
    let left = andExpr();
    while (isWord('or')) {
      pos++;
      left = { kind: 'or', left, right: andExpr() };
    }
    return left;
  };
  const expression = orExpr();
  if (pos < tokens.length) fail(`unexpected '${tokens[pos]!.value}'.`);
  return { expression, advanced, paths };
}

export function evaluateFilter(expression: FilterExpression, get: (path: string) => unknown): boolean {
  switch (expression.kind) {
    case 'and':
      return evaluateFilter(expression.left, get) && evaluateFilter(expression.right, get);
    case 'or':
      return evaluateFilter(expression.left, get) || evaluateFilter(expression.right, get);
    case 'not':
      return !evaluateFilter(expression.operand, get);
    case 'compare': {
      const equal = same(get(expression.path), expression.value);
      return expression.op === 'eq' ? equal : !equal;
    }
    case 'in':
      return expression.values.some((v) => same(get(expression.path), v));
    case 'startswith':
    case 'endswith': {
      const value = get(expression.path);
      if (typeof value !== 'string') return false;
      const a = value.toLowerCase();
      const b = expression.value.toLowerCase();
      return expression.kind === 'startswith' ? a.startsWith(b) : a.endsWith(b);
    }
    case 'any': {
      const value = get(expression.path);
      if (!Array.isArray(value)) return false;
      return value.some((v) =>
        expression.op === 'eq' ? same(v, expression.value) : !same(v, expression.value),
      );
    }
  }
}

function same(a: unknown, b: Literal): boolean {
  if (typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase();
  return (a ?? null) === b;
}

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input[i]!;
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === "'") {
      let value = '';
      i++;
      for (;;) {
        if (i >= input.length)
          throw graphErrors.requestBadRequest('Invalid filter clause: unterminated string literal.');
        if (input[i] === "'") {
          if (input[i + 1] === "'") {
            value += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += input[i++];
      }
      tokens.push({ type: 'string', value });
    } else if ('(),:'.includes(ch)) {
      tokens.push({ type: 'punct', value: ch });
      i++;
    } else if (/[0-9-]/.test(ch) && /^-?\d+(\.\d+)?(?![\w-])/.test(input.slice(i))) {
      const match = /^-?\d+(\.\d+)?/.exec(input.slice(i))!;
      tokens.push({ type: 'number', value: match[0] });
      i += match[0].length;
    } else {
      const match = /^[A-Za-z_@][\w./@-]*/.exec(input.slice(i));
      if (!match) throw graphErrors.requestBadRequest(`Invalid filter clause: unexpected character '${ch}'.`);
      tokens.push({ type: 'ident', value: match[0] });
      i += match[0].length;
    }
  }
  return tokens;
}
