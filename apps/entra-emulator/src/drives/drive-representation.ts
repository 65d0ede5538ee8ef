import type { Directory } from '../directory/directory';
import type { SeedDrive, SeedSite } from '../seed/types';
import { nameGuid } from '../util/ids';
import type { DownloadSigner } from './download-token';
import type { DriveStore, StoredItem } from './drive-store';

export type Json = Record<string, unknown>;

/** Properties a driveItem may be `$select`ed by (plus the download URL annotations). */
export const DRIVE_ITEM_PROPERTIES = [
  'id',
  'name',
  'size',
  'eTag',
  'cTag',
  'createdDateTime',
  'lastModifiedDateTime',
  'webUrl',
  'createdBy',
  'lastModifiedBy',
  'parentReference',
  'file',
  'folder',
  'root',
  'fileSystemInfo',
  'sharepointIds',
  'webDavUrl',
  '@microsoft.graph.downloadUrl',
  'content.downloadUrl',
];

export interface DriveShapes {
  /** Graph's site id: `{hostname},{site collection id},{web id}`. */
  siteId(site: SeedSite): string;
  site(site: SeedSite): Json;
  drive(drive: SeedDrive): Json;
  /** A driveItem; files get a download URL for `userId` when it is given. */
  item(item: StoredItem, downloadFor?: string): Json;
}

export function createDriveShapes(deps: {
  store: DriveStore;
  directory: Directory;
  sharepointUrl: string;
  signer: DownloadSigner;
}): DriveShapes {
  const { store, directory, sharepointUrl, signer } = deps;
  const hostname = new URL(sharepointUrl).hostname;
  const siteUrl = (site: SeedSite) => `${sharepointUrl}${site.path === '/' ? '' : encodePath(site.path)}`;
  // SharePoint names a site library's folder "Shared Documents" and a OneDrive's "Documents".
  const libraryUrl = (drive: SeedDrive) => {
    const site = store.siteOf(drive);
    return `${siteUrl(site)}/${site.ownerId ? 'Documents' : 'Shared%20Documents'}`;
  };
  const identity = (userId: string) => {
    const user = directory.findUser(userId);
    return {
      user: {
        email: user?.mail ?? user?.userPrincipalName,
        id: userId,
        displayName: user?.displayName ?? 'System Account',
      },
    };
  };
  const driveType = (drive: SeedDrive) => (store.siteOf(drive).ownerId ? 'business' : 'documentLibrary');
  const uniqueId = (item: StoredItem) => nameGuid(`listItem:${item.id}`).toUpperCase();
  const modified = (item: StoredItem) =>
    item.seed?.lastModifiedDateTime ??
    item.drive.items[0]?.lastModifiedDateTime ??
    '2026-01-12T09:00:00.000Z';
  const created = (item: StoredItem) =>
    new Date(Date.parse(modified(item)) - 30 * 24 * 3600_000).toISOString();
  const author = (item: StoredItem) =>
    item.seed?.createdBy ?? store.siteOf(item.drive).ownerId ?? item.drive.items[0]?.createdBy ?? '';
  const sharepointIds = (item: StoredItem) => {
    const site = store.siteOf(item.drive);
    return {
      listId: item.drive.listId,
      listItemUniqueId: uniqueId(item),
      siteId: site.id,
      siteUrl: siteUrl(site),
      tenantId: directory.tenant.id,
      webId: site.webId,
    };
  };

  const shapes: DriveShapes = {
    siteId: (site) => `${hostname},${site.id},${site.webId}`,
    site(site) {
      const segments = site.path.split('/').filter(Boolean);
      return {
        id: shapes.siteId(site),
        name: segments.at(-1) ?? hostname,
        displayName: site.displayName,
        description: site.description ?? '',
        webUrl: siteUrl(site),
        createdDateTime: '2025-06-01T09:00:00Z',
        lastModifiedDateTime: '2026-01-12T09:00:00Z',
        siteCollection: { hostname },
        ...(site.path === '/' ? { root: {} } : {}),
      };
    },
    drive(drive) {
      const site = store.siteOf(drive);
      const group = site.groupId ? directory.findGroup(site.groupId) : undefined;
      const root = store.root(drive);
      const used = store.size(root);
      const total = 1024 ** 4;
      return {
        id: drive.id,
        driveType: driveType(drive),
        name: drive.name,
        description: '',
        webUrl: libraryUrl(drive),
        createdDateTime: created(root),
        lastModifiedDateTime: modified(root),
        createdBy: { user: { displayName: 'System Account' } },
        owner: site.ownerId
          ? identity(site.ownerId)
          : group
            ? { group: { id: group.id, displayName: group.displayName, email: group.mail } }
            : { user: { displayName: 'System Account' } },
        quota: { deleted: 0, remaining: total - used, state: 'normal', total, used },
      };
    },
    item(item, downloadFor) {
      const content = store.content(item);
      const parent = item.parentId ? store.findItem(item.parentId) : undefined;
      const site = store.siteOf(item.drive);
      const url = item.path ? `${libraryUrl(item.drive)}${encodePath(item.path)}` : libraryUrl(item.drive);
      const out: Json = {
        ...(content && downloadFor
          ? {
              '@microsoft.graph.downloadUrl': signer.url({
                driveId: item.drive.id,
                itemId: item.id,
                userId: downloadFor,
              }),
            }
          : {}),
        createdDateTime: created(item),
        eTag: `"{${uniqueId(item)}},1"`,
        id: item.id,
        lastModifiedDateTime: modified(item),
        name: item.name,
        webUrl: url,
        ...(content ? { cTag: `"c:{${uniqueId(item)}},1"` } : {}),
        size: store.size(item),
        createdBy: identity(author(item)),
        lastModifiedBy: identity(author(item)),
        parentReference: {
          driveType: driveType(item.drive),
          driveId: item.drive.id,
          ...(parent
            ? {
                id: parent.id,
                name: parent.path ? parent.name : item.drive.name,
                path: `/drives/${item.drive.id}/root:${encodePath(parent.path)}`,
              }
            : {}),
          siteId: shapes.siteId(site),
        },
        fileSystemInfo: { createdDateTime: created(item), lastModifiedDateTime: modified(item) },
        ...(content
          ? { file: { mimeType: content.mimeType } }
          : { folder: { childCount: store.children(item).length } }),
        ...(item.path ? {} : { root: {} }),
        sharepointIds: sharepointIds(item),
        webDavUrl: url,
      };
      return out;
    },
  };
  return shapes;
}

function encodePath(path: string): string {
  return path
    .split('/')
    .map((s) => encodeURIComponent(s))
    .join('/');
}
