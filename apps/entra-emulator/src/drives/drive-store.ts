import type { Directory } from '../directory/directory';
import type { Seed, SeedDrive, SeedDriveItem, SeedSite } from '../seed/types';
import { createContentCache, type FileContent } from './content/file-content';

/** An item as the routes see it: the seed's item (or a drive's root) with its drive and path. */
export interface StoredItem {
  id: string;
  name: string;
  drive: SeedDrive;
  /** Undefined for the root. */
  parentId: string | undefined;
  /** Path from the root, `''` for the root itself, `/Brand/Logo.png` for a file. */
  path: string;
  seed: SeedDriveItem | undefined;
  isFolder: boolean;
}

/**
 * SharePoint's content over the seed: sites, their libraries and OneDrives, item lookups by id and by
 * path, and who may read what. Readers set through the control API override the seed until `reset()`.
 */
export interface DriveStore {
  /** Sites listed to the user (personal sites are not listed, as in SharePoint search). */
  sites(): readonly SeedSite[];
  site(id: string): SeedSite | undefined;
  siteByPath(path: string): SeedSite | undefined;
  drive(id: string): SeedDrive | undefined;
  drivesOf(site: SeedSite): SeedDrive[];
  siteOf(drive: SeedDrive): SeedSite;
  oneDriveOf(userId: string): SeedDrive | undefined;
  item(drive: SeedDrive, itemId: string): StoredItem | undefined;
  root(drive: SeedDrive): StoredItem;
  byPath(drive: SeedDrive, path: string): StoredItem | undefined;
  children(item: StoredItem): StoredItem[];
  descendants(item: StoredItem): StoredItem[];
  content(item: StoredItem): FileContent | undefined;
  /** A file's size, or the sum of what a folder holds. */
  size(item: StoredItem): number;
  canReadSite(userId: string, site: SeedSite): boolean;
  canReadDrive(userId: string, drive: SeedDrive): boolean;
  canReadItem(userId: string, item: StoredItem): boolean;
  /** Control API: only these users or groups may read the item (undefined: back to the seed's rule). */
  setReaders(itemId: string, readers: string[] | undefined): void;
  /** An item in any drive, by id. */
  findItem(itemId: string): StoredItem | undefined;
  reset(): void;
}

export function createDriveStore(seed: Seed, directory: Directory): DriveStore {
  const sites = seed.sites ?? [];
  const drives = seed.drives ?? [];
  const contentOf = createContentCache();
  const sitesById = new Map(sites.map((s) => [s.id.toLowerCase(), s]));
  const drivesById = new Map(drives.map((d) => [d.id, d]));
  const items = new Map<string, StoredItem>();
  const childrenOf = new Map<string, StoredItem[]>();
  const roots = new Map<string, StoredItem>();
  let overrides = new Map<string, string[]>();

  for (const drive of drives) {
    const root: StoredItem = {
      id: drive.rootId,
      name: 'root',
      drive,
      parentId: undefined,
      path: '',
      seed: undefined,
      isFolder: true,
    };
    roots.set(drive.id, root);
    items.set(root.id, root);
    childrenOf.set(root.id, []);
    // Parents come before their children in the seed (validate-seed checks it).
    for (const seedItem of drive.items) {
      const parent = items.get(seedItem.parentId ?? drive.rootId)!;
      const stored: StoredItem = {
        id: seedItem.id,
        name: seedItem.name,
        drive,
        parentId: parent.id,
        path: `${parent.path}/${seedItem.name}`,
        seed: seedItem,
        isFolder: !seedItem.content,
      };
      items.set(stored.id, stored);
      childrenOf.get(parent.id)!.push(stored);
      if (stored.isFolder) childrenOf.set(stored.id, []);
    }
  }

  const inPrincipals = (userId: string, principals: readonly string[]) => {
    const ids = new Set(principals.map((p) => p.toLowerCase()));
    if (ids.has(userId.toLowerCase())) return true;
    return directory.transitiveMemberOf(userId).some((g) => ids.has(g.id.toLowerCase()));
  };

  const store: DriveStore = {
    sites: () => sites.filter((s) => !s.ownerId),
    site: (id) => sitesById.get(id.toLowerCase()),
    siteByPath: (path) => {
      const wanted = path.replace(/\/+$/, '').toLowerCase() || '/';
      return sites.find((s) => s.path.toLowerCase() === wanted);
    },
    drive: (id) => drivesById.get(id),
    drivesOf: (site) => drives.filter((d) => d.siteId.toLowerCase() === site.id.toLowerCase()),
    siteOf: (drive) => sitesById.get(drive.siteId.toLowerCase())!,
    oneDriveOf: (userId) =>
      drives.find(
        (d) => sitesById.get(d.siteId.toLowerCase())?.ownerId?.toLowerCase() === userId.toLowerCase(),
      ),
    item: (drive, itemId) => {
      const found = items.get(itemId.toUpperCase());
      return found && found.drive.id === drive.id ? found : undefined;
    },
    findItem: (itemId) => items.get(itemId.toUpperCase()),
    root: (drive) => roots.get(drive.id)!,
    byPath(drive, path) {
      let current: StoredItem | undefined = roots.get(drive.id)!;
      for (const part of path.split('/').filter(Boolean)) {
        current = childrenOf.get(current.id)?.find((c) => c.name.toLowerCase() === part.toLowerCase());
        if (!current) return undefined;
      }
      return current;
    },
    children: (item) => childrenOf.get(item.id) ?? [],
    descendants(item) {
      const out: StoredItem[] = [];
      const walk = (from: StoredItem) => {
        for (const child of childrenOf.get(from.id) ?? []) {
          out.push(child);
          walk(child);
        }
      };
      walk(item);
      return out;
    },
    content: (item) => (item.seed?.content ? contentOf(item.seed.content) : undefined),
    size(item) {
      if (!item.isFolder) return store.content(item)!.size;
      return store.descendants(item).reduce((sum, d) => sum + (d.isFolder ? 0 : store.content(d)!.size), 0);
    },
    canReadSite(userId, site) {
      // Sites belong to the home tenant: people of another organisation read none of them.
      if (directory.tenantOf(userId)?.id !== seed.tenant.id) return false;
      if (site.ownerId) return site.ownerId.toLowerCase() === userId.toLowerCase();
      if (site.groupId) {
        return (
          inPrincipals(userId, [site.groupId]) ||
          directory.owners(site.groupId).some((o) => o.id.toLowerCase() === userId.toLowerCase())
        );
      }
      return true;
    },
    canReadDrive: (userId, drive) => store.canReadSite(userId, store.siteOf(drive)),
    canReadItem(userId, item) {
      const site = store.siteOf(item.drive);
      // A OneDrive's owner reads everything in it.
      if (site.ownerId?.toLowerCase() === userId.toLowerCase()) return true;
      for (let current: StoredItem | undefined = item; current; ) {
        const readers = overrides.get(current.id) ?? current.seed?.readers;
        if (readers) return inPrincipals(userId, readers);
        current = current.parentId ? items.get(current.parentId) : undefined;
      }
      return store.canReadSite(userId, site);
    },
    setReaders(itemId, readers) {
      const item = items.get(itemId.toUpperCase());
      if (!item) throw new TypeError(`No drive item "${itemId}" in the emulator's seed.`);
      if (readers === undefined) overrides.delete(item.id);
      else overrides.set(item.id, readers);
    },
    reset() {
      overrides = new Map();
    },
  };
  return store;
}
