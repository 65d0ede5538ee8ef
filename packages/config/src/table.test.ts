import { describe, expect, it } from 'vitest';
import { renderTable, wrap } from './table';

describe('wrap', () => {
  it('breaks at spaces within the width', () => {
    expect(wrap('the quick brown fox jumps', 10)).toEqual(['the quick', 'brown fox', 'jumps']);
  });

  it('keeps a long word whole, on its own line', () => {
    expect(wrap('see https://login.microsoftonline.com/x/v2.0 now', 12)).toEqual([
      'see',
      'https://login.microsoftonline.com/x/v2.0',
      'now',
    ]);
  });

  it('starts a new line at each newline', () => {
    expect(wrap('problem.\nFix: this.', 40)).toEqual(['problem.', 'Fix: this.']);
  });
});

describe('renderTable', () => {
  it('aligns columns and wraps the last one', () => {
    expect(
      renderTable(
        [
          ['A', 'one two three four five six'],
          ['LONGER', 'seven'],
        ],
        { width: 30 },
      ),
    ).toEqual(['  A       one two three four', '          five six', '  LONGER  seven']);
  });

  it('honours minimum widths so that several tables line up', () => {
    expect(renderTable([['A', 'x']], { width: 40, minColumnWidths: [6] })).toEqual(['  A       x']);
  });
});
