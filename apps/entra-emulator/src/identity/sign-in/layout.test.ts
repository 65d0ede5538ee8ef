import { describe, expect, it } from 'vitest';
import { raw } from '../../util/html';
import { layout } from './layout';

const GENERIC = new Set(['serif', 'sans-serif', 'monospace', 'cursive', 'fantasy', 'system-ui']);

describe('emulator page layout', () => {
  it('ends every font list with a generic family, so no page falls back to a serif font', () => {
    const page = layout({ title: 'Sign in', tenantName: 'Contoso', nonce: 'n', body: raw('<p>x</p>') });
    expect(page).not.toContain('&quot;'); // CSS in <style> is raw text: an entity there breaks the rule
    const lists = [...page.matchAll(/font-family:([^;}]+)/g)].map((m) => m[1]?.trim() ?? '');
    expect(lists.length).toBeGreaterThan(0);
    for (const list of lists) {
      const last = list.split(',').at(-1)?.trim() ?? '';
      expect(GENERIC.has(last), `font list "${list}" ends with "${last}"`).toBe(true);
    }
    expect(lists[0]?.endsWith('sans-serif')).toBe(true);
  });
});
