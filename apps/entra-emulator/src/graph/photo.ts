import { crc32, deflateSync } from 'node:zlib';
import type { SeedUser } from '../seed/types';

export const PHOTO_SIZE = 96;

/** 5×7 capitals for the initials drawn on generated profile photos. */
const GLYPHS: Record<string, number[]> = {
  A: [14, 17, 17, 31, 17, 17, 17],
  B: [30, 17, 17, 30, 17, 17, 30],
  C: [14, 17, 16, 16, 16, 17, 14],
  D: [30, 17, 17, 17, 17, 17, 30],
  E: [31, 16, 16, 30, 16, 16, 31],
  F: [31, 16, 16, 30, 16, 16, 16],
  G: [14, 17, 16, 23, 17, 17, 15],
  H: [17, 17, 17, 31, 17, 17, 17],
  I: [14, 4, 4, 4, 4, 4, 14],
  J: [7, 2, 2, 2, 2, 18, 12],
  K: [17, 18, 20, 24, 20, 18, 17],
  L: [16, 16, 16, 16, 16, 16, 31],
  M: [17, 27, 21, 21, 17, 17, 17],
  N: [17, 17, 25, 21, 19, 17, 17],
  O: [14, 17, 17, 17, 17, 17, 14],
  P: [30, 17, 17, 30, 16, 16, 16],
  Q: [14, 17, 17, 17, 21, 18, 13],
  R: [30, 17, 17, 30, 20, 18, 17],
  S: [15, 16, 16, 14, 1, 1, 30],
  T: [31, 4, 4, 4, 4, 4, 4],
  U: [17, 17, 17, 17, 17, 17, 14],
  V: [17, 17, 17, 17, 17, 10, 4],
  W: [17, 17, 17, 21, 21, 21, 10],
  X: [17, 17, 10, 4, 10, 17, 17],
  Y: [17, 17, 10, 4, 4, 4, 4],
  Z: [31, 1, 2, 4, 8, 16, 31],
};

/**
 * A profile photo generated from the user's colour and initials: a 96×96 PNG, made once per user.
 * (Entra stores JPEGs; a PNG keeps the emulator free of image libraries.)
 */
export function createPhotoCache() {
  const cache = new Map<string, Buffer>();
  return (user: SeedUser): Buffer | undefined => {
    if (!user.photoColor) return undefined;
    const key = `${user.id}|${user.photoColor}|${user.displayName}`;
    let png = cache.get(key);
    if (!png) {
      png = renderInitials(initialsOf(user), user.photoColor);
      cache.set(key, png);
    }
    return png;
  };
}

function initialsOf(user: SeedUser): string {
  const parts = [user.givenName, user.surname].filter(Boolean) as string[];
  const source = parts.length > 0 ? parts : user.displayName.split(/\s+/);
  return source
    .map((p) => p[0]?.toUpperCase() ?? '')
    .filter((ch) => ch in GLYPHS)
    .join('')
    .slice(0, 2);
}

function renderInitials(initials: string, color: string): Buffer {
  const size = PHOTO_SIZE;
  const [r, g, b] = parseColor(color);
  const pixels = Buffer.alloc(size * size * 3);
  for (let i = 0; i < size * size; i++) pixels.set([r, g, b], i * 3);
  const scale = 6;
  const gap = scale;
  const width = initials.length * 5 * scale + Math.max(0, initials.length - 1) * gap;
  const left = Math.floor((size - width) / 2);
  const top = Math.floor((size - 7 * scale) / 2);
  [...initials].forEach((ch, index) => {
    const glyph = GLYPHS[ch]!;
    const x0 = left + index * (5 * scale + gap);
    glyph.forEach((row, y) => {
      for (let x = 0; x < 5; x++) {
        if (!(row & (1 << (4 - x)))) continue;
        for (let dy = 0; dy < scale; dy++) {
          for (let dx = 0; dx < scale; dx++) {
            const offset = ((top + y * scale + dy) * size + x0 + x * scale + dx) * 3;
            pixels.set([255, 255, 255], offset);
          }
        }
      }
    });
  });
  return encodeRgbPng(size, size, pixels);
}

/** An 8-bit RGB PNG of `pixels` (3 bytes per pixel, rows top to bottom). */
export function encodeRgbPng(width: number, height: number, pixels: Buffer): Buffer {
  const raw = Buffer.alloc(height * (width * 3 + 1));
  for (let y = 0; y < height; y++)
    pixels.copy(raw, y * (width * 3 + 1) + 1, y * width * 3, (y + 1) * width * 3);
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

export function parseColor(color: string): [number, number, number] {
  const match = /^#?([0-9a-f]{6})$/i.exec(color);
  if (!match) throw new TypeError(`photoColor must be a #rrggbb colour, got "${color}".`);
  const n = Number.parseInt(match[1]!, 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}
