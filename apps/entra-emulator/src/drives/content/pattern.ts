import { createHash } from 'node:crypto';

/** Pattern files are made of 1 MiB blocks: one pseudo-random block per seed, stamped with its index. */
export const PATTERN_BLOCK = 1024 * 1024;

const blocks = new Map<string, Buffer>();

function baseBlock(seed: string): Buffer {
  let block = blocks.get(seed);
  if (!block) {
    block = Buffer.alloc(PATTERN_BLOCK);
    let x = createHash('sha256').update(seed).digest().readUInt32LE(0) || 1;
    // xorshift32: fast, and the same on every machine.
    for (let i = 0; i < PATTERN_BLOCK; i += 4) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      block.writeUInt32LE(x >>> 0, i);
    }
    blocks.set(seed, block);
  }
  return block;
}

/** An MP4 file-type box, so a video's first bytes look like one. */
const MP4_HEADER = Buffer.from('000000186674797069736f6d0000020069736f6d6d703431', 'hex');

/**
 * Block `index` of a pattern file: the seed's block with the index in its first 8 bytes (so a block
 * served at the wrong offset is noticed), and an `ftyp` box first in a video.
 */
export function patternBlock(seed: string, index: number, mimeType: string): Buffer {
  const block = Buffer.from(baseBlock(seed));
  if (index === 0 && mimeType === 'video/mp4') MP4_HEADER.copy(block, 0);
  else block.writeBigUInt64BE(BigInt(index), 0);
  return block;
}

/** Bytes `start`..`end` (inclusive) of a pattern file, one block at a time, as the reader pulls them. */
export function patternStream(
  seed: string,
  mimeType: string,
  start: number,
  end: number,
): ReadableStream<Uint8Array> {
  let position = start;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (position > end) {
        controller.close();
        return;
      }
      const index = Math.floor(position / PATTERN_BLOCK);
      const from = position - index * PATTERN_BLOCK;
      const to = Math.min(PATTERN_BLOCK, end - index * PATTERN_BLOCK + 1);
      controller.enqueue(patternBlock(seed, index, mimeType).subarray(from, to));
      position += to - from;
    },
  });
}
