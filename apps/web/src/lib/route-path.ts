/**
 * Fills a contract route template (`/api/conversations/:id/permissions`) with encoded values; a
 * missing value is a programmer's mistake, not something to send to the server.
 */
export function routePath(template: string, params: Record<string, string>): string {
  return template.replace(/:([a-zA-Z]+)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new TypeError(`routePath: no value for :${name} in ${template}`);
    return encodeURIComponent(value);
  });
}
