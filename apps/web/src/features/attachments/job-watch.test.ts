import type { AttachmentJob } from '@gatehouse/contracts';
import { describe, expect, it } from 'vitest';
import { createApiClient } from '../../lib/api-client';
import { adele } from '../../testing/data';
import { attachmentsBff, seedDriveFile } from '../../testing/mocks/attachments-bff';
import { bff } from '../../testing/mocks/bff';
import { type EventSourceLike, watchAttachmentJob } from './job-watch';

const ref = { driveId: 'b!drive', itemId: '01ITEM' };
const job = (state: AttachmentJob['state'], bytesDone: number): AttachmentJob => ({
  state,
  files: [
    { ...ref, name: 'a.txt', bytesDone, bytesTotal: 10, state: state === 'done' ? 'done' : 'downloading' },
  ],
});

function fakeEventSources() {
  const opened: Array<EventSourceLike & { url: string; closed: boolean }> = [];
  const factory = (url: string) => {
    const source = {
      url,
      closed: false,
      onmessage: null,
      onerror: null,
      close() {
        source.closed = true;
      },
    } as EventSourceLike & { url: string; closed: boolean };
    opened.push(source);
    return source;
  };
  return { opened, factory };
}

describe('watchAttachmentJob', () => {
  it('follows the job over server-sent events and closes the stream when it is done', () => {
    const { opened, factory } = fakeEventSources();
    const updates: AttachmentJob[] = [];
    watchAttachmentJob(
      'job-7',
      { api: createApiClient({ baseUrl: 'http://localhost:3080' }), eventSource: factory },
      { onUpdate: (update) => updates.push(update), onError: () => {} },
    );
    const [source] = opened;
    expect(source?.url).toBe('/api/attachment-jobs/job-7/events');
    source?.onmessage?.({ data: JSON.stringify(job('running', 5)) });
    source?.onmessage?.({ data: JSON.stringify(job('done', 10)) });
    expect(updates.map((update) => update.files[0]?.bytesDone)).toEqual([5, 10]);
    expect(source?.closed).toBe(true);
    expect(bff.requests).toEqual([]);
  });

  it('falls back to polling GET when the stream fails or sends something else', async () => {
    bff.session = adele();
    seedDriveFile(ref, { name: 'a.txt', size: 10, contentType: 'text/plain' });
    attachmentsBff.jobs.push({
      id: 'job-1',
      ownerId: 'u-adele',
      conversationId: 'c-1',
      steps: [],
      job: {
        state: 'queued',
        files: [{ ...ref, name: 'a.txt', bytesDone: 0, bytesTotal: 10, state: 'queued' }],
      },
    });
    for (const breakIt of [
      (source: EventSourceLike) => source.onerror?.({}),
      (source: EventSourceLike) => source.onmessage?.({ data: '{"state":"exploded"}' }),
    ]) {
      const { opened, factory } = fakeEventSources();
      const done = new Promise<AttachmentJob>((resolve, reject) => {
        watchAttachmentJob(
          'job-1',
          { api: createApiClient({ baseUrl: 'http://localhost:3080' }), eventSource: factory, pollMs: 5 },
          { onUpdate: (update) => update.state === 'done' && resolve(update), onError: reject },
        );
      });
      const [source] = opened;
      if (source) breakIt(source);
      expect(source?.closed).toBe(true);
      expect((await done).files[0]?.state).toBe('done');
      attachmentsBff.jobs[0] = {
        ...(attachmentsBff.jobs[0] as (typeof attachmentsBff.jobs)[number]),
        steps: [],
      };
      const first = attachmentsBff.jobs[0];
      if (first)
        first.job = {
          state: 'queued',
          files: [{ ...ref, name: 'a.txt', bytesDone: 0, bytesTotal: 10, state: 'queued' }],
        };
    }
    expect(
      bff.requests.every((request) => request.path === '/api/attachment-jobs/job-1' && request.csrf === '1'),
    ).toBe(true);
  });

  it('stops and says so when polling fails too', async () => {
    const error = await new Promise<unknown>((resolve) => {
      watchAttachmentJob(
        'job-404',
        { api: createApiClient({ baseUrl: 'http://localhost:3080' }), eventSource: null, pollMs: 5 },
        { onUpdate: () => {}, onError: resolve },
      );
    });
    expect(error).toMatchObject({ code: 'login_required' });
  });
});
