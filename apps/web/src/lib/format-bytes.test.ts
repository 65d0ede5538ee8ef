import { describe, expect, it } from 'vitest';
import { formatBytes } from './format-bytes';

describe('formatBytes', () => {
  it('uses binary units with one decimal below 100', () => {
    expect(formatBytes(0, 'en')).toBe('0 bytes');
    expect(formatBytes(1, 'en')).toBe('1 byte');
    expect(formatBytes(1536, 'en')).toBe('1.5 KB');
    expect(formatBytes(256 * 1024 * 1024, 'en')).toBe('256 MB');
    expect(formatBytes(-1, 'en')).toBe('');
  });
});
