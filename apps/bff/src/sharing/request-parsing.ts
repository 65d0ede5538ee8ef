import type { Context } from 'hono';
import type { z } from 'zod';
import { AppError } from '../http/errors';

/** `field: problem` for the first issue, so a 400 names what to fix. */
export function describeIssue(error: z.ZodError, root = 'body'): string {
  const issue = error.issues[0];
  if (!issue) return `${root}: invalid`;
  const path =
    issue.path.length > 0
      ? issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('')
      : '';
  return `${root}${path}: ${issue.message}`;
}

/** The JSON body parsed with `schema` (unknown fields dropped), or 400 `invalid_request` naming the field. */
export async function parseJsonBody<T extends z.ZodType>(c: Context, schema: T): Promise<z.infer<T>> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw new AppError('invalid_request', 'body: expected a JSON object.');
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new AppError('invalid_request', describeIssue(parsed.error));
  return parsed.data;
}
