import { describe, expect, it } from 'vitest';
import { isoDate } from './iso-date';

const LAST_FOUR_DIGIT_YEAR_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

describe('isoDate', () => {
  it('writes what Date#toISOString writes, at the edges of days, months, years and leap years', () => {
    const times = [0, 1, 999, 1000, 59_999, 86_399_999, 86_400_000, LAST_FOUR_DIGIT_YEAR_MS];
    for (const year of [1970, 1972, 1999, 2000, 2024, 2026, 2100, 2400, 9999]) {
      for (const [month, day] of [
        [0, 1],
        [1, 28],
        [1, 29],
        [2, 1],
        [11, 31],
      ] as const) {
        const start = Date.UTC(year, month, day);
        times.push(start, start - 1, start + 86_399_999);
      }
    }
    for (const ms of times) expect(isoDate(ms), String(ms)).toBe(new Date(ms).toISOString());
  });

  it('writes what Date#toISOString writes for 100 000 times spread over 1970 to 9999', () => {
    // A fixed linear congruential sequence, so a failure names a value that can be replayed.
    let seed = 12_345;
    for (let i = 0; i < 100_000; i++) {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      const ms = Math.floor((seed / 2 ** 31) * LAST_FOUR_DIGIT_YEAR_MS);
      expect(isoDate(ms), String(ms)).toBe(new Date(ms).toISOString());
    }
  });

  it('leaves times outside whole milliseconds of 1970 to 9999 to Date, errors included', () => {
    for (const ms of [-1, -86_400_001, 1.5, LAST_FOUR_DIGIT_YEAR_MS + 1, 8.64e15]) {
      expect(isoDate(ms)).toBe(new Date(ms).toISOString());
    }
    expect(() => isoDate(Number.NaN)).toThrow(RangeError);
    expect(() => isoDate(8.64e15 + 1)).toThrow(RangeError);
  });
});
