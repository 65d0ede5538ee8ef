import type { Context } from 'hono';
import { GraphError, graphErrors } from '../graph/graph-error';
import { graphJson, readOnly } from '../graph/graph-http';
import { decodeSkipToken, encodeSkipToken, graphLink } from '../graph/odata';
import type { SeedDrive, SeedSite, SeedUser } from '../seed/types';
import type { DownloadSigner } from './download-token';
import { DRIVE_ITEM_PROPERTIES, type DriveShapes, type Json } from './drive-representation';
import type { DriveStore, StoredItem } from './drive-store';

/** The caller, from a Graph or a SharePoint token. */
export interface DriveCaller {
  user: SeedUser;
  /** Granted delegated scopes, lower-cased. */
  scopes: ReadonlySet<string>;
}

/** Which scopes allow which reads: Graph's and SharePoint's differ. */
export interface DriveScopes {
  /** Reading the caller's own OneDrive. */
  ownFiles: readonly string[];
  /** Reading any drive the user may read. */
  allFiles: readonly string[];
  /** Reading sites. */
  sites: readonly string[];
}

export const GRAPH_DRIVE_SCOPES: DriveScopes = {
  ownFiles: [
    'Files.Read',
    'Files.ReadWrite',
    'Files.Read.All',
    'Files.ReadWrite.All',
    'Sites.Read.All',
    'Sites.ReadWrite.All',
  ],
  allFiles: ['Files.Read.All', 'Files.ReadWrite.All', 'Sites.Read.All', 'Sites.ReadWrite.All'],
  sites: ['Sites.Read.All', 'Sites.ReadWrite.All'],
};

export interface DriveApiDeps {
  store: DriveStore;
  shapes: DriveShapes;
  signer: DownloadSigner;
  scopes: DriveScopes;
  /** Absolute base of the API (`{baseUrl}/v1.0` or `{site}/_api/v2.0`), for `@odata.context`. */
  base: string;
  /** The mount path to strip from the request path (`/v1.0` or `/_api/v2.0`). */
  prefix: string;
  /** The SharePoint host name, as in `/sites/{hostname}:/sites/marketing`. */
  hostname: string;
}

const DEFAULT_PAGE = 200;
const MAX_PAGE = 999;

export const driveErrors = {
  notFound: () => new GraphError(404, 'itemNotFound', 'The resource could not be found.'),
  denied: () => new GraphError(403, 'accessDenied', 'Access denied'),
  scope: (anyOf: readonly string[]) =>
    new GraphError(
      403,
      'accessDenied',
      `Access denied: the token needs one of these permissions: ${anyOf.join(', ')}.`,
    ),
  invalid: (message: string) => new GraphError(400, 'invalidRequest', message),
};

/**
 * Drives, driveItems and sites as Graph (`/v1.0`) and SharePoint (`/_api/v2.0`) serve them: the same
 * paths, shapes and rules, with each API's own scopes. Paths are parsed by hand because Graph mixes
 * segments with path addressing (`/root:/Brand/Logo.png:/content`, `/sites/{host}:/sites/marketing`).
 */
