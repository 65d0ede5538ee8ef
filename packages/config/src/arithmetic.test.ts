import { describe, expect, it } from 'vitest';
import { evaluateArithmetic } from './arithmetic';

describe('evaluateArithmetic', () => {
  it.each([
    ['900000', 900_000],
    ['1000 * 60 * 15', 900_000],
    ['(1000 * 60 * 60 * 24) * 7', 604_800_000],
    ['1000*60*60*24*7', 604_800_000],
    ['2 + 3 * 4', 14],
    ['(2 + 3) * 4', 20],
    ['10 - 4 - 3', 3],
    ['60 / 2 / 3', 10],
    ['-5 + 10', 5],
    ['1.5 * 1000', 1500],
    ['.5 * 10', 5],
  ])('%s = %d', (text, value) => {
    expect(evaluateArithmetic(text)).toBe(value);
  });

  it.each([
    '',
    'fifteen',
    '15m',
    '1000 *',
    '(1000 * 60',
    '1000 * 60)',
    '1 / 0',
    'Math.pow(2, 10)',
    'process.exit(1)',
    '1e3',
    '0x10',
    '2 ** 10',
  ])('refuses %j', (text) => {
    expect(evaluateArithmetic(text)).toBeUndefined();
  });
});
