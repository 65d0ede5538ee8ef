/** Plain-text tables for the doctor: fixed columns, cells word-wrapped to fit the terminal. */

export interface TableOptions {
  /** Total width of a line, indentation included. */
  width: number;
  indent?: number;
  /** Upper bounds per column; the last column takes whatever width is left. */
  maxColumnWidths?: readonly number[];
  /** Lower bounds per column, to line up several tables. */
  minColumnWidths?: readonly number[];
}

export function renderTable(rows: readonly (readonly string[])[], options: TableOptions): string[] {
  const indent = ' '.repeat(options.indent ?? 2);
  const gap = '  ';
  const columns = Math.max(0, ...rows.map((row) => row.length));
  if (columns === 0) return [];
  const widths: number[] = [];
  for (let column = 0; column < columns - 1; column++) {
    const longest = Math.max(0, ...rows.map((row) => visibleLength(row[column] ?? '')));
    const width = Math.max(longest, options.minColumnWidths?.[column] ?? 0);
    widths.push(Math.min(width, options.maxColumnWidths?.[column] ?? width));
  }
  const used = indent.length + widths.reduce((sum, width) => sum + width + gap.length, 0);
  widths.push(Math.max(20, options.width - used));

  const lines: string[] = [];
  for (const row of rows) {
    const cells = widths.map((width, column) => wrap(row[column] ?? '', width));
    const height = Math.max(...cells.map((cell) => cell.length));
    for (let line = 0; line < height; line++) {
      const parts = cells.map((cell, column) => {
        const text = cell[line] ?? '';
        return column === cells.length - 1
          ? text
          : text + ' '.repeat(Math.max(0, (widths[column] ?? 0) - visibleLength(text)));
      });
      lines.push((indent + parts.join(gap)).trimEnd());
    }
  }
  return lines;
}

/**
 * Splits text into lines of at most `width` visible characters at newlines and spaces. A word longer
 * than a line (a URL, typically) gets a line of its own and is not cut, so it can still be copied.
 */
export function wrap(text: string, width: number): string[] {
  if (text.includes('\n')) return text.split('\n').flatMap((paragraph) => wrap(paragraph, width));
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/ +/)) {
    if (!line) line = word;
    else if (visibleLength(line) + 1 + visibleLength(word) <= width) line += ` ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  }
  lines.push(line);
  return lines;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: matches ANSI colour sequences on purpose.
const ansi = /\u001b\[[0-9;]*m/g;

function visibleLength(text: string): number {
  return text.replace(ansi, '').length;
}
