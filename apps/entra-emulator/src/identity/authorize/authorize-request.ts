import type { SeedApplication } from '../../seed/types';
import type { ParsedScope } from '../resources';
import type { TenantSegment } from '../tenant-segment';

export type ResponseMode = 'query' | 'fragment' | 'form_post';
export type Prompt = 'login' | 'none' | 'select_account' | 'consent';

/** A validated authorize request, built step by step by the `check-*` rules. */
export interface AuthorizeRequest {
  /** The tenant segment of the URL as the client sent it (id, alias, `common` or `organizations`). */
  tenantSegment: string;
  /** The tenant segment resolved (`check-tenant.ts`). */
  tenant: TenantSegment;
  params: Record<string, string>;
  clientId: string;
  app: SeedApplication;
  redirectUri: string;
  responseMode: ResponseMode;
  responseType: 'code';
  scope: string;
  parsedScope: ParsedScope;
  state: string | undefined;
  nonce: string | undefined;
  codeChallenge: string | undefined;
  codeChallengeMethod: 'S256' | 'plain' | undefined;
  prompt: Prompt | undefined;
  loginHint: string | undefined;
  domainHint: string | undefined;
  /** Authentication contexts the `claims` parameter asks for (a claims challenge's `acrs`). */
  acrs: string[];
  /** Client capabilities of the `claims` parameter (`cp1`). */
  clientCapabilities: string[];
}

export type PartialAuthorizeRequest = Partial<AuthorizeRequest> &
  Pick<AuthorizeRequest, 'tenantSegment' | 'params'>;
