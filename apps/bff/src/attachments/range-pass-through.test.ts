import { describe, expect, it } from 'vitest';
import { passThroughRange } from './range-pass-through';

describe('passThroughRange', () => {
  it.each([
    ['no Range', undefined, undefined, {}],
    ['one range', 'bytes=0-99', undefined, { range: 'bytes=0-99' }],
    ['an open range', ' bytes=100- ', undefined, { range: 'bytes=100-' }],
    ['a suffix range', 'bytes=-500', undefined, { range: 'bytes=-500' }],
    ['several ranges (not passed)', 'bytes=0-1,5-6', undefined, {}],
    ['another unit', 'items=0-1', undefined, {}],
    ['an empty range', 'bytes=-', undefined, {}],
    ['If-Range without Range (dropped)', undefined, '"abc"', {}],
    [
      'Range with an entity tag',
      'bytes=10-',
      '"{8F2C}-1,2"',
      { range: 'bytes=10-', 'if-range': '"{8F2C}-1,2"' },
    ],
    [
      'Range with a date',
      'bytes=10-',
      'Wed, 21 Oct 2026 07:28:00 GMT',
      { range: 'bytes=10-', 'if-range': 'Wed, 21 Oct 2026 07:28:00 GMT' },
    ],
    ['a weak tag (never matches: dropped)', 'bytes=10-', 'W/"abc"', { range: 'bytes=10-' }],
    ['a header injection attempt', 'bytes=10-', '"a"\r\nx-evil: 1', { range: 'bytes=10-' }],
  ])('%s', (_, range, ifRange, expected) => {
    expect(passThroughRange(range, ifRange)).toEqual(expected);
  });
});
