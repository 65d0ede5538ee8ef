/**
 * Drives the emulator's sign-in pages over HTTP, as a browser would, for tests that run without one
 * (the BFF's system tests, the emulator's own). It follows the emulator's pages and stops at the first
 * response addressed to the app: a redirect to the redirect URI, or a form_post page.
 */
export type FetchLike = (request: Request) => Promise<Response>;

export interface SignInOptions {
  /** The authorize URL the app built (it may point at any origin when `fetch` is in-process). */
  authorizeUrl: string | URL;
  username?: string;
  password?: string;
  /** Answer on the consent page: accept (default) or cancel. */
  consent?: 'accept' | 'cancel';
  /** `emulator.fetch` for in-process use; global fetch by default. */
  fetch?: FetchLike;
  /** Cookies of the emulator's origin, kept between calls so a second sign-in can be silent (SSO). */
  cookies?: CookieJar;
}

export type SignInResult =
  | { kind: 'redirect'; url: URL; cookies: CookieJar }
  | { kind: 'form_post'; action: string; fields: Record<string, string>; cookies: CookieJar }
  /** The emulator stopped on one of its own pages (wrong password, error page): its HTML and status. */
  | { kind: 'page'; status: number; html: string; cookies: CookieJar };

export type CookieJar = Map<string, string>;

export function createCookieJar(): CookieJar {
  return new Map();
}

export async function signIn(options: SignInOptions): Promise<SignInResult> {
  const doFetch: FetchLike = options.fetch ?? ((request) => fetch(request));
  const cookies = options.cookies ?? createCookieJar();
  const authorizeUrl = new URL(options.authorizeUrl);
  const origin = authorizeUrl.origin;

  const send = async (url: URL, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    if (cookies.size > 0) headers.set('cookie', [...cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const response = await doFetch(new Request(url, { ...init, headers, redirect: 'manual' }));
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const expired = attributes.some(
        (a) => /^\s*max-age=0/i.test(a) || /^\s*expires=Thu, 01 Jan 1970/i.test(a),
      );
      if (expired || value === '') cookies.delete(name);
      else cookies.set(name, value);
    }
    return response;
  };

  let response = await send(authorizeUrl);
  let submittedPassword = false;
  for (let step = 0; step < 10; step++) {
    if (response.status === 302 || response.status === 303) {
      const location = new URL(response.headers.get('location')!, origin);
      if (location.origin !== origin) return { kind: 'redirect', url: location, cookies };
      response = await send(location);
      continue;
    }
    const html = await response.text();
    const form = readForm(html);
    if (!form) return { kind: 'page', status: response.status, html, cookies };
    const action = new URL(form.action, origin);
    if (action.origin !== origin)
      return { kind: 'form_post', action: action.toString(), fields: form.fields, cookies };

    const fields = { ...form.fields };
    if (form.inputs.has('passwd')) {
      // A second password page means the first attempt was refused (wrong password, unknown user).
      if (submittedPassword) return { kind: 'page', status: response.status, html, cookies };
      if (form.inputs.has('loginfmt') && !('loginfmt' in form.fields))
        fields.loginfmt = options.username ?? '';
      fields.passwd = options.password ?? '';
      submittedPassword = true;
    } else if (html.includes('name="consent"')) {
      fields.consent = (options.consent ?? 'accept') === 'accept' ? 'yes' : 'no';
    } else if (html.includes('name="choice"')) {
      fields.choice = options.username ? 'other' : 'current';
    }
    response = await send(action, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
  }
  throw new Error('signIn: the emulator did not finish the sign-in within 10 steps.');
}

interface ParsedForm {
  action: string;
  fields: Record<string, string>;
  inputs: Set<string>;
}

function readForm(html: string): ParsedForm | undefined {
  const formMatch = /<form[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/i.exec(html);
  if (!formMatch) return undefined;
  const fields: Record<string, string> = {};
  const inputs = new Set<string>();
  for (const input of formMatch[2]!.matchAll(/<input\b([^>]*)>/gi)) {
    const attrs = input[1]!;
    const name = /\bname="([^"]*)"/.exec(attrs)?.[1];
    if (!name) continue;
    inputs.add(name);
    const value = /\bvalue="([^"]*)"/.exec(attrs)?.[1];
    if (/type="hidden"/.test(attrs) && value !== undefined) fields[name] = decodeEntities(value);
  }
  return { action: decodeEntities(formMatch[1]!), fields, inputs };
}

function decodeEntities(value: string): string {
  return value
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
