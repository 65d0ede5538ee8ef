/**
 * Attachment bytes on disk, under ATTACHMENTS_DIR: one file per attachment, named by its id. A file
 * is written to `.partial-<id>-<random>` in the same directory, hashed (sha256) as it streams, then
 * fsynced and renamed into place, and the directory fsynced, so a reader never sees half a file and
 * a crash leaves at most a `.partial-` file, which recovery removes. The database row comes after
 * the rename (job worker), so a row always has its bytes.
 */
import { createHash, type Hash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';

const PARTIAL_PREFIX = '.partial-';
/** Attachment ids are UUIDs; nothing else is ever joined to the directory. */
const ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface AttachmentWriter {
  /** Bytes written so far (where a resumed download continues). */
  readonly bytes: number;
  write(chunk: Uint8Array): Promise<void>;
  /** Back to zero bytes (the server answered a resume with the whole file). */
  restart(): Promise<void>;
  /** fsync, close, rename into place, fsync the directory: the file is now complete. */
  finish(): Promise<{ size: number; sha256: string }>;
  /** Closes and deletes the temporary file (idempotent). */
  discard(): Promise<void>;
  /**
   * Closes the file and leaves the temporary file where it is, as a crash would (an abandoned job at
   * shutdown: the next start's sweep removes it). Idempotent.
   */
  release(): Promise<void>;
}

export interface StoredFile {
  size: number;
  /** The bytes `start`..`end` (inclusive), read as they are sent (a Node stream: piped to the client). */
  stream(start: number, end: number): Readable;
}

export interface AttachmentStore {
  readonly dir: string;
  /** Creates the directory (and its parents) when missing. */
  ensureDir(): Promise<void>;
  createWriter(attachmentId: string): Promise<AttachmentWriter>;
  /** The complete file of an attachment, or undefined when it is not on disk. */
  read(attachmentId: string): Promise<StoredFile | undefined>;
  /** Deletes a complete file (a row that could not be written after the rename). */
  remove(attachmentId: string): Promise<void>;
  /** Temporary files whose attachment id `abandoned` says is not being written by a live job: deleted. */
  removePartials(abandoned: (attachmentIds: string[]) => Promise<Set<string>>): Promise<number>;
  /**
   * Complete files whose attachment id `unreferenced` says no row (and no live job) claims: deleted.
   * Asked in batches of at most 500 ids. Names that are not attachment ids are left alone.
   */
  removeUnreferenced(unreferenced: (attachmentIds: string[]) => Promise<Set<string>>): Promise<number>;
  /** The temporary files there are now (tests, diagnostics). */
  partials(): Promise<string[]>;
}

const UNREFERENCED_BATCH = 500;
/** Bytes per disk read when a file is served: fewer, larger socket writes. */
const READ_CHUNK = 256 * 1024;

function checkId(id: string) {
  if (!ID_PATTERN.test(id))
    throw new TypeError(`AttachmentStore: ${JSON.stringify(id)} is not an attachment id.`);
}

export function createAttachmentStore(options: { dir: string }): AttachmentStore {
  if (!options?.dir) throw new TypeError('createAttachmentStore: dir is required.');
  const dir = resolve(options.dir);

  async function syncDir() {
    // Makes the rename durable; some file systems refuse to open a directory for it (ignored).
    const handle = await open(dir, 'r').catch(() => undefined);
    if (!handle) return;
    try {
      await handle.sync();
    } catch {
      // EINVAL/EISDIR on platforms without directory fsync
    } finally {
      await handle.close();
    }
  }

  return {
    dir,

    async ensureDir() {
      await mkdir(dir, { recursive: true, mode: 0o700 });
    },

    async createWriter(attachmentId) {
      checkId(attachmentId);
      const partial = join(dir, `${PARTIAL_PREFIX}${attachmentId}-${randomBytes(6).toString('hex')}`);
      const handle = await open(partial, 'wx', 0o600);
      let hash: Hash = createHash('sha256');
      let bytes = 0;
      let closed = false;
      let finished = false;
      const close = async () => {
        if (closed) return;
        closed = true;
        await handle.close();
      };
      return {
        get bytes() {
          return bytes;
        },
        async write(chunk) {
          let offset = 0;
          while (offset < chunk.byteLength) {
            const { bytesWritten } = await handle.write(
              chunk,
              offset,
              chunk.byteLength - offset,
              bytes + offset,
            );
            offset += bytesWritten;
          }
          hash.update(chunk);
          bytes += chunk.byteLength;
        },
        async restart() {
          await handle.truncate(0);
          hash = createHash('sha256');
          bytes = 0;
        },
        async finish() {
          await handle.sync();
          await close();
          await rename(partial, join(dir, attachmentId));
          finished = true;
          await syncDir();
          return { size: bytes, sha256: hash.digest('hex') };
        },
        async discard() {
          await close().catch(() => {});
          if (!finished) await rm(partial, { force: true });
        },
        async release() {
          await close().catch(() => {});
        },
      };
    },

    async read(attachmentId) {
      if (!ID_PATTERN.test(attachmentId)) return undefined;
      const path = join(dir, attachmentId);
      const info = await stat(path).catch(() => undefined);
      if (!info?.isFile()) return undefined;
      return {
        size: info.size,
        stream: (start, end) => createReadStream(path, { start, end, highWaterMark: READ_CHUNK }),
      };
    },

    async remove(attachmentId) {
      checkId(attachmentId);
      await rm(join(dir, attachmentId), { force: true });
    },

    async removePartials(abandoned) {
      const names = await readdir(dir).catch(() => [] as string[]);
      const partials = names
        .filter((name) => name.startsWith(PARTIAL_PREFIX))
        .map((name) => ({ name, id: name.slice(PARTIAL_PREFIX.length, PARTIAL_PREFIX.length + 36) }));
      if (partials.length === 0) return 0;
      const gone = await abandoned([...new Set(partials.map((p) => p.id))]);
      let removed = 0;
      for (const partial of partials) {
        // A name that carries no attachment id is no writer's: removed too.
        if (ID_PATTERN.test(partial.id) && !gone.has(partial.id)) continue;
        await rm(join(dir, partial.name), { force: true });
        removed += 1;
      }
      return removed;
    },

    async removeUnreferenced(unreferenced) {
      const names = await readdir(dir).catch(() => [] as string[]);
      const ids = names.filter((name) => ID_PATTERN.test(name));
      let removed = 0;
      for (let at = 0; at < ids.length; at += UNREFERENCED_BATCH) {
        const gone = await unreferenced(ids.slice(at, at + UNREFERENCED_BATCH));
        for (const id of gone) {
          if (!ID_PATTERN.test(id)) continue;
          await rm(join(dir, id), { force: true });
          removed += 1;
        }
      }
      return removed;
    },

    async partials() {
      const names = await readdir(dir).catch(() => [] as string[]);
      return names.filter((name) => name.startsWith(PARTIAL_PREFIX));
    },
  };
}