export function createDriveApi(deps: DriveApiDeps) {
  const { store, shapes, signer, scopes, base, prefix, hostname } = deps;

  const need = (caller: DriveCaller, anyOf: readonly string[]) => {
    if (!anyOf.some((s) => caller.scopes.has(s.toLowerCase()))) throw driveErrors.scope(anyOf);
  };
  const ownDrive = (caller: DriveCaller, drive: SeedDrive) =>
    store.siteOf(drive).ownerId?.toLowerCase() === caller.user.id.toLowerCase();
  const needFiles = (caller: DriveCaller, drive: SeedDrive) =>
    need(caller, ownDrive(caller, drive) ? scopes.ownFiles : scopes.allFiles);
  const readable = (caller: DriveCaller, item: StoredItem) => store.canReadItem(caller.user.id, item);

  return async function driveApi(c: Context, caller: DriveCaller): Promise<Response> {
    readOnly(c);
    const path = new URL(c.req.url).pathname.slice(prefix.length);
    const segments = path
      .split('/')
      .filter((s, i) => i > 0 || s !== '')
      .map((s) => decodeURIComponent(s));
    if (segments[0] === '') segments.shift();
    const [head, ...rest] = segments;

    if (head === 'me' && rest[0] === 'drive') {
      const drive = store.oneDriveOf(caller.user.id);
      if (!drive) throw driveErrors.notFound();
      return driveRest(c, caller, drive, rest.slice(1));
    }
    if (
      (head === 'me' && rest[0] === 'drives' && rest.length === 1) ||
      (head === 'drives' && rest.length === 0)
    ) {
      need(caller, scopes.ownFiles);
      const drive = store.oneDriveOf(caller.user.id);
      return collection(c, `${base}/$metadata#drives`, drive ? [shapes.drive(drive)] : []);
    }
    if (head === 'drives') {
      const drive = store.drive(rest[0]!);
      if (!drive) throw driveErrors.notFound();
      return driveRest(c, caller, drive, rest.slice(1));
    }
    if (head === 'sites') return sites(c, caller, rest);
    throw graphErrors.noRoute(head ?? '');
  };

  function sites(c: Context, caller: DriveCaller, rest: string[]): Response {
    need(caller, scopes.sites);
    if (rest.length === 0) {
      const search = c.req.query('search');
      if (search === undefined)
        throw driveErrors.invalid('List sites with ?search=<text> (search=* lists every site you may read).');
      const text = search === '*' ? '' : search.toLowerCase();
      const found = store
        .sites()
        .filter((s) => store.canReadSite(caller.user.id, s))
        .filter((s) => `${s.displayName} ${s.path} ${s.description ?? ''}`.toLowerCase().includes(text));
      return collection(c, `${base}/$metadata#sites`, found.map(shapes.site));
    }
    let site: SeedSite | undefined;
    let after: string[];
    const [first, ...more] = rest;
    if (first === 'root') {
      site = store.siteByPath('/');
      after = more;
    } else if (first!.endsWith(':')) {
      // /sites/{hostname}:/sites/marketing[:/drive/...]
      const parts: string[] = [];
      let i = 0;
      for (; i < more.length; i++) {
        const part = more[i]!;
        if (part.endsWith(':')) {
          parts.push(part.slice(0, -1));
          i++;
          break;
        }
        parts.push(part);
      }
      const host = first!.slice(0, -1).split(':')[0]!.toLowerCase();
      site =
        host === hostname.toLowerCase() ? store.siteByPath(`/${parts.filter(Boolean).join('/')}`) : undefined;
      after = more.slice(i);
    } else {
      // `{hostname},{site id},{web id}` or the bare site id.
      const parts = first!.split(',');
      const id = parts.length === 3 ? parts[1]! : parts[0]!;
      site = store.site(id);
      if (site && parts.length === 3 && parts[2]!.toLowerCase() !== site.webId.toLowerCase())
        site = undefined;
      after = more;
    }
    if (!site) throw driveErrors.notFound();
    if (!store.canReadSite(caller.user.id, site)) throw driveErrors.denied();
    const [what, ...tail] = after;
    if (what === undefined) {
      return graphJson(c, { '@odata.context': `${base}/$metadata#sites/$entity`, ...shapes.site(site) });
    }
    const drives = store.drivesOf(site);
    if (what === 'drive') {
      if (!drives[0]) throw driveErrors.notFound();
      return driveRest(c, caller, drives[0], tail);
    }
    if (what === 'drives' && tail.length === 0) {
      return collection(c, `${base}/$metadata#drives`, drives.map(shapes.drive));
    }
    if (what === 'drives') {
      const drive = drives.find((d) => d.id === tail[0]);
      if (!drive) throw driveErrors.notFound();
      return driveRest(c, caller, drive, tail.slice(1));
    }
    throw graphErrors.noRoute(what);
  }

  function driveRest(c: Context, caller: DriveCaller, drive: SeedDrive, rest: string[]): Response {
    needFiles(caller, drive);
    const [head, ...tail] = rest;
    if (head === undefined) {
      if (!store.canReadDrive(caller.user.id, drive)) throw driveErrors.denied();
      return graphJson(c, { '@odata.context': `${base}/$metadata#drives/$entity`, ...shapes.drive(drive) });
    }
    if (head === 'root') return itemRest(c, caller, store.root(drive), tail);
    if (head.startsWith('root:')) {
      // root:/Folder/File.ext[:/children|content|search(...)]
      const parts = [head.slice('root:'.length)];
      let i = 0;
      for (; i < tail.length; i++) {
        const part = tail[i]!;
        if (part.endsWith(':')) {
          parts.push(part.slice(0, -1));
          i++;
          break;
        }
        parts.push(part);
      }
      const item = store.byPath(drive, parts.filter(Boolean).join('/'));
      if (!item) throw driveErrors.notFound();
      return itemRest(c, caller, item, tail.slice(i));
    }
    if (head === 'items' && tail[0]) {
      const item = store.item(drive, tail[0]);
      if (!item) throw driveErrors.notFound();
      return itemRest(c, caller, item, tail.slice(1));
    }
    throw graphErrors.noRoute(head);
  }

  function itemRest(c: Context, caller: DriveCaller, item: StoredItem, rest: string[]): Response {
    if (!readable(caller, item)) throw driveErrors.denied();
    const context = `${base}/$metadata#drives('${item.drive.id}')/items`;
    const [head, ...tail] = rest;
    if (tail.length > 0) throw graphErrors.noRoute(tail[0]!);
    if (head === undefined) {
      const query = readQuery(c, false);
      return graphJson(c, { '@odata.context': `${context}/$entity`, ...project(item, caller, query.select) });
    }
    if (head === 'children') {
      if (!item.isFolder) return collection(c, context, []);
      return itemPage(
        c,
        caller,
        context,
        store.children(item).filter((i) => readable(caller, i)),
      );
    }
    if (head === 'content') {
      if (item.isFolder) throw driveErrors.invalid('The item is a folder: only files have content.');
      const location = signer.url({ driveId: item.drive.id, itemId: item.id, userId: caller.user.id });
      return c.body(null, 302, { Location: location });
    }
    const search = /^search\(q='((?:[^']|'')*)'\)$/.exec(head);
    if (search) {
      const words = search[1]!.replace(/''/g, "'").toLowerCase().split(/\s+/).filter(Boolean);
      const found = store
        .descendants(item)
        .filter((i) => words.every((w) => i.name.toLowerCase().includes(w)))
        .filter((i) => readable(caller, i));
      return itemPage(c, caller, context, found);
    }
    throw graphErrors.noRoute(head);
  }

  function itemPage(c: Context, caller: DriveCaller, context: string, items: StoredItem[]): Response {
    const query = readQuery(c, true);
    let sorted = items;
    if (query.orderBy) {
      const { property, descending } = query.orderBy;
      const key = (i: StoredItem): string | number =>
        property === 'size'
          ? store.size(i)
          : property === 'name'
            ? i.name.toLowerCase()
            : String(shapes.item(i)[property]);
      sorted = [...items].sort((a, b) => {
        const x = key(a);
        const y = key(b);
        const order = x < y ? -1 : x > y ? 1 : 0;
        return descending ? -order : order;
      });
    }
    const slice = sorted.slice(query.skip, query.skip + query.top);
    const body: Json = { '@odata.context': context };
    if (query.skip + query.top < sorted.length) {
      const next = new URL(c.req.url);
      next.searchParams.delete('$skiptoken');
      next.searchParams.set('$skiptoken', encodeSkipToken(query.skip + query.top));
      body['@odata.nextLink'] = graphLink(next);
    }
    body.value = slice.map((i) => project(i, caller, query.select));
    return graphJson(c, body);
  }

  function collection(c: Context, context: string, value: Json[]): Response {
    return graphJson(c, { '@odata.context': context, value });
  }

  /** A driveItem with `$select` applied; files carry a download URL unless `$select` leaves it out. */
  function project(item: StoredItem, caller: DriveCaller, select: string[] | undefined): Json {
    const wantsUrl =
      !select || select.some((s) => s === '@microsoft.graph.downloadUrl' || s === 'content.downloadUrl');
    const full = shapes.item(item, wantsUrl ? caller.user.id : undefined);
    if (!select) return full;
    const out: Json = {};
    for (const property of select) {
      const key = property === 'content.downloadUrl' ? '@microsoft.graph.downloadUrl' : property;
      if (key in full) out[key] = full[key];
    }
    return out;
  }
}

