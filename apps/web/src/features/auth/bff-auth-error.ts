import { AuthError } from '@azure/msal-browser';

/** Error codes of Gatehouse's BFF-backed `IPublicClientApplication`. */
export type BffAuthErrorCode =
  /** The operation needs tokens in the browser; Gatehouse keeps them on the server (BFF). */
  | 'tokens_stay_on_server'
  /** The operation exists in MSAL but has no BFF equivalent (popups, configuration, cache hydration). */
  | 'not_supported'
  /** `setActiveAccount` with an account that is not the BFF session's. */
  | 'account_not_found'
  /** `acquireTokenSilent` for scopes other than the SharePoint picker's site (or its `-my` twin). */
  | 'resource_not_allowed'
  /** `acquireTokenSilent` for the picker while the picker is turned off. */
  | 'picker_unavailable';

/** An msal `AuthError`, so code written against msal-react can keep its `instanceof AuthError` checks. */
export class BffAuthError extends AuthError {
  override readonly errorCode: BffAuthErrorCode;

  constructor(errorCode: BffAuthErrorCode, message: string, correlationId = '') {
    super(errorCode, correlationId, message);
    // AuthError resets the prototype to its own; restore ours so `instanceof BffAuthError` holds.
    Object.setPrototypeOf(this, BffAuthError.prototype);
    this.name = 'BffAuthError';
    this.errorCode = errorCode;
  }
}

export function tokensStayOnServer(method: string, correlationId?: string): BffAuthError {
  return new BffAuthError(
    'tokens_stay_on_server',
    `${method} is not supported: tokens stay on the server (BFF). Call the BFF's /api/* endpoints ` +
      'instead; they attach the right token server side.',
    correlationId,
  );
}

export function notSupported(method: string, why: string, correlationId?: string): BffAuthError {
  return new BffAuthError(
    'not_supported',
    `${method} is not supported by the BFF-backed client: ${why}`,
    correlationId,
  );
}
