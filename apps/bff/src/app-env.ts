import type { RequestIdVariables } from 'hono/request-id';
import type { OptionalSessionVariables, SessionVariables } from './session/session-middleware';

/**
 * The one Hono environment of the BFF. Each middleware exports the part of `c.var` it sets;
 * `AppEnv` gathers them. `session` is optional here: routes behind `requireActiveSession` see it as
 * set (`SignedInEnv`), routes behind `optionalSession` see `SessionRecord | undefined`.
 */
export interface AppEnv {
  Variables: OptionalSessionVariables & RequestIdVariables;
}

/** The environment of a handler behind `requireActiveSession`. */
export interface SignedInEnv {
  Variables: SessionVariables & RequestIdVariables;
}
