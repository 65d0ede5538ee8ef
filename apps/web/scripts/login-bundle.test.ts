import { describe, expect, it } from 'vitest';
import { routeFirstLoadFiles } from './login-bundle';

describe('routeFirstLoadFiles', () => {
  const manifest = {
    'index.html': { file: 'assets/index.js', isEntry: true, imports: ['_react.js', '_msal.js'] },
    '_react.js': { file: 'assets/react.js' },
    '_msal.js': { file: 'assets/msal.js', imports: ['_react.js'] },
    'src/app/routes/login.tsx': { file: 'assets/login.js', imports: ['_ui.js', '_react.js'] },
    '_ui.js': { file: 'assets/ui.js' },
    'src/app/routes/app/root.tsx': { file: 'assets/root.js', imports: ['_shell.js'] },
    '_shell.js': { file: 'assets/shell.js' },
  };

  it('counts the entry, the route chunk and their static imports, once each, not other routes', () => {
    expect(routeFirstLoadFiles(manifest, 'src/app/routes/login.tsx')).toEqual([
      'assets/index.js',
      'assets/login.js',
      'assets/msal.js',
      'assets/react.js',
      'assets/ui.js',
    ]);
  });

  it('says what is missing', () => {
    expect(() => routeFirstLoadFiles(manifest, 'src/nope.tsx')).toThrow(/no chunk for src\/nope.tsx/);
    expect(() => routeFirstLoadFiles({}, 'x')).toThrow(/no entry chunk/);
  });
});
