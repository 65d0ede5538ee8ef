// Measures the login route's first-load JavaScript (gzip) in `dist` against the brief's budget.
// Run after `vite build`: `pnpm --filter @gatehouse/web run size`. Prints JSON; exits 1 over budget.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { type Manifest, routeFirstLoadFiles } from './login-bundle';

const budgetBytes = 150 * 1024;
const dist = join(import.meta.dirname, '..', 'dist');
const manifest = JSON.parse(readFileSync(join(dist, '.vite', 'manifest.json'), 'utf8')) as Manifest;
const files = routeFirstLoadFiles(manifest, 'src/app/routes/login.tsx').map((file) => {
  const bytes = readFileSync(join(dist, file));
  return { file, bytes: bytes.length, gzipBytes: gzipSync(bytes, { level: 9 }).length };
});
const gzipBytes = files.reduce((sum, file) => sum + file.gzipBytes, 0);
const report = { route: '/login', gzipBytes, gzipKiB: +(gzipBytes / 1024).toFixed(1), budgetKiB: 150, files };
console.log(JSON.stringify(report, null, 2));
if (gzipBytes > budgetBytes) {
  console.error(`The login route loads ${report.gzipKiB} KiB of gzipped JavaScript; the budget is 150 KiB.`);
  process.exit(1);
}
