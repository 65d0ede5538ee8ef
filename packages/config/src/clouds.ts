/**
 * Microsoft's clouds as Gatehouse needs them: where people sign in, where Microsoft Graph and
 * SharePoint Online answer, and how to tell from OPENID_ISSUER (and Entra's discovery document) which
 * cloud a tenant lives in. Pure data and functions; hosts from Microsoft's "national cloud
 * deployments" pages. Access tokens of one cloud must never be sent to a host of another.
 */

export const cloudIds = ['global', 'usgov-high', 'usgov-dod', 'china'] as const;
export type CloudId = (typeof cloudIds)[number];

export interface MicrosoftCloud {
  id: CloudId;
  name: string;
  /** Entra's `cloud_instance_name` in the discovery document: GCC High and DoD share one. */
  instance: string;
  /** Entra's sign-in hosts, the first one the usual (and documented) one. */
  loginHosts: readonly string[];
  /** Microsoft Graph, Entra's `msgraph_host`. */
  graphHost: string;
  /** SharePoint Online sites: `<tenant>.<suffix>` and the OneDrives at `<tenant>-my.<suffix>`. */
  sharePointSuffix: string;
}

export const microsoftClouds: readonly MicrosoftCloud[] = [
  {
    id: 'global',
    name: 'Microsoft global cloud',
    instance: 'microsoftonline.com',
    loginHosts: ['login.microsoftonline.com', 'login.microsoft.com', 'login.windows.net'],
    graphHost: 'graph.microsoft.com',
    sharePointSuffix: 'sharepoint.com',
  },
  {
    id: 'usgov-high',
    name: 'Microsoft Entra for US Government (GCC High)',
    instance: 'microsoftonline.us',
    loginHosts: ['login.microsoftonline.us'],
    graphHost: 'graph.microsoft.us',
    sharePointSuffix: 'sharepoint.us',
  },
  {
    id: 'usgov-dod',
    name: 'Microsoft Entra for US Government (DoD)',
    instance: 'microsoftonline.us',
    loginHosts: ['login.microsoftonline.us'],
    graphHost: 'dod-graph.microsoft.us',
    sharePointSuffix: 'sharepoint-mil.us',
  },
  {
    id: 'china',
    name: 'Microsoft Entra China operated by 21Vianet',
    instance: 'partner.microsoftonline.cn',
    loginHosts: ['login.chinacloudapi.cn', 'login.partner.microsoftonline.cn'],
    graphHost: 'microsoftgraph.chinacloudapi.cn',
    sharePointSuffix: 'sharepoint.cn',
  },
];

export function cloudById(id: CloudId): MicrosoftCloud {
  const cloud = microsoftClouds.find((candidate) => candidate.id === id);
  if (!cloud) throw new TypeError(`Unknown Microsoft cloud "${id}": one of ${cloudIds.join(', ')}.`);
  return cloud;
}

export function isCloudId(text: string): text is CloudId {
  return (cloudIds as readonly string[]).includes(text);
}

/** `https://graph.microsoft.us/v1.0`: GRAPH_BASE_URL's default in that cloud. */
export function graphBaseUrlOf(cloud: MicrosoftCloud): string {
  return `https://${cloud.graphHost}/v1.0`;
}

/** `https://graph.microsoft.us`: the resource Graph scopes name in that cloud (`…/User.Read`). */
export function graphResourceOf(cloud: MicrosoftCloud): string {
  return `https://${cloud.graphHost}`;
}

const bare = (host: string) => host.toLowerCase().replace(/\.$/, '');

/** The clouds that sign in at `host`: two for `login.microsoftonline.us`, none for other providers. */
export function cloudsOfLoginHost(host: string): MicrosoftCloud[] {
  return microsoftClouds.filter((cloud) => cloud.loginHosts.includes(bare(host)));
}

/** The cloud whose Microsoft Graph answers at `host` (a host name, no port). */
export function cloudOfGraphHost(host: string): MicrosoftCloud | undefined {
  return microsoftClouds.find((cloud) => cloud.graphHost === bare(host));
}

/** The cloud of a SharePoint Online host such as `contoso.sharepoint.us` or `contoso-my.sharepoint-mil.us`. */
export function cloudOfSharePointHost(host: string): MicrosoftCloud | undefined {
  const name = bare(host);
  return microsoftClouds.find((cloud) =>
    new RegExp(`^[a-z0-9][a-z0-9-]*\\.${cloud.sharePointSuffix.replace(/[.-]/g, '\\$&')}$`).test(name),
  );
}

/** Any host of a Microsoft cloud: sign-in, Graph or a SharePoint Online site. */
export function cloudOfHost(host: string): MicrosoftCloud | undefined {
  return cloudsOfLoginHost(host)[0] ?? cloudOfGraphHost(host) ?? cloudOfSharePointHost(host);
}

/** The fields of Entra's discovery document that name its cloud. */
export interface CloudMetadata {
  cloud_instance_name?: unknown;
  msgraph_host?: unknown;
}

export interface CloudDetection {
  /** The one cloud the evidence points to; undefined when it points to none or to two (GCC High or DoD). */
  cloud?: MicrosoftCloud;
  /** Every cloud the evidence allows (both US Government clouds for their shared login host). */
  candidates: MicrosoftCloud[];
  /** What the detection read, for people: `issuer host login.microsoftonline.us`, `metadata …`. */
  from: string[];
  /** The metadata names another cloud than the issuer's host: the message says which. */
  conflict?: string;
}

