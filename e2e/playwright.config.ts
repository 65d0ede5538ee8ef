import { defineConfig } from '@playwright/test';
import { chromiumArgs, chromiumPath } from './support/chromium';

/**
 * End-to-end journeys in Debian's Chromium (never a downloaded browser) against the Entra emulator and
 * the BFF serving the built SPA, both started by `global-setup.ts` on free ports.
 *
 * The `cluster` project runs Gatehouse scaled out: each spec in tests/cluster starts its own BFF
 * processes behind nginx on PostgreSQL (support/cluster.ts). The `smoke-nginx` project runs the smoke
 * journeys (the sign-in page with its production headers, signing in and out) against two
 * production BFF processes behind nginx, started by `cluster-setup.ts`: its `baseURL` is what
 * `appUrl()` answers there. (Workers load this file after the global setups ran, so the variable is
 * set by then.)
 */
export default defineConfig({
  outputDir: './test-results',
  globalSetup: ['./global-setup.ts', './cluster-setup.ts'],
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 30_000,
  // A hung run fails in CI's log with what was running, instead of sitting until CI's own limit.
  globalTimeout: 30 * 60_000,
  reporter: [['list']],
  use: {
    launchOptions: { executablePath: chromiumPath, args: chromiumArgs },
    viewport: { width: 1280, height: 800 },
    trace: 'retain-on-failure',
  },
  projects: [
    { name: 'journeys', testDir: './tests', testIgnore: '**/cluster/**' },
    { name: 'cluster', testDir: './tests/cluster', timeout: 90_000 },
    {
      name: 'smoke-nginx',
      testDir: './tests',
      testMatch: /(login-page|sign-in)\.spec\.ts$/,
      // The smoke journeys: the sign-in page (production headers), and signing in, reloading, out.
      grep: /shows the Gatehouse sign-in page|Adele signs in, stays signed in/,
      // A URL that cannot answer when the cluster was not started: never the single-instance stack.
      use: { baseURL: process.env.GATEHOUSE_E2E_NGINX_URL ?? 'http://nginx-cluster-not-started.invalid' },
    },
  ],
});
