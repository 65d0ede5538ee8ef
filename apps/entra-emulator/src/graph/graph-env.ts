import type { Directory } from '../directory/directory';
import type { SeedGroup, SeedUser } from '../seed/types';
import type { GraphPrincipal } from './graph-auth';

/** The user a `/me/...` or `/users/{id|upn}/...` request is about. */
export interface GraphTarget {
  user: SeedUser;
  /** The caller themself (`/me`, or their own id): reading oneself needs fewer permissions. */
  self: boolean;
}

/** What the Graph routes set on `c.var`: the caller first, then the object the path names. */
export type GraphEnv = {
  Variables: {
    principal: GraphPrincipal;
    /** The caller's organisation's directory: lists, searches and lookups see nothing else. */
    directory: Directory;
    target: GraphTarget;
    group: SeedGroup;
  };
};
