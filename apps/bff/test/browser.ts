/**
 * A tiny browser for system tests: a cookie jar per host, manual redirects across origins, and HTML
 * forms filled and submitted the way a user would. Each origin is served by an in-process `fetch`
 * (the BFF's `app.request`, the emulator's `fetch`) or by the network (`globalThis.fetch`), like
 * Duende's SimulatedInternet.
 */
export type Handler = (request: Request) => Promise<Response>;

interface StoredCookie {
  value: string;
  expiresAt: number | undefined;
  httpOnly: boolean;
  secure: boolean;
  sameSite: string | undefined;
}

export interface Navigation {
  /** The final response (after redirects). */
  response: Response;
  /** Its body, read once. */
  body: string;
  /** The final URL. */
  url: URL;
  /** Every URL visited, the first included. */
  chain: URL[];
  /** Every response header seen along the way (to look for leaks). */
  headers: Headers[];
}

export interface Browser {
  /** Top-level navigation: follows redirects (303/302/301/307) until a non-redirect. */
  navigate(
    url: string | URL,
    init?: { method?: string; body?: URLSearchParams; stopAt?: (url: URL) => boolean },
  ): Promise<Navigation>;
  /** A `fetch` from the SPA: same-origin, with cookies, no redirect following. */
  api(path: string, init?: RequestInit & { origin?: string }): Promise<Response>;
  /** Fills and submits the first form (or the one whose action matches `actionIncludes`) of a page. */
  submitForm(page: Navigation, values: Record<string, string>, actionIncludes?: string): Promise<Navigation>;
  cookies(host: string): Record<string, string>;
  cookieDetails(host: string, name: string): StoredCookie | undefined;
  setCookie(host: string, name: string, value: string): void;
  deleteCookie(host: string, name: string): void;
  /** Every Set-Cookie header received, raw. */
  readonly setCookieHeaders: string[];
}

