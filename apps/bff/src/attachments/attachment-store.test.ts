import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AttachmentStore, createAttachmentStore } from './attachment-store';

let dir: string;
let store: AttachmentStore;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gatehouse-store-'));
  store = createAttachmentStore({ dir: join(dir, 'attachments') });
  await store.ensureDir();
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const sha = (data: string) => createHash('sha256').update(data).digest('hex');
const text = async (stream: Readable) => (await buffer(stream)).toString('utf8');

describe('attachment store', () => {
  it('streams into a temporary file and renames it into place with its sha256', async () => {
    const id = randomUUID();
    const writer = await store.createWriter(id);
    await writer.write(new TextEncoder().encode('hello '));
    expect(await store.read(id)).toBeUndefined(); // nothing visible while it is written
    expect(await store.partials()).toHaveLength(1);
    await writer.write(new TextEncoder().encode('world'));
    expect(await writer.finish()).toEqual({ size: 11, sha256: sha('hello world') });
    expect(await store.partials()).toEqual([]);
    const file = await store.read(id);
    expect(file?.size).toBe(11);
    expect(await text(file!.stream(0, 10))).toBe('hello world');
    expect(await text(file!.stream(6, 10))).toBe('world');
  });

  it('restarts from zero (a server that ignored Range) with a fresh hash', async () => {
    const id = randomUUID();
    const writer = await store.createWriter(id);
    await writer.write(new TextEncoder().encode('partial junk'));
    await writer.restart();
    expect(writer.bytes).toBe(0);
    await writer.write(new TextEncoder().encode('abc'));
    expect(await writer.finish()).toEqual({ size: 3, sha256: sha('abc') });
    expect(await text((await store.read(id))!.stream(0, 2))).toBe('abc');
  });

  it('leaves nothing behind when a write is discarded', async () => {
    const id = randomUUID();
    const writer = await store.createWriter(id);
    await writer.write(new Uint8Array(1024));
    await writer.discard();
    await writer.discard();
    expect(await readdir(store.dir)).toEqual([]);
    expect(await store.read(id)).toBeUndefined();
  });

  it('removes only the temporary files of abandoned writers (and stray ones)', async () => {
    const live = randomUUID();
    const dead = randomUUID();
    const liveWriter = await store.createWriter(live);
    const deadWriter = await store.createWriter(dead);
    await deadWriter.write(new Uint8Array(10));
    await deadWriter.release(); // closed as a dying process's file would be, the partial left behind
    await writeFile(join(store.dir, '.partial-garbage'), 'x');
    const removed = await store.removePartials(async (ids) => {
      expect(ids.sort()).toEqual([live, dead, 'garbage'].sort());
      return new Set([dead]);
    });
    expect(removed).toBe(2);
    expect((await store.partials()).map((name) => name.slice(9, 45))).toEqual([live]);
    await liveWriter.discard();
  });

  it('refuses ids that are not attachment ids (no path ever built from input)', async () => {
    await expect(store.createWriter('../etc/passwd')).rejects.toThrow(TypeError);
    expect(await store.read('../../etc/passwd')).toBeUndefined();
  });
});
