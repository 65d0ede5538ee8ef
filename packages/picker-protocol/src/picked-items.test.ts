import { describe, expect, it } from 'vitest';
import { pickedItemRefs } from './picked-items';

const driveId = 'b!W4aBxKqlT6477cv7gQaVS3SnQlizM';
const item = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  parentReference: { driveId },
  name: 'Budget.xlsx',
  size: 43520,
  ...extra,
});

describe('pickedItemRefs', () => {
  it('keeps only drive and item ids, whatever URLs and names the picker forged', () => {
    const result = pickedItemRefs([
      item('01PVONFUV3OF5ETUX45FF2PSDL3KWXUKAZ', {
        '@sharePoint.endpoint': 'https://evil.test/_api/v2.0',
        '@microsoft.graph.downloadUrl': 'https://evil.test/steal',
        webUrl: 'https://evil.test/doc',
        downloadUrl: 'https://evil.test/x',
        name: '<img src=x onerror=alert(1)>',
        parentReference: { driveId, siteUrl: 'https://evil.test' },
      }),
    ]);
    expect(result).toEqual({ ok: true, items: [{ driveId, itemId: '01PVONFUV3OF5ETUX45FF2PSDL3KWXUKAZ' }] });
  });

  it('attaches a duplicate once', () => {
    const result = pickedItemRefs([item('01A'), item('01A'), item('01B')]);
    expect(result).toEqual({
      ok: true,
      items: [
        { driveId, itemId: '01A' },
        { driveId, itemId: '01B' },
      ],
    });
  });

  it('refuses the whole pick when one item has no usable ids', () => {
    for (const bad of [
      { id: '01A' },
      { parentReference: { driveId } },
      item('../../me/drive/root'),
      item('01A?$select=x'),
      item('01A#x'),
      item('%2e%2e'),
      item(''),
      item('x'.repeat(513)),
      { id: 1, parentReference: { driveId } },
      { id: '01A', parentReference: { driveId: 'b!x/y' } },
      { id: '01A', parentReference: 'b!x' },
      null,
      'b!x/01A',
    ]) {
      expect(pickedItemRefs([item('01OK'), bad]).ok, JSON.stringify(bad)).toBe(false);
    }
  });

  it('refuses no items, a non-array and more than the limit', () => {
    expect(pickedItemRefs([])).toEqual({ ok: false, problem: 'the pick has no items' });
    expect(pickedItemRefs({ 0: item('01A') }).ok).toBe(false);
    expect(pickedItemRefs(undefined).ok).toBe(false);
    const many = Array.from({ length: 21 }, (_, i) => item(`01A${i}`));
    expect(pickedItemRefs(many)).toEqual({ ok: false, problem: 'pick at most 20 files at a time' });
    expect(pickedItemRefs(many.slice(0, 3), 2).ok).toBe(false);
  });
});
