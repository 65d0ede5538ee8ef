import { html, raw } from '../../util/html';
import { layout } from './layout';

interface PageBase {
  tenantName: string;
  nonce: string;
}

export interface SignInPageOptions extends PageBase {
  action: string;
  interactionId: string;
  appName: string;
  username: string;
  /** `credentials`: username and password together; `password`: the username is known, ask the password. */
  step: 'credentials' | 'password';
  usernameError?: string;
  passwordError?: string;
}

/**
 * Sign-in with Entra's field names (`loginfmt`, `passwd`, `#idSIButton9`). Both fields show on the first
 * page, and a username sent alone moves to a password page, so one-step and two-step automation both
 * work: fill both and click, or fill the username, click, fill the password, click.
 */
export function signInPage(o: SignInPageOptions): string {
  const usernameInvalid = Boolean(o.usernameError);
  const passwordInvalid = Boolean(o.passwordError);
  const showUsernameField = o.step === 'credentials';
  const body = html`
    <form method="post" action="${o.action}" novalidate>
      <input type="hidden" name="ctx" value="${o.interactionId}">
      ${
        showUsernameField
          ? html`<h1 id="title">Sign in</h1>
      <p class="sub">to continue to ${o.appName}</p>
      ${o.usernameError ? html`<p class="error" id="usernameError" role="alert">${o.usernameError}</p>` : ''}
      <div class="field">
        <label for="i0116">Email address</label>
        <input type="email" id="i0116" name="loginfmt" value="${o.username}" autocomplete="username" autocapitalize="none" spellcheck="false"
          ${raw(usernameInvalid ? 'aria-invalid="true" aria-describedby="usernameError"' : '')} ${raw(o.username ? '' : 'autofocus')}>
      </div>`
          : html`<div class="identity"><a id="idBtn_Back" href="${o.action}?ctx=${o.interactionId}" aria-label="Back to account entry">&larr;</a><span>${o.username}</span></div>
      <input type="hidden" name="loginfmt" value="${o.username}">
      <input type="hidden" name="step" value="password">
      <h1 id="title">Enter password</h1>`
      }
      ${o.passwordError ? html`<p class="error" id="passwordError" role="alert">${o.passwordError}</p>` : ''}
      <div class="field">
        <label for="i0118">Password</label>
        <input type="password" id="i0118" name="passwd" autocomplete="current-password"
          ${raw(passwordInvalid ? 'aria-invalid="true" aria-describedby="passwordError"' : '')} ${raw(o.username && !usernameInvalid ? 'autofocus' : '')}>
      </div>
      <div class="actions">
        <button type="submit" class="primary" id="idSIButton9">Sign in</button>
      </div>
    </form>`;
  return layout({ title: 'Sign in to your account', tenantName: o.tenantName, nonce: o.nonce, body });
}

export interface AccountPickerOptions extends PageBase {
  action: string;
  interactionId: string;
  appName: string;
  account: { displayName: string; username: string };
}

export function accountPickerPage(o: AccountPickerOptions): string {
  const initials = o.account.displayName
    .split(/\s+/)
    .map((p) => p[0])
    .join('')
    .slice(0, 2);
  const body = html`
    <h1>Pick an account</h1>
    <p class="sub">to continue to ${o.appName}</p>
    <form method="post" action="${o.action}">
      <input type="hidden" name="ctx" value="${o.interactionId}">
      <ul class="tiles">
        <li><button type="submit" class="tile" name="choice" value="current" id="tilesHolder-current">
          <span class="avatar" aria-hidden="true">${initials}</span>
          <span>${o.account.displayName}<small>${o.account.username} · Signed in</small></span>
        </button></li>
        <li><button type="submit" class="tile" name="choice" value="other" id="otherTile">
          <span class="avatar" aria-hidden="true">+</span>
          <span>Use another account</span>
        </button></li>
      </ul>
    </form>`;
  return layout({ title: 'Pick an account', tenantName: o.tenantName, nonce: o.nonce, body });
}

export interface ConsentPageOptions extends PageBase {
  action: string;
  interactionId: string;
  appName: string;
  username: string;
  permissions: string[];
}

export function consentPage(o: ConsentPageOptions): string {
  const body = html`
    <p class="identity">${o.username}</p>
    <h1>Permissions requested</h1>
    <p class="sub">${o.appName} would like to:</p>
    <ul class="perms">${o.permissions.map((p) => html`<li>${p}</li>`)}</ul>
    <p class="hint">Accepting these permissions means that you allow this app to use your data as specified in their terms of service and privacy statement.</p>
    <form method="post" action="${o.action}">
      <input type="hidden" name="ctx" value="${o.interactionId}">
      <div class="actions">
        <button type="submit" class="secondary" id="idBtn_Back" name="consent" value="no">Cancel</button>
        <button type="submit" class="primary" id="idSIButton9" name="consent" value="yes">Accept</button>
      </div>
    </form>`;
  return layout({ title: 'Permissions requested', tenantName: o.tenantName, nonce: o.nonce, body });
}

export interface ErrorPageOptions extends PageBase {
  heading: string;
  message: string;
  detail?: string;
}

/** Entra's "Sorry, but we're having trouble signing you in." page: errors that cannot go back to the app. */
export function errorPage(o: ErrorPageOptions): string {
  const body = html`
    <h1>${o.heading}</h1>
    <p role="alert">${o.message}</p>
    ${o.detail ? html`<p class="detail">${o.detail}</p>` : ''}`;
  return layout({ title: o.heading, tenantName: o.tenantName, nonce: o.nonce, body });
}

export interface FormPostPageOptions extends PageBase {
  action: string;
  fields: Record<string, string>;
}

/** `response_mode=form_post`: a form that submits itself to the app, with a button when scripts are off. */
export function formPostPage(o: FormPostPageOptions): string {
  const body = html`
    <h1>Signing you in…</h1>
    <form method="post" action="${o.action}" id="response">
      ${Object.entries(o.fields).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`)}
      <noscript><div class="actions"><button type="submit" class="primary">Continue</button></div></noscript>
    </form>`;
  return layout({
    title: 'Working…',
    tenantName: o.tenantName,
    nonce: o.nonce,
    body,
    script: "document.getElementById('response').submit();",
  });
}

export interface SignedOutPageOptions extends PageBase {
  frontChannelUrls: string[];
  redirectTo: string | undefined;
}

/**
 * "You signed out of your account": loads each signed-in app's front-channel logout URL in a hidden
 * iframe (as Entra does), then continues to `post_logout_redirect_uri` when one was accepted.
 */
export function signedOutPage(o: SignedOutPageOptions): string {
  const body = html`
    <h1>You signed out of your account</h1>
    <p class="sub">It's a good idea to close all browser windows.</p>
    ${o.redirectTo ? html`<p class="hint"><a id="continue" href="${o.redirectTo}">Continue</a></p>` : ''}`;
  const after = html`${o.frontChannelUrls.map(
    (url) => html`<iframe class="fcl" src="${url}" title="Signing out of an application" hidden></iframe>`,
  )}`;
  const script = o.redirectTo
    ? `(function(){var target=${JSON.stringify(o.redirectTo).replace(/</g, '\\u003c')};var frames=document.querySelectorAll('iframe.fcl');var left=frames.length;function go(){location.replace(target)}if(left===0){go();return}frames.forEach(function(f){f.addEventListener('load',function(){if(--left===0)go()})});setTimeout(go,3000)})();`
    : undefined;
  return layout({
    title: 'Sign out',
    tenantName: o.tenantName,
    nonce: o.nonce,
    body,
    after,
    ...(script ? { script } : {}),
  });
}