interface ItemQuery {
  select: string[] | undefined;
  top: number;
  skip: number;
  orderBy: { property: string; descending: boolean } | undefined;
}

function readQuery(c: Context, collection: boolean): ItemQuery {
  const q = (name: string) => c.req.query(`$${name}`) ?? c.req.query(name);
  for (const option of ['filter', 'expand', 'search', 'count', 'skip']) {
    if (q(option) !== undefined)
      throw driveErrors.invalid(
        `The emulator does not support $${option} on drive items (use $select, $top and $orderby).`,
      );
  }
  const select = q('select')
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const property of select ?? []) {
    if (!DRIVE_ITEM_PROPERTIES.includes(property))
      throw driveErrors.invalid(
        `Could not find a property named '${property}' on type 'microsoft.graph.driveItem'.`,
      );
  }
  if (!collection) return { select, top: DEFAULT_PAGE, skip: 0, orderBy: undefined };
  const topText = q('top');
  const top = topText === undefined ? DEFAULT_PAGE : Number(topText);
  if (!Number.isInteger(top) || top < 1 || top > MAX_PAGE)
    throw driveErrors.invalid(`Invalid $top '${topText}': use a whole number from 1 to ${MAX_PAGE}.`);
  const skipToken = q('skiptoken');
  const skip = skipToken === undefined ? 0 : decodeSkipToken(skipToken);
  const orderText = q('orderby');
  let orderBy: ItemQuery['orderBy'];
  if (orderText !== undefined) {
    const [property = '', direction = 'asc'] = orderText.trim().split(/\s+/);
    if (
      !['name', 'size', 'lastModifiedDateTime'].includes(property) ||
      !['asc', 'desc'].includes(direction.toLowerCase())
    )
      throw driveErrors.invalid(
        `Invalid $orderby '${orderText}': use name, size or lastModifiedDateTime, then asc or desc.`,
      );
    orderBy = { property, descending: direction.toLowerCase() === 'desc' };
  }
  return { select, top, skip, orderBy };
}
