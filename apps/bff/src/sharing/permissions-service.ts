import type { Config } from '@gatehouse/config';
import {
  type Grant,
  type PrincipalRef,
  type PutPermissionsRequest,
  shareRoleRank,
} from '@gatehouse/contracts';
import type { Kysely, Transaction } from 'kysely';
import { recordAudit } from '../audit/audit-log';
import type { Clock } from '../clock';
import { requireRole } from '../conversations/conversation-service';
import type { Database } from '../db/database';
import type { GraphClient } from '../graph/graph-client';
import { AppError } from '../http/errors';
import type { Viewer } from '../membership/effective-access';
import {
  describePrincipals,
  normaliseRef,
  principalKey,
  rememberEntraPrincipals,
  resolvePrincipals,
} from '../principals/principal-resolver';

type Db = Kysely<Database> | Transaction<Database>;

export interface PermissionsServiceDeps {
  db: Kysely<Database>;
  graph: GraphClient;
  config: Pick<Config, 'USE_ENTRA_ID_FOR_PEOPLE_SEARCH'>;
  clock: Clock;
}

async function grantsOf(db: Db, conversationId: string): Promise<Grant[]> {
  const rows = await db
    .selectFrom('grants')
    .select(['principal_type', 'principal_source', 'principal_id', 'role'])
    .where('conversation_id', '=', conversationId)
    .execute();
  const refs: PrincipalRef[] = rows.map((r) => ({
    type: r.principal_type,
    source: r.principal_source,
    id: r.principal_id,
  }));
  const principals = await describePrincipals(db, refs);
  // Owners first, then editors, then viewers; by name within a role.
  return refs
    .map((ref, index) => ({ principal: principals.get(principalKey(ref))!, role: rows[index]!.role }))
    .sort(
      (a, b) =>
        shareRoleRank[b.role] - shareRoleRank[a.role] ||
        a.principal.name.localeCompare(b.principal.name) ||
        a.principal.id.localeCompare(b.principal.id),
    );
}

/**
 * `GET`/`PUT /api/conversations/:id/permissions`. Reading needs any access; replacing needs owner.
 * A replace resolves every principal first (Graph for Entra ones, by id), then swaps the grants,
 * remembers Graph's names and writes the audit entry in one transaction: all of it or nothing.
 */
export function createPermissionsService(deps: PermissionsServiceDeps) {
  const { db, graph, config, clock } = deps;

  return {
    async get(viewer: Viewer, conversationId: string): Promise<Grant[]> {
      await requireRole(db, viewer, conversationId, 'viewer', 'see who has access');
      return grantsOf(db, conversationId);
    },

    async replace(
      viewer: Viewer,
      conversationId: string,
      request: PutPermissionsRequest,
      graphToken: () => Promise<string>,
    ): Promise<Grant[]> {
      await requireRole(db, viewer, conversationId, 'owner', 'share this conversation');
      const wanted = request.grants.map((g) => ({ ...g, principal: normaliseRef(g.principal) }));
      const seen = new Set<string>();
      for (const [index, grant] of wanted.entries()) {
        const key = principalKey(grant.principal);
        if (seen.has(key)) {
          throw new AppError('invalid_request', `grants[${index}].principal names ${key} a second time.`);
        }
        seen.add(key);
      }
      if (!wanted.some((g) => g.role === 'owner' && g.principal.type === 'user')) {
        throw new AppError('last_owner', 'A conversation keeps at least one user as owner.');
      }

      const current = await grantsOf(db, conversationId);
      const currentKeys = new Set(current.map((g) => principalKey(g.principal)));
      // Entra principals need the feature (and Graph); ones already granted may stay when it is off.
      const toResolve = wanted
        .map((g) => g.principal)
        .filter(
          (ref) =>
            ref.source === 'local' ||
            config.USE_ENTRA_ID_FOR_PEOPLE_SEARCH ||
            !currentKeys.has(principalKey(ref)),
        );
      if (!config.USE_ENTRA_ID_FOR_PEOPLE_SEARCH) {
        const entra = toResolve.find((ref) => ref.source === 'entra');
        if (entra) {
          throw new AppError(
            'invalid_request',
            `Sharing with Entra ${entra.type}s is turned off (USE_ENTRA_ID_FOR_PEOPLE_SEARCH): ${entra.id}.`,
          );
        }
      }
      const resolved = await resolvePrincipals(db, graph, { refs: toResolve, graphToken });

      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        // Ownership may have changed while Graph answered: decide again inside the transaction.
        await requireRole(trx, viewer, conversationId, 'owner', 'share this conversation');
        const before = await trx
          .selectFrom('grants')
          .select(['principal_type', 'principal_source', 'principal_id', 'role'])
          .where('conversation_id', '=', conversationId)
          .execute();
        await trx.deleteFrom('grants').where('conversation_id', '=', conversationId).execute();
        if (wanted.length > 0) {
          await trx
            .insertInto('grants')
            .values(
              wanted.map((g) => ({
                conversation_id: conversationId,
                principal_type: g.principal.type,
                principal_source: g.principal.source,
                principal_id: g.principal.id,
                role: g.role,
                granted_by: viewer.userId,
                granted_at: now,
              })),
            )
            .execute();
        }
        await rememberEntraPrincipals(trx, resolved.values(), now);
        await recordAudit(trx, {
          actorId: viewer.userId,
          action: 'grants.replace',
          subjectType: 'conversation',
          subjectId: conversationId,
          details: {
            before: before.map((r) => ({
              principal: `${r.principal_type}:${r.principal_source}:${r.principal_id}`,
              role: r.role,
            })),
            after: wanted.map((g) => ({ principal: principalKey(g.principal), role: g.role })),
          },
          at: now,
        });
      });
      return grantsOf(db, conversationId);
    },
  };
}

export type PermissionsService = ReturnType<typeof createPermissionsService>;
