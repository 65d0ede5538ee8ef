import { createCipheriv, createDecipheriv, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { createLru } from '../cache/lru';
import type { Clock } from '../clock';

/**
 * One sign-in attempt: what the callback must find again (RFC 9700 §2.1.1: PKCE verifier, state and
 * nonce bound to this browser, used once). Each attempt gets its own cookie, named after a prefix of
 * its `state`, so several tabs can sign in at once without overwriting each other. The value is
 * AES-256-GCM encrypted (the browser can neither read nor forge it) with the cookie name as
 * additional data (a value cannot be moved to another attempt's name).
 */
export interface LoginTransaction {
  state: string;
  nonce: string;
  codeVerifier: string;
  /** Same-origin path to return to after sign-in (already checked by `safeReturnTo`). */
  returnTo: string;
  /** Epoch ms. */
  expiresAt: number;
}

export type TakeResult =
  | { ok: true; transaction: LoginTransaction }
  /** `mismatch`: this browser has an attempt under that state's cookie name, for another state (forged). */
  | { ok: false; reason: 'missing_state' | 'not_found' | 'mismatch' | 'tampered' | 'replayed' }
  /** The attempt is known but too old; its `returnTo` lets a restarted sign-in land where it was meant to. */
  | { ok: false; reason: 'expired'; returnTo: string };

/**
 * The state of a sign-in that the callback restarted by itself ends with this mark. The state is
 * what the provider always sends back, even when the browser lost or never kept the cookie, so a
 * second failure is recognised and shown instead of restarting again (no loop). A forged mark can
 * only prevent a restart.
 */
const RESTART_MARK = '.restart';

export function markRestart(state: string): string {
  return state + RESTART_MARK;
}

export function isRestart(state: string): boolean {
  return state.endsWith(RESTART_MARK);
}

export interface LoginTransactions {
  /** Creates the attempt's cookie; drops expired ones and the oldest beyond `maxPending`. */
  save(c: Context, transaction: Omit<LoginTransaction, 'expiresAt'>): LoginTransaction;
  /** Finds the attempt of this callback's `state`, deletes its cookie, and refuses a second use. */
  take(c: Context, state: string | undefined): TakeResult;
}

export interface LoginTransactionOptions {
  /** `OPENID_SESSION_SECRET`; a key for this purpose only is derived from it. */
  secret: string;
  clock: Clock;
  /** How long a sign-in may take. Default 10 minutes. */
  ttlMs?: number;
  /** Attempts kept at once per browser (tabs). Default 5. */
  maxPending?: number;
}

/** Cookie name prefix (hono adds `__Host-`, which forces Secure, Path=/ and no Domain). */
const NAME = 'gatehouse-tx-';
export const transactionCookiePrefix = `__Host-${NAME}`;
const STATE_PREFIX_LENGTH = 12;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export function createLoginTransactions(options: LoginTransactionOptions): LoginTransactions {
  if (!options.secret)
    throw new TypeError('createLoginTransactions: `secret` (OPENID_SESSION_SECRET) is required.');
  const key = Buffer.from(
    hkdfSync(
      'sha256',
      options.secret,
      'gatehouse/session-secret/v1',
      'gatehouse login transaction cookie',
      32,
    ),
  );
  const ttlMs = options.ttlMs ?? 10 * 60_000;
  const maxPending = options.maxPending ?? 5;
  const { clock } = options;
  // States already used here, with the time their transaction would have expired anyway: a replayed
  // callback fails even if the browser (or an attacker holding a copy) still presents the cookie.
  // Bounded (the least recently used go first) and each kept for a transaction's lifetime, which is at
  // least what it had left. Across instances the provider's single-use code is the backstop.
  const usedUntil = createLru<string, number>({ max: 100_000, ttlMs, clock });
  const used = {
    has: (state: string) => (usedUntil.get(state) ?? 0) > clock.now(),
    add: (state: string, until: number) => usedUntil.set(state, until),
  };

  function seal(name: string, tx: LoginTransaction) {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(name));
    const plain = JSON.stringify([tx.state, tx.nonce, tx.codeVerifier, tx.returnTo, tx.expiresAt]);
    return Buffer.concat([iv, cipher.update(plain, 'utf8'), cipher.final(), cipher.getAuthTag()]).toString(
      'base64url',
    );
  }

  function open(name: string, value: string): LoginTransaction | undefined {
    const raw = Buffer.from(value, 'base64url');
    if (raw.length < IV_BYTES + TAG_BYTES + 2) return undefined;
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES), {
        authTagLength: TAG_BYTES,
      });
      decipher.setAAD(Buffer.from(name));
      decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
      const plain = Buffer.concat([
        decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)),
        decipher.final(),
      ]);
      const [state, nonce, codeVerifier, returnTo, expiresAt] = JSON.parse(
        plain.toString('utf8'),
      ) as unknown[];
      if (
        typeof state !== 'string' ||
        typeof nonce !== 'string' ||
        typeof codeVerifier !== 'string' ||
        typeof returnTo !== 'string' ||
        typeof expiresAt !== 'number'
      ) {
        return undefined;
      }
      return { state, nonce, codeVerifier, returnTo, expiresAt };
    } catch {
      return undefined;
    }
  }

  const cookieOptions = { path: '/', secure: true, httpOnly: true, sameSite: 'Lax', prefix: 'host' } as const;

  return {
    save(c, input) {
      const now = clock.now();
      const transaction: LoginTransaction = { ...input, expiresAt: now + ttlMs };
      // Keep the browser's cookie header small: drop dead attempts, then the oldest live ones.
      const pending: { name: string; expiresAt: number }[] = [];
      for (const [fullName, value] of Object.entries(getCookie(c))) {
        if (!fullName.startsWith(transactionCookiePrefix)) continue;
        const name = fullName.slice('__Host-'.length);
        const tx = open(fullName, value);
        if (!tx || tx.expiresAt <= now) deleteCookie(c, name, cookieOptions);
        else pending.push({ name, expiresAt: tx.expiresAt });
      }
      pending.sort((a, b) => a.expiresAt - b.expiresAt);
      for (const old of pending.slice(0, Math.max(0, pending.length - (maxPending - 1)))) {
        deleteCookie(c, old.name, cookieOptions);
      }
      const name = NAME + input.state.slice(0, STATE_PREFIX_LENGTH);
      setCookie(c, name, seal(`__Host-${name}`, transaction), {
        ...cookieOptions,
        maxAge: Math.ceil(ttlMs / 1000),
      });
      return transaction;
    },

    take(c, state) {
      if (!state || state.length < STATE_PREFIX_LENGTH) return { ok: false, reason: 'missing_state' };
      const now = clock.now();
      const name = NAME + state.slice(0, STATE_PREFIX_LENGTH);
      const value = getCookie(c, name, 'host');
      if (value === undefined) return { ok: false, reason: used.has(state) ? 'replayed' : 'not_found' };
      deleteCookie(c, name, cookieOptions);
      const tx = open(`__Host-${name}`, value);
      if (!tx) return { ok: false, reason: 'tampered' };
      const a = Buffer.from(tx.state);
      const b = Buffer.from(state);
      if (a.length !== b.length || !timingSafeEqual(a, b)) return { ok: false, reason: 'mismatch' };
      if (used.has(state)) return { ok: false, reason: 'replayed' };
      if (tx.expiresAt <= now) return { ok: false, reason: 'expired', returnTo: tx.returnTo };
      used.add(state, tx.expiresAt);
      return { ok: true, transaction: tx };
    },
  };
}
