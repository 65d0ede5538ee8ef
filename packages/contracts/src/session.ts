import { z } from 'zod';

export const sessionUserSchema = z.object({
  /** Gatehouse's own user id (stable, opaque). */
  id: z.string(),
  name: z.string(),
  email: z.string(),
  username: z.string(),
  /** Entra tenant id (`tid`); empty for providers without tenants. */
  tenantId: z.string(),
  roles: z.array(z.string()),
});
export type SessionUser = z.infer<typeof sessionUserSchema>;

/** `GET /api/auth/session` → 200. */
export const sessionResponseSchema = z.object({
  user: sessionUserSchema,
  /** ISO time at which the session ends unless used again (idle timeout). */
  expiresAt: z.string(),
  /** ISO time at which the session ends whatever happens (absolute timeout). */
  absoluteExpiresAt: z.string(),
});
export type SessionResponse = z.infer<typeof sessionResponseSchema>;

/** `POST /api/auth/logout` → 200. `redirect` is the provider's end-session URL or the login page. */
export const logoutResponseSchema = z.object({ redirect: z.string() });
export type LogoutResponse = z.infer<typeof logoutResponseSchema>;

/**
 * `GET /api/auth/access-denied` → 200: what the refused sign-in of this browser lacked, from a
 * short-lived HttpOnly cookie the BFF set then (never from the URL, which anyone can write).
 * `requiredGroups`: display names of the required groups (any one of them admits); empty when the
 * BFF has nothing to say. `tenant`: the user's organisation is not among OPENID_ALLOWED_TENANTS —
 * its tenant id (`tid`) and the domain of the username, when it has one.
 */
export const accessDeniedResponseSchema = z.object({
  requiredGroups: z.array(z.string()),
  tenant: z.object({ tenantId: z.string(), domain: z.string().optional() }).optional(),
});
export type AccessDeniedResponse = z.infer<typeof accessDeniedResponseSchema>;
