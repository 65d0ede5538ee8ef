import { encodeRgbPng, parseColor } from '../../graph/photo';

/** A PNG in the colour, with a lighter diagonal band so it is not one flat colour. */
export function png(width: number, height: number, color: string): Buffer {
  const [r, g, b] = parseColor(color);
  const pixels = Buffer.alloc(width * height * 3);
  const band = Math.max(4, Math.floor(Math.min(width, height) / 6));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const light = Math.abs(x - y) < band;
      const lift = (v: number) => (light ? v + Math.floor((255 - v) / 2) : v);
      pixels.set([lift(r), lift(g), lift(b)], (y * width + x) * 3);
    }
  }
  return encodeRgbPng(width, height, pixels);
}

/**
 * A baseline JPEG, mid-grey: one component, a quantisation table of ones, and Huffman tables with a
 * single one-bit code each, so every 8×8 block is "DC difference 0, end of block" (two zero bits).
 */
export function jpeg(width: number, height: number): Buffer {
  const blocks = Math.ceil(width / 8) * Math.ceil(height / 8);
  const bits = blocks * 2;
  const data = Buffer.alloc(Math.ceil(bits / 8));
  // Pad the last byte with one-bits, as the format requires.
  if (bits % 8 !== 0) data[data.length - 1] = 0xff >> (bits % 8);
  const segment = (marker: number, body: number[]) => {
    const length = body.length + 2;
    return Buffer.from([0xff, marker, length >> 8, length & 0xff, ...body]);
  };
  const huffman = (tableClass: number) => [tableClass << 4, 1, ...new Array(15).fill(0), 0];
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    segment(0xe0, [0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]),
    segment(0xdb, [0, ...new Array(64).fill(1)]),
    segment(0xc0, [8, height >> 8, height & 0xff, width >> 8, width & 0xff, 1, 1, 0x11, 0]),
    segment(0xc4, huffman(0)),
    segment(0xc4, huffman(1)),
    segment(0xda, [1, 1, 0, 0, 63, 0]),
    data,
    Buffer.from([0xff, 0xd9]),
  ]);
}
