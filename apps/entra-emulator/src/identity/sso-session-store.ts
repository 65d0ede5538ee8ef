import { guid, opaque } from '../util/ids';
import type { AuthorizeRequest } from './authorize/authorize-request';

/** The emulator's own SSO session (Entra's ESTSAUTH cookie): one per browser sign-in. */
export interface SsoSession {
  /** The `sid` claim: the same for every app signed in through this session. */
  id: string;
  cookie: string;
  userId: string;
  authTime: number;
  /** Apps that received tokens in this session: they get a front-channel logout call. */
  clients: Set<string>;
  /** Authentication contexts (`acrs`) met in this session by a sign-in that could ask the user. */
  acrs: Set<string>;
}

/** An authorize request waiting for the user: sign-in, account picker or consent. */
export interface Interaction {
  id: string;
  request: AuthorizeRequest;
  createdAt: number;
  /** Set once the password was checked (the consent step comes after it). */
  userId?: string;
  authTime?: number;
}

export const SSO_COOKIE = 'ESTSAUTH';
const INTERACTION_LIFETIME_MS = 60 * 60 * 1000;

/**
 * The emulator's browser sign-ins (SSO sessions) and pending authorize interactions, in memory.
 * Not the BFF's `SessionStore`, which persists Gatehouse's own server sessions.
 */
export interface SsoSessionStore {
  create(userId: string, authTime: number): SsoSession;
  byCookie(cookie: string | undefined): SsoSession | undefined;
  byId(sid: string): SsoSession | undefined;
  end(session: SsoSession): void;
  startInteraction(request: AuthorizeRequest, now: number): Interaction;
  interaction(id: string | undefined, now: number): Interaction | undefined;
  finishInteraction(id: string): void;
}

export function createSsoSessionStore(): SsoSessionStore {
  const sessions = new Map<string, SsoSession>();
  const interactions = new Map<string, Interaction>();
  return {
    create(userId, authTime) {
      const session: SsoSession = {
        id: guid(),
        cookie: opaque(32),
        userId,
        authTime,
        clients: new Set(),
        acrs: new Set(),
      };
      sessions.set(session.cookie, session);
      return session;
    },
    byCookie: (cookie) => (cookie ? sessions.get(cookie) : undefined),
    byId(sid) {
      for (const s of sessions.values()) if (s.id === sid) return s;
      return undefined;
    },
    end(session) {
      sessions.delete(session.cookie);
    },
    startInteraction(request, now) {
      for (const [key, value] of interactions) {
        if (value.createdAt < now - INTERACTION_LIFETIME_MS) interactions.delete(key);
      }
      const interaction: Interaction = { id: opaque(24), request, createdAt: now };
      interactions.set(interaction.id, interaction);
      return interaction;
    },
    interaction(id, now) {
      if (!id) return undefined;
      const found = interactions.get(id);
      if (!found || found.createdAt < now - INTERACTION_LIFETIME_MS) return undefined;
      return found;
    },
    finishInteraction(id) {
      interactions.delete(id);
    },
  };
}
