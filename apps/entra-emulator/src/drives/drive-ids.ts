import { createHash } from 'node:crypto';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** A stable driveItem id shaped like SharePoint's: `01` and 32 base32 characters, from a name. */
export function driveItemId(name: string): string {
  const bytes = createHash('sha1').update(`gatehouse-emulator:driveItem:${name}`).digest();
  let bits = 0;
  let value = 0;
  let out = '01';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}

/** A drive id shaped like SharePoint's: `b!` and the site, web and list GUIDs in base64url. */
export function driveIdOf(siteId: string, webId: string, listId: string): string {
  const bytes = Buffer.concat([siteId, webId, listId].map((g) => Buffer.from(g.replace(/-/g, ''), 'hex')));
  return `b!${bytes.toString('base64url')}`;
}

export const DRIVE_ITEM_ID_PATTERN = /^01[A-Z2-7]{32}$/;
export const DRIVE_ID_PATTERN = /^b![A-Za-z0-9_-]{64}$/;
