/**
 * Evaluates `+ - * /` and parentheses over decimal numbers, e.g. `(1000 * 60 * 60 * 24) * 7`.
 * LibreChat's `.env.example` writes SESSION_EXPIRY and REFRESH_TOKEN_EXPIRY this way and
 * evaluates them, so an operator's existing file must keep working. There are no identifiers or
 * calls, so nothing but arithmetic can run. Returns undefined for anything else.
 */
export function evaluateArithmetic(text: string): number | undefined {
  const tokens = text.match(/\d+(?:\.\d+)?|\.\d+|[-+*/()]|\S/g) ?? [];
  let position = 0;

  const peek = () => tokens[position];
  const take = () => tokens[position++];

  function expression(): number | undefined {
    let value = term();
    while (value !== undefined && (peek() === '+' || peek() === '-')) {
      const operator = take();
      const right = term();
      if (right === undefined) return undefined;
      value = operator === '+' ? value + right : value - right;
    }
    return value;
  }

  function term(): number | undefined {
    let value = factor();
    while (value !== undefined && (peek() === '*' || peek() === '/')) {
      const operator = take();
      const right = factor();
      if (right === undefined) return undefined;
      value = operator === '*' ? value * right : value / right;
    }
    return value;
  }

  function factor(): number | undefined {
    const token = take();
    if (token === undefined) return undefined;
    if (token === '-' || token === '+') {
      const value = factor();
      return value === undefined ? undefined : token === '-' ? -value : value;
    }
    if (token === '(') {
      const value = expression();
      return take() === ')' ? value : undefined;
    }
    return /^(?:\d+(?:\.\d+)?|\.\d+)$/.test(token) ? Number(token) : undefined;
  }

  if (tokens.length === 0) return undefined;
  const value = expression();
  if (value === undefined || position !== tokens.length || !Number.isFinite(value)) return undefined;
  return value;
}
