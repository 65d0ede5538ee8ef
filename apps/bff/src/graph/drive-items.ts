/**
 * Drive items through Graph, by ids only (picked items and the download proxy): the only reader of
 * driveItem shapes. Ids are checked against the contracts' pattern before they go into a path, and
 * are percent-encoded anyway.
 */
import { driveIdPattern } from '@gatehouse/contracts';
import { AppError } from '../http/errors';
import type { GraphClient } from './graph-client';

export interface DriveItemRef {
  driveId: string;
  itemId: string;
}

export interface DriveItem {
  id: string;
  name: string;
  size: number;
  kind: 'file' | 'folder' | 'other';
  /** Graph's `file.mimeType`, when it is a well-formed type. */
  mimeType: string | undefined;
  /** Hosts Graph itself named for this item (`webUrl`, `@microsoft.graph.downloadUrl`). */
  hosts: string[];
}

const SELECT = 'id,name,size,file,folder,webUrl,@microsoft.graph.downloadUrl';
const MIME_PATTERN = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/i;

function itemPath(ref: DriveItemRef): string {
  if (!driveIdPattern.test(ref.driveId) || !driveIdPattern.test(ref.itemId)) {
    throw new TypeError('driveItemPath: driveId and itemId must be Graph ids.');
  }
  return `/drives/${encodeURIComponent(ref.driveId)}/items/${encodeURIComponent(ref.itemId)}`;
}

function hostOf(value: unknown): string[] {
  if (typeof value !== 'string' || !URL.canParse(value)) return [];
  return [new URL(value).host.toLowerCase()];
}

/** The item's metadata, read with the caller's token (403/404 become `forbidden`/`not_found`). */
export async function readDriveItem(
  graph: GraphClient,
  accessToken: string,
  ref: DriveItemRef,
  signal?: AbortSignal,
): Promise<DriveItem> {
  const body = await graph.json<Record<string, unknown>>(accessToken, {
    path: itemPath(ref),
    query: { $select: SELECT },
    ...(signal ? { signal } : {}),
  });
  const file = body.file as { mimeType?: unknown } | undefined;
  const mimeType =
    typeof file?.mimeType === 'string' && MIME_PATTERN.test(file.mimeType)
      ? file.mimeType.toLowerCase()
      : undefined;
  const size =
    typeof body.size === 'number' && Number.isSafeInteger(body.size) && body.size >= 0 ? body.size : 0;
  return {
    id: String(body.id ?? ref.itemId),
    name: typeof body.name === 'string' && body.name.length > 0 ? body.name : ref.itemId,
    size,
    kind: body.folder ? 'folder' : file ? 'file' : 'other',
    mimeType,
    hosts: [...hostOf(body.webUrl), ...hostOf(body['@microsoft.graph.downloadUrl'])],
  };
}

/**
 * Where Graph sends the item's bytes: `GET …/content` answers 302 with a pre-authenticated URL,
 * returned here unfollowed (the caller checks its host before fetching it, without a bearer).
 */
export async function contentLocation(
  graph: GraphClient,
  accessToken: string,
  ref: DriveItemRef,
  signal?: AbortSignal,
): Promise<URL> {
  const response = await graph.request(accessToken, {
    path: `${itemPath(ref)}/content`,
    acceptRedirect: true,
    ...(signal ? { signal } : {}),
  });
  await response.body?.cancel();
  const location = response.headers.get('location');
  if (response.status < 300 || !location || !URL.canParse(location)) {
    throw new AppError('provider_unavailable', 'Microsoft Graph answered the download without a redirect.', {
      cause: { status: response.status },
    });
  }
  return new URL(location);
}
