import { readFileSync } from 'node:fs';
import dotenv from 'dotenv';

/**
 * Reads a `.env` file the way LibreChat does (dotenv: `#` comments, quotes, `export`). Throws when
 * the file cannot be read; callers decide whether a missing file matters.
 */
export function readEnvFile(path: string): Record<string, string> {
  return dotenv.parse(readFileSync(path));
}

export function parseEnvText(text: string): Record<string, string> {
  return dotenv.parse(text);
}
