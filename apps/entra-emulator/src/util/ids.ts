import { createHash, randomBytes, randomUUID } from 'node:crypto';

/** A stable GUID derived from a name (RFC 4122 version 5 layout), so seeds have fixed, readable ids. */
export function nameGuid(name: string): string {
  const hash = createHash('sha1').update(`gatehouse-emulator:${name}`).digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function guid(): string {
  return randomUUID();
}

/** An unguessable opaque value (codes, refresh tokens, session cookies). */
export function opaque(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export function base64url(input: string | Buffer): string {
  return Buffer.from(input).toString('base64url');
}

export function sha256(input: string): Buffer {
  return createHash('sha256').update(input).digest();
}

export const GUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
