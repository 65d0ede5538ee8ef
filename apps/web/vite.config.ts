import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// In development the BFF runs behind Vite (3081) and Vite proxies the BFF's routes to it, so the
// browser sees one origin exactly as in production (where the BFF serves `dist` itself).
const bffUrl = process.env.GATEHOUSE_BFF_URL ?? 'http://localhost:3081';
const toBff = { target: bffUrl, changeOrigin: false, xfwd: true };

export default defineConfig({
  plugins: [react()],
  server: {
    host: 'localhost',
    port: 3080,
    strictPort: true,
    proxy: { '/api': toBff, '/oauth': toBff, '/healthz': toBff, '/readyz': toBff },
  },
  preview: { host: 'localhost', port: 3080, strictPort: true },
  build: {
    // dist/.vite/manifest.json: lets `pnpm run size` measure what each route loads.
    manifest: true,
    // The production CSP is `script-src 'self'`: never inline a module preload polyfill or assets.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
  },
});
