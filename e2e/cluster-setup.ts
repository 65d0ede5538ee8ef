import type { FullConfig } from '@playwright/test';
import { startCluster } from './support/cluster';

export const SMOKE_PROJECT = 'smoke-nginx';

/**
 * The `smoke-nginx` project's server: two production BFF processes behind nginx on PostgreSQL
 * (support/cluster.ts). Its URL goes to GATEHOUSE_E2E_NGINX_URL, which the project uses as its
 * `baseURL` (and so `appUrl()`). Not started when the run names other projects only.
 */
export default async function clusterSetup(config: FullConfig) {
  if (!projectSelected(config)) return;
  const cluster = await startCluster({ instances: 2 });
  process.env.GATEHOUSE_E2E_NGINX_URL = cluster.url;
  return () => cluster.stop();
}

/** `--project` names on the command line (none: every project runs). */
function projectSelected(config: FullConfig): boolean {
  if (!config.projects.some((p) => p.name === SMOKE_PROJECT)) return false;
  const named: string[] = [];
  const argv = process.argv;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--project' && argv[i + 1]) named.push(argv[i + 1] as string);
    else if (arg.startsWith('--project=')) named.push(arg.slice('--project='.length));
  }
  return named.length === 0 || named.includes(SMOKE_PROJECT);
}
