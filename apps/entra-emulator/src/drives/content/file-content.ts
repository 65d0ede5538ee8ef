import type { SeedContent } from '../../seed/types';
import { jpeg, png } from './images';
import { docx, pptx, xlsx } from './office';
import { patternStream } from './pattern';
import { pdf } from './pdf';

export interface FileContent {
  size: number;
  mimeType: string;
  /** Bytes `start`..`end` (inclusive), streamed. */
  stream(start: number, end: number): ReadableStream<Uint8Array>;
}

export const MIME_TYPES = {
  pdf: 'application/pdf',
  png: 'image/png',
  jpeg: 'image/jpeg',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
} as const;

/**
 * A file's bytes from its seed description. Small documents are generated once and kept (they are a
 * few kilobytes); pattern files are generated block by block while they are read, never held whole.
 */
export function createContentCache() {
  const cache = new Map<SeedContent, FileContent>();
  return (content: SeedContent): FileContent => {
    let found = cache.get(content);
    if (!found) {
      found = contentOf(content);
      cache.set(content, found);
    }
    return found;
  };
}

function contentOf(content: SeedContent): FileContent {
  if (content.kind === 'pattern') {
    return {
      size: content.size,
      mimeType: content.mimeType,
      stream: (start, end) => patternStream(content.seed, content.mimeType, start, end),
    };
  }
  const [bytes, mimeType] = small(content);
  return {
    size: bytes.length,
    mimeType,
    stream: (start, end) =>
      new ReadableStream({
        start(controller) {
          if (end >= start) controller.enqueue(new Uint8Array(bytes.subarray(start, end + 1)));
          controller.close();
        },
      }),
  };
}

function small(content: Exclude<SeedContent, { kind: 'pattern' }>): [Buffer, string] {
  switch (content.kind) {
    case 'text':
      return [Buffer.from(content.text, 'utf8'), content.mimeType ?? 'text/plain'];
    case 'pdf':
      return [pdf(content.title, content.lines), MIME_TYPES.pdf];
    case 'png':
      return [png(content.width, content.height, content.color), MIME_TYPES.png];
    case 'jpeg':
      return [jpeg(content.width, content.height), MIME_TYPES.jpeg];
    case 'docx':
      return [docx(content.paragraphs), MIME_TYPES.docx];
    case 'xlsx':
      return [xlsx(content.rows), MIME_TYPES.xlsx];
    case 'pptx':
      return [pptx(content.slides), MIME_TYPES.pptx];
  }
}
