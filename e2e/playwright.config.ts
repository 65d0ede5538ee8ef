import { defineConfig } from '@playwright/test';
import { chromiumArgs, chromiumPath } from './support/chromium';

/**
 * End-to-end journeys in Debian's Chromium (never a downloaded browser) against the Entra emulator and
 * the BFF serving the built SPA, both started by `global-setup.ts` on free ports.
 *
 * The `cluster` project runs Gatehouse scaled out: each spec in tests/cluster starts its own BFF
 * processes behind nginx on PostgreSQL (support/cluster.ts), including the smoke journey through nginx.
 */
export default defineConfig({
  outputDir: './test-results',
  globalSetup: './global-setup.ts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 30_000,
  reporter: [['list']],
  use: {
    launchOptions: { executablePath: chromiumPath, args: chromiumArgs },
    viewport: { width: 1280, height: 800 },
    trace: 'retain-on-failure',
  },
  projects: [
    { name: 'journeys', testDir: './tests', testIgnore: '**/cluster/**' },
    { name: 'cluster', testDir: './tests/cluster', timeout: 90_000 },
  ],
});