/**
 * The cloud of OPENID_ISSUER's host, narrowed by the discovery document when it was read: its
 * `cloud_instance_name` says the cloud and its `msgraph_host` tells GCC High from DoD, which share
 * a login host. An issuer on another host (another provider, the emulator) gives no candidates
 * unless the metadata names a cloud.
 */
export function detectCloud(input: { issuer: string; metadata?: CloudMetadata }): CloudDetection {
  const host = URL.canParse(input.issuer) ? new URL(input.issuer).hostname : '';
  const fromIssuer = cloudsOfLoginHost(host);
  const from: string[] = fromIssuer.length > 0 ? [`issuer host ${bare(host)}`] : [];
  let candidates = fromIssuer;

  const instance = input.metadata?.cloud_instance_name;
  const graphHost = input.metadata?.msgraph_host;
  const byInstance =
    typeof instance === 'string'
      ? microsoftClouds.filter((cloud) => cloud.instance === instance.toLowerCase())
      : [];
  const byGraph = typeof graphHost === 'string' ? cloudOfGraphHost(graphHost) : undefined;
  const fromMetadata = byGraph ? byInstance.filter((cloud) => cloud === byGraph) : byInstance;
  if (fromMetadata.length > 0) {
    const read = [`cloud_instance_name ${String(instance)}`];
    if (byGraph) read.push(`msgraph_host ${String(graphHost)}`);
    from.push(`metadata ${read.join(', ')}`);
    const agreed =
      candidates.length === 0 ? fromMetadata : candidates.filter((cloud) => fromMetadata.includes(cloud));
    if (agreed.length === 0) {
      return {
        candidates,
        from,
        conflict: `the issuer's host ${bare(host)} belongs to ${names(candidates)}, but its metadata says ${names(fromMetadata)} (${read.join(', ')})`,
      };
    }
    candidates = agreed;
  }
  return { ...(candidates.length === 1 ? { cloud: candidates[0] } : {}), candidates, from };
}

function names(clouds: readonly MicrosoftCloud[]): string {
  return clouds.map((cloud) => cloud.name).join(' or ');
}

/** The cloud whose hosts the BFF sends tokens to, and why that one. */
export interface CloudChoice {
  cloud: MicrosoftCloud;
  /** For people: `issuer host login.microsoftonline.us, GRAPH_BASE_URL host dod-graph.microsoft.us`. */
  from: string;
  /** OPENID_ISSUER is on the US Government login host and nothing said GCC High or DoD: GCC High assumed. */
  assumed: boolean;
}

export interface CloudSettings {
  /** OPENID_ISSUER. */
  issuer?: string | undefined;
  /** GRAPH_BASE_URL as set (undefined when unset). */
  graphBaseUrl?: string | undefined;
  /** SHAREPOINT_BASE_URL. */
  sharePointBaseUrl?: string | undefined;
  /** OPENID_GRAPH_SCOPES, parsed: a permission written with its host (`https://dod-graph.microsoft.us/User.Read`). */
  graphScopes?: readonly string[] | undefined;
}

/**
 * The cloud of the configuration: the issuer's, where its host names one; GRAPH_BASE_URL's (then
 * SHAREPOINT_BASE_URL's, then OPENID_GRAPH_SCOPES') host tells GCC High from DoD, and names the cloud
 * when the issuer is not an Entra login host (another provider, the emulator). The global cloud
 * otherwise, as before clouds were known. Hosts that disagree with the choice are the rules' business
 * (rules.ts). Every input is a variable that already exists: no separate "cloud" variable is needed
 * (docs/configuration.md, "Microsoft clouds").
 */
export function chooseCloud(settings: CloudSettings): CloudChoice {
  const issuerHost = hostOf(settings.issuer);
  const graphHost = hostOf(settings.graphBaseUrl);
  const sharePointHost = hostOf(settings.sharePointBaseUrl);
  const scopeHost = (settings.graphScopes ?? [])
    .map((scope) => (scope.includes('://') ? hostOf(scope) : undefined))
    .find((host) => host !== undefined && cloudOfGraphHost(host) !== undefined);
  const pins = [
    { cloud: graphHost ? cloudOfGraphHost(graphHost) : undefined, from: `GRAPH_BASE_URL host ${graphHost}` },
    {
      cloud: sharePointHost ? cloudOfSharePointHost(sharePointHost) : undefined,
      from: `SHAREPOINT_BASE_URL host ${sharePointHost}`,
    },
    {
      cloud: scopeHost ? cloudOfGraphHost(scopeHost) : undefined,
      from: `OPENID_GRAPH_SCOPES host ${scopeHost}`,
    },
  ].filter((pin): pin is { cloud: MicrosoftCloud; from: string } => pin.cloud !== undefined);
  const candidates = issuerHost ? cloudsOfLoginHost(issuerHost) : [];
  const issuerFrom = `issuer host ${issuerHost}`;
  const [only, ...others] = candidates;
  if (only && others.length === 0) return { cloud: only, from: issuerFrom, assumed: false };
  if (only) {
    const pin = pins.find((candidate) => candidates.includes(candidate.cloud));
    return pin
      ? { cloud: pin.cloud, from: `${issuerFrom}, ${pin.from}`, assumed: false }
      : { cloud: only, from: issuerFrom, assumed: true };
  }
  const [pin] = pins;
  if (pin) return { cloud: pin.cloud, from: pin.from, assumed: false };
  return {
    cloud: cloudById('global'),
    from: issuerHost ? `default (the issuer host ${issuerHost} is not an Entra login host)` : 'default',
    assumed: false,
  };
}

function hostOf(text: string | undefined): string | undefined {
  return text && URL.canParse(text) ? bare(new URL(text).hostname) : undefined;
}