export function createBrowser(options: {
  appOrigin: string;
  handlers: Record<string, Handler>;
  now?: () => number;
}): Browser {
  const jar = new Map<string, Map<string, StoredCookie>>();
  const setCookieHeaders: string[] = [];
  const now = options.now ?? Date.now;

  function handlerFor(url: URL): Handler {
    return options.handlers[url.origin] ?? ((request) => fetch(request));
  }

  function store(url: URL, response: Response) {
    for (const header of response.headers.getSetCookie()) {
      setCookieHeaders.push(header);
      const [pair = '', ...attributes] = header.split(';').map((part) => part.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      const attrs = new Map(
        attributes.map((a) => {
          const i = a.indexOf('=');
          return i === -1 ? [a.toLowerCase(), ''] : [a.slice(0, i).toLowerCase(), a.slice(i + 1)];
        }),
      );
      const cookies = jar.get(url.host) ?? new Map<string, StoredCookie>();
      jar.set(url.host, cookies);
      const maxAge = attrs.has('max-age') ? Number(attrs.get('max-age')) : undefined;
      if (maxAge !== undefined && maxAge <= 0) {
        cookies.delete(name);
        continue;
      }
      cookies.set(name, {
        value,
        expiresAt: maxAge === undefined ? undefined : now() + maxAge * 1000,
        httpOnly: attrs.has('httponly'),
        secure: attrs.has('secure'),
        sameSite: attrs.get('samesite'),
      });
    }
  }

  function cookieHeader(url: URL): string | undefined {
    const cookies = jar.get(url.host);
    if (!cookies) return undefined;
    const pairs: string[] = [];
    for (const [name, cookie] of cookies) {
      if (cookie.expiresAt !== undefined && cookie.expiresAt <= now()) {
        cookies.delete(name);
        continue;
      }
      pairs.push(`${name}=${cookie.value}`);
    }
    return pairs.length ? pairs.join('; ') : undefined;
  }

  async function send(
    url: URL,
    init: {
      method: string;
      body?: URLSearchParams;
      headers?: RequestInit['headers'];
      rawBody?: RequestInit['body'];
    },
  ) {
    const headers = new Headers(init.headers);
    const cookie = cookieHeader(url);
    if (cookie) headers.set('cookie', cookie);
    let body: RequestInit['body'];
    if (init.body) {
      headers.set('content-type', 'application/x-www-form-urlencoded');
      body = init.body.toString();
    } else if (init.rawBody) {
      body = init.rawBody;
    }
    const response = await handlerFor(url)(
      new Request(url, {
        method: init.method,
        headers,
        ...(body === undefined ? {} : { body }),
        redirect: 'manual',
      }),
    );
    store(url, response);
    return response;
  }

  const browser: Browser = {
    setCookieHeaders,

    async navigate(start, init = {}) {
      let url = new URL(start);
      let method = init.method ?? 'GET';
      let body = init.body;
      const chain: URL[] = [];
      const headers: Headers[] = [];
      for (let hops = 0; hops < 20; hops += 1) {
        chain.push(url);
        const response = await send(url, {
          method,
          ...(body ? { body } : {}),
          headers: { accept: 'text/html', 'sec-fetch-mode': 'navigate', 'sec-fetch-site': 'none' },
        });
        headers.push(response.headers);
        const location = response.headers.get('location');
        if (response.status >= 300 && response.status < 400 && location) {
          await response.body?.cancel();
          const next = new URL(location, url);
          if (init.stopAt?.(next)) {
            chain.push(next);
            return { response, body: '', url: next, chain, headers };
          }
          url = next;
          if (response.status !== 307 && response.status !== 308) {
            method = 'GET';
            body = undefined;
          }
          continue;
        }
        return { response, body: await response.text(), url, chain, headers };
      }
      throw new Error(`Too many redirects from ${String(start)}`);
    },

    async api(path, init = {}) {
      const url = new URL(path, init.origin ?? options.appOrigin);
      const headers = new Headers(init.headers);
      if (!headers.has('origin') && init.method && init.method !== 'GET')
        headers.set('origin', options.appOrigin);
      if (!headers.has('sec-fetch-site')) headers.set('sec-fetch-site', 'same-origin');
      return send(url, { method: init.method ?? 'GET', headers, rawBody: init.body ?? null });
    },

    async submitForm(page, values, actionIncludes) {
      const forms = [...page.body.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)];
      const form =
        forms.find((f) => !actionIncludes || attr(f[1] ?? '', 'action')?.includes(actionIncludes)) ??
        forms[0];
      if (!form) throw new Error(`No form on ${page.url.href}:\n${page.body.slice(0, 500)}`);
      const action = new URL(decodeEntities(attr(form[1] ?? '', 'action') ?? page.url.href), page.url);
      const method = (attr(form[1] ?? '', 'method') ?? 'GET').toUpperCase();
      const fields = new URLSearchParams();
      for (const input of (form[2] ?? '').matchAll(/<input\b([^>]*)>/gi)) {
        const name = attr(input[1] ?? '', 'name');
        if (!name) continue;
        const type = (attr(input[1] ?? '', 'type') ?? 'text').toLowerCase();
        if (type === 'submit' || type === 'button') continue;
        fields.set(name, decodeEntities(attr(input[1] ?? '', 'value') ?? ''));
      }
      for (const [name, value] of Object.entries(values)) fields.set(name, value);
      if (method === 'GET') {
        for (const [name, value] of fields) action.searchParams.set(name, value);
        return browser.navigate(action);
      }
      return browser.navigate(action, { method, body: fields });
    },

    cookies(host) {
      return Object.fromEntries([...(jar.get(host) ?? [])].map(([name, c]) => [name, c.value]));
    },
    cookieDetails(host, name) {
      return jar.get(host)?.get(name);
    },
    setCookie(host, name, value) {
      const cookies = jar.get(host) ?? new Map<string, StoredCookie>();
      jar.set(host, cookies);
      cookies.set(name, { value, expiresAt: undefined, httpOnly: true, secure: true, sameSite: 'Lax' });
    },
    deleteCookie(host, name) {
      jar.get(host)?.delete(name);
    },
  };
  return browser;
}

function attr(attributes: string, name: string): string | undefined {
  const match = new RegExp(`\\b${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(attributes);
  return match ? (match[1] ?? match[2] ?? match[3]) : undefined;
}

function decodeEntities(value: string): string {
  return value
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>');
}
