import { Hono } from 'hono';
import type { EmulatorContext } from '../context';
import { createDriveApi, type DriveScopes } from '../drives/drive-routes';
import { GraphError, graphErrorResponse } from '../graph/graph-error';
import { opaque } from '../util/ids';
import { PickerOptionsError, parsePickerOptions } from './picker-options';
import { pickerErrorPage, pickerPage } from './picker-page';
import { checkSharePointToken } from './sharepoint-auth';

const ALL_SITES = ['AllSites.Read', 'AllSites.Write', 'AllSites.Manage', 'AllSites.FullControl'];
export const SHAREPOINT_DRIVE_SCOPES: DriveScopes = {
  ownFiles: ['MyFiles.Read', 'MyFiles.Write', ...ALL_SITES],
  allFiles: ALL_SITES,
  sites: ALL_SITES,
};

const PICKER_PATH = /^((?:\/(?:sites|teams|personal)\/[^/]+)?)\/_layouts\/15\/FilePicker\.aspx$/i;
const LOCALES: Record<string, string> = {
  '1033': 'en-US',
  '2057': 'en-GB',
  '1031': 'de-DE',
  '1036': 'fr-FR',
  '3082': 'es-ES',
};

/**
 * The SharePoint site at its own origin (`sharepointUrl`): the File Picker v8 page and the
 * `/_api/v2.0` drive endpoints the page reads with a SharePoint-audience token.
 */
export function createSharePointApp(ctx: EmulatorContext) {
  const app = new Hono();
  const origin = new URL(ctx.sharepointUrl).origin;
  const driveApi = createDriveApi({
    store: ctx.drives,
    shapes: ctx.driveShapes,
    signer: ctx.downloads,
    scopes: SHAREPOINT_DRIVE_SCOPES,
    base: `${origin}/_api/v2.0`,
    prefix: '/_api/v2.0',
    hostname: new URL(origin).hostname,
  });

  app.all('/_api/v2.0/*', async (c) => {
    const match = /^Bearer\s+(.+)$/i.exec(c.req.header('authorization') ?? '');
    const check = match
      ? await checkSharePointToken(ctx, match[1]!.trim())
      : { ok: false as const, reason: 'No access token.' };
    if (!check.ok) {
      c.header(
        'WWW-Authenticate',
        `Bearer realm="${ctx.directory.tenant.id}",client_id="00000003-0000-0ff1-ce00-000000000000"`,
      );
      c.header(
        'x-ms-diagnostics',
        `2000003;reason="${check.reason.replace(/"/g, "'")}";category="invalid_client"`,
      );
      throw new GraphError(401, 'unauthenticated', check.reason);
    }
    return driveApi(c, check.caller);
  });

  app.all('*', async (c, next) => {
    const match = PICKER_PATH.exec(c.req.path);
    if (!match) return next();
    const nonce = opaque(16);
    const refuse = (status: 400 | 401 | 405, title: string, message: string, detail?: string) => {
      // An unusable request gets a page that cannot be framed, as SharePoint's does.
      c.header(
        'Content-Security-Policy',
        `default-src 'none'; style-src 'nonce-${nonce}'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'`,
      );
      return c.html(pickerErrorPage({ nonce, title, message, ...(detail ? { detail } : {}) }), status);
    };
    if (c.req.method !== 'POST') {
      return refuse(
        405,
        'Open the picker with a form POST',
        'The File Picker is loaded by posting a form with an access_token field to this address.',
      );
    }
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    const token = typeof form.access_token === 'string' ? form.access_token : '';
    if (!token)
      return refuse(
        401,
        "Sorry, you can't access this",
        'No access token was posted: send a SharePoint access token in the access_token form field.',
      );
    const check = await checkSharePointToken(ctx, token);
    if (!check.ok)
      return refuse(401, "Sorry, you can't access this", 'The access token was refused.', check.reason);
    const site = match[1] ? ctx.drives.siteByPath(match[1]) : ctx.drives.siteByPath('/');
    if (!site) return refuse(400, 'This site does not exist', `There is no site at ${origin}${match[1]}.`);

    let parsed: ReturnType<typeof parsePickerOptions>;
    try {
      parsed = parsePickerOptions(c.req.query('filePicker'));
    } catch (error) {
      if (error instanceof PickerOptionsError)
        return refuse(400, 'The picker options are not usable', error.message);
      throw error;
    }
    const { options } = parsed;
    const siteUrl = `${origin}${site.path === '/' ? '' : site.path}`;
    // Without an explicit entry, a picker opened on a site starts in that site's library.
    const entry = parsed.entry.siteUrl
      ? parsed.entry
      : parsed.entry.sharePoint || site.path !== '/'
        ? { sharePoint: true, siteUrl }
        : {};
    c.header(
      'Content-Security-Policy',
      [
        "default-src 'none'",
        `script-src 'nonce-${nonce}'`,
        `style-src 'nonce-${nonce}'`,
        "img-src 'self' data:",
        "connect-src 'self'",
        `frame-ancestors ${options.messaging.origin}`,
        "base-uri 'none'",
        "form-action 'none'",
      ].join('; '),
    );
    c.header('Referrer-Policy', 'no-referrer');
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Cache-Control', 'no-store');
    return c.html(
      pickerPage({
        nonce,
        lang: LOCALES[c.req.query('locale') ?? ''] ?? 'en-US',
        origin,
        options,
        entry,
        userName: check.caller.user.displayName,
        formToken: options.authentication ? undefined : token,
      }),
    );
  });

  app.get('/', (c) =>
    c.json({
      emulator: 'Gatehouse SharePoint emulator',
      filePicker: `${origin}/_layouts/15/FilePicker.aspx`,
      api: `${origin}/_api/v2.0`,
    }),
  );
  app.notFound((c) =>
    c.json(
      { error: 'not_found', message: `The emulated SharePoint has no route ${c.req.method} ${c.req.path}.` },
      404,
    ),
  );
  app.onError((error, c) => {
    if (error instanceof GraphError) return graphErrorResponse(c, error, ctx.clock());
    throw error;
  });
  return app;
}
