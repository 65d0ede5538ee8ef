import { describe, expect, it } from 'vitest';
import {
  attachFromSharepointRequestSchema,
  attachmentJobSchema,
  sharepointTokenResponseSchema,
} from './attachments';

const driveId = 'b!W4aBxKqlT6477cv7gQaVS3SnQlizM';
const itemId = '01PVONFUV3OF5ETUX45FF2PSDL3KWXUKAZ';

describe('attachFromSharepointRequestSchema', () => {
  it('takes 1 to 20 items by drive and item id', () => {
    expect(attachFromSharepointRequestSchema.parse({ items: [{ driveId, itemId }] })).toEqual({
      items: [{ driveId, itemId }],
    });
    expect(attachFromSharepointRequestSchema.safeParse({ items: [] }).success).toBe(false);
    const many = Array.from({ length: 21 }, () => ({ driveId, itemId }));
    expect(attachFromSharepointRequestSchema.safeParse({ items: many }).success).toBe(false);
  });

  it('refuses ids that would change the shape of a Graph URL, and drops anything but the ids', () => {
    for (const bad of ['../root', 'a/b', 'x?y', 'x#y', '%2e%2e', 'has space', '']) {
      const result = attachFromSharepointRequestSchema.safeParse({ items: [{ driveId, itemId: bad }] });
      expect(result.success, bad).toBe(false);
    }
    const parsed = attachFromSharepointRequestSchema.parse({
      items: [{ driveId, itemId, downloadUrl: 'https://evil.test/x', name: 'x' }],
    });
    expect(parsed.items[0]).toEqual({ driveId, itemId });
  });
});

describe('job and token shapes', () => {
  it('parses a job with a failed file and its reason', () => {
    const job = attachmentJobSchema.parse({
      state: 'done',
      files: [
        {
          driveId,
          itemId,
          name: 'Plan.pdf',
          bytesDone: 0,
          bytesTotal: 10,
          state: 'failed',
          error: { code: 'too_large', message: 'over 100 MiB' },
        },
      ],
    });
    expect(job.files[0]?.error?.code).toBe('too_large');
    expect(
      attachmentJobSchema.safeParse({ state: 'done', files: [{ ...job.files[0], state: 'x' }] }).success,
    ).toBe(false);
  });

  it('wants an ISO 8601 expiry on the picker token', () => {
    expect(
      sharepointTokenResponseSchema.safeParse({ accessToken: 't', expiresOn: '2026-12-03T18:00:00.000Z' })
        .success,
    ).toBe(true);
    expect(sharepointTokenResponseSchema.safeParse({ accessToken: 't', expiresOn: 3600 }).success).toBe(
      false,
    );
  });
});
