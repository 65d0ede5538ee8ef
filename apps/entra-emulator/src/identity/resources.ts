import { type CloudId, cloudById, graphResourceOf } from '@gatehouse/config';
import type { Directory } from '../directory/directory';
import type { SeedApplication } from '../seed/types';
import { errors } from './oauth-error';

/** Microsoft Graph's application id: the `aud` of the Graph access tokens Entra issues. */
export const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
export const GRAPH_RESOURCE = 'https://graph.microsoft.com';

/** Microsoft Graph's resource in `cloud`: `https://graph.microsoft.us` in GCC High. */
export function graphResourceIn(cloud: CloudId): string {
  return graphResourceOf(cloudById(cloud));
}
/** SharePoint Online's application id. */
export const SHAREPOINT_APP_ID = '00000003-0000-0ff1-ce00-000000000000';

export const OIDC_SCOPES = ['openid', 'profile', 'email', 'offline_access'] as const;
export type OidcScope = (typeof OIDC_SCOPES)[number];

/** Delegated permissions Graph knows; a short scope name outside this list is refused (AADSTS70011). */
const GRAPH_SCOPES = [
  'User.Read',
  'User.ReadWrite',
  'User.ReadBasic.All',
  'User.Read.All',
  'User.ReadWrite.All',
  'GroupMember.Read.All',
  'Group.Read.All',
  'Group.ReadWrite.All',
  'Directory.Read.All',
  'Directory.ReadWrite.All',
  'Directory.AccessAsUser.All',
  'People.Read',
  'People.Read.All',
  'Files.Read',
  'Files.Read.All',
  'Files.ReadWrite',
  'Files.ReadWrite.All',
  'Sites.Read.All',
  'Sites.ReadWrite.All',
  'Mail.Read',
  'Calendars.Read',
  'Contacts.Read',
  'Presence.Read.All',
];
const SHAREPOINT_SCOPES = [
  'AllSites.Read',
  'AllSites.Write',
  'AllSites.Manage',
  'AllSites.FullControl',
  'MyFiles.Read',
  'MyFiles.Write',
  'Sites.Search.All',
];

export interface Resource {
  /** Key of the app's `consentedScopes`: `graph`, `sharepoint` or the API app's client id. */
  key: string;
  kind: 'graph' | 'sharepoint' | 'api';
  /** The `aud` of access tokens for this resource. */
  audience: string;
  /** Prefix of scopes in token responses (`''` for Graph, which Entra reports by short name). */
  scopePrefix: string;
  /** Token format: Graph and SharePoint accept v1.0 tokens; our own APIs take v2.0. */
  tokenVersion: '1.0' | '2.0';
  knownScopes: readonly string[];
  /** The app registration behind an `api://` resource. */
  app?: SeedApplication;
}

export interface ResourceRequest {
  resource: Resource;
  /** Scope names without the resource prefix, canonical casing; may contain `.default`. */
  scopes: string[];
}

export interface ParsedScope {
  oidc: Set<OidcScope>;
  /** In request order; Entra issues the access token for the first resource. */
  resources: ResourceRequest[];
}

export interface ResourceCatalog {
  graph: Resource;
  sharepoint: Resource;
  parse(scope: string): ParsedScope;
  byKey(key: string): Resource | undefined;
}

/** `cloud`: the emulated cloud, read at every request (the control API changes it). */
export function createResourceCatalog(
  directory: Directory,
  sharepointUrl: string,
  cloud: () => CloudId = () => 'global',
): ResourceCatalog {
  const sharepointOrigin = new URL(sharepointUrl).origin;
  const graph: Resource = {
    key: 'graph',
    kind: 'graph',
    audience: GRAPH_APP_ID,
    scopePrefix: '',
    tokenVersion: '1.0',
    knownScopes: GRAPH_SCOPES,
  };
  const sharepoint: Resource = {
    key: 'sharepoint',
    kind: 'sharepoint',
    audience: sharepointOrigin,
    scopePrefix: `${sharepointOrigin}/`,
    tokenVersion: '1.0',
    knownScopes: SHAREPOINT_SCOPES,
  };
  const apiResource = (app: SeedApplication): Resource => ({
    key: app.clientId,
    kind: 'api',
    audience: app.clientId,
    scopePrefix: `api://${app.clientId}/`,
    tokenVersion: '2.0',
    knownScopes: app.exposedScopes,
    app,
  });

  function resourceOf(identifier: string): Resource {
    const id = identifier.toLowerCase();
    // Graph by the host of the emulated cloud only: in GCC High, https://graph.microsoft.com is unknown.
    if (id === graphResourceIn(cloud()) || id === GRAPH_APP_ID) return graph;
    if (id === sharepointOrigin.toLowerCase() || id === SHAREPOINT_APP_ID) return sharepoint;
    const clientId = id.startsWith('api://') ? id.slice('api://'.length) : id;
    const app = directory.findApp(clientId);
    if (app) return apiResource(app);
    throw errors.invalidRequest(
      500011,
      `The resource principal named ${identifier} was not found in the tenant named ${directory.tenant.displayName}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`,
    );
  }

  function canonical(resource: Resource, name: string): string {
    if (name === '.default') return name;
    const known = resource.knownScopes.find((s) => s.toLowerCase() === name.toLowerCase());
    if (!known)
      throw errors.invalidScope(`The scope '${resource.scopePrefix}${name}' does not exist on the resource.`);
    return known;
  }

  return {
    graph,
    sharepoint,
    byKey(key) {
      if (key === 'graph') return graph;
      if (key === 'sharepoint') return sharepoint;
      const app = directory.findApp(key);
      return app ? apiResource(app) : undefined;
    },
    parse(scope) {
      const oidc = new Set<OidcScope>();
      const resources: ResourceRequest[] = [];
      const add = (resource: Resource, name: string) => {
        const entry = resources.find((r) => r.resource.key === resource.key);
        const scopeName = canonical(resource, name);
        if (!entry) resources.push({ resource, scopes: [scopeName] });
        else if (!entry.scopes.includes(scopeName)) entry.scopes.push(scopeName);
      };
      for (const token of scope.split(/\s+/).filter(Boolean)) {
        const lower = token.toLowerCase() as OidcScope;
        if ((OIDC_SCOPES as readonly string[]).includes(lower)) {
          oidc.add(lower);
          continue;
        }
        const slash = token.lastIndexOf('/');
        if (slash === -1) {
          add(graph, token);
          continue;
        }
        add(resourceOf(token.slice(0, slash)), token.slice(slash + 1));
      }
      return { oidc, resources };
    },
  };
}

/** The scope string of a token response: Graph scopes by short name, the others by full URI. */
export function formatScopes(
  resource: Resource,
  scopes: Iterable<string>,
  oidc: Iterable<OidcScope> = [],
): string {
  const resourceScopes = [...scopes].map((s) => `${resource.scopePrefix}${s}`);
  const oidcScopes = [...oidc].filter((s) => s !== 'offline_access');
  return [...resourceScopes, ...oidcScopes].join(' ');
}
