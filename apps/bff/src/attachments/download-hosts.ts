import { type Config, isLoopbackHttp } from '@gatehouse/config';
import { pickerResources } from './sharepoint-resources';

/**
 * Whether the BFF may fetch a download URL that Graph redirected to: https (plain http only on a
 * loopback host, i.e. the emulator), and a host that is Graph's, the configured SharePoint site's
 * (or its `-my` twin), or one Graph itself named for this item. A URL from the browser never gets
 * here: the BFF asks Graph for it by ids.
 */
export function createDownloadHostCheck(config: Pick<Config, 'GRAPH_BASE_URL' | 'SHAREPOINT_BASE_URL'>) {
  const configured = new Set<string>([
    new URL(config.GRAPH_BASE_URL).host.toLowerCase(),
    ...pickerResources(config).map((origin) => new URL(origin).host.toLowerCase()),
  ]);
  return function allowedDownload(url: URL, itemHosts: readonly string[]): boolean {
    if (url.username || url.password) return false;
    if (url.protocol !== 'https:' && !isLoopbackHttp(url)) return false;
    const host = url.host.toLowerCase();
    return configured.has(host) || itemHosts.includes(host);
  };
}
