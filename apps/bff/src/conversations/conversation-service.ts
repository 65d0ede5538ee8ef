import { randomUUID } from 'node:crypto';
import type {
  Conversation,
  ConversationCreated,
  ConversationFilter,
  ConversationSummary,
  Message,
  ShareRole,
} from '@gatehouse/contracts';
import type { Kysely } from 'kysely';
import { recordAudit } from '../audit/audit-log';
import type { Clock } from '../clock';
import type { Database } from '../db/database';
import { AppError } from '../http/errors';
import { effectiveRoles, roleAllows, roleOn, type Viewer } from '../membership/effective-access';
import { encodeCursor, type PageRequest, type Position, pageOf } from './paging';

export interface ConversationServiceDeps {
  db: Kysely<Database>;
  clock: Clock;
  /**
   * PostgreSQL: lock the conversation's row before listing its attachments on delete, so no
   * attachment row can be added by another connection between the list and the cascade.
   * (SQLite writes one transaction at a time.)
   */
  lockRows?: boolean;
  /** After a deletion has committed: what the rows pointed to outside the database (files). */
  afterDelete?: (deleted: { conversationId: string; attachmentIds: string[] }) => Promise<void>;
}

/** No access at all looks exactly like no conversation: existence is not revealed. */
export const conversationNotFound = () => new AppError('not_found', 'No such conversation.');

/**
 * The viewer's role on a conversation, or the error for the request: 404 `not_found` without any
 * access, 403 `forbidden` with access below `needed`.
 */
export async function requireRole(
  db: Parameters<typeof roleOn>[0],
  viewer: Viewer,
  conversationId: string,
  needed: ShareRole,
  action: string,
): Promise<ShareRole> {
  const role = await roleOn(db, viewer, conversationId);
  if (!role) throw conversationNotFound();
  if (!roleAllows(role, needed)) {
    throw new AppError(
      'forbidden',
      `Only an ${needed === 'owner' ? 'owner' : 'editor or owner'} can ${action}.`,
    );
  }
  return role;
}

export function createConversationService(deps: ConversationServiceDeps) {
  const { db, clock } = deps;

  return {
    async create(viewer: Viewer, title: string): Promise<ConversationCreated> {
      const now = clock.now();
      const id = randomUUID();
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('conversations')
          .values({ id, title, created_by: viewer.userId, created_at: now, updated_at: now })
          .execute();
        await trx
          .insertInto('grants')
          .values({
            conversation_id: id,
            principal_type: 'user',
            principal_source: 'local',
            principal_id: viewer.userId,
            role: 'owner',
            granted_by: viewer.userId,
            granted_at: now,
          })
          .execute();
        await recordAudit(trx, {
          actorId: viewer.userId,
          action: 'conversation.create',
          subjectType: 'conversation',
          subjectId: id,
          details: { title },
          at: now,
        });
      });
      return { id, title, role: 'owner', createdAt: new Date(now).toISOString() };
    },

    /**
     * One page of the viewer's list, newest first. `mine`: conversations the viewer owns; `shared`:
     * those shared with them below owner; neither: all. Access is resolved for every conversation
     * (grants are per user and group); only the page's rows are read in full.
     */
    async list(
      viewer: Viewer,
      filter: ConversationFilter | undefined,
      page: PageRequest,
    ): Promise<{ conversations: ConversationSummary[]; nextCursor: string | null }> {
      const roles = await effectiveRoles(db, viewer);
      const ids = [...roles.keys()].filter((id) => {
        const owner = roles.get(id) === 'owner';
        return filter === 'mine' ? owner : filter === 'shared' ? !owner : true;
      });
      const positions: Position[] = [];
      for (let start = 0; start < ids.length; start += 500) {
        const rows = await db
          .selectFrom('conversations')
          .select(['id', 'updated_at'])
          .where('id', 'in', ids.slice(start, start + 500))
          .execute();
        for (const row of rows) positions.push({ id: row.id, at: Number(row.updated_at) });
      }
      const { positions: onPage, nextCursor } = pageOf(positions, page);
      if (onPage.length === 0) return { conversations: [], nextCursor };
      const rows = await db
        .selectFrom('conversations')
        .innerJoin('users', 'users.id', 'conversations.created_by')
        .select([
          'conversations.id',
          'conversations.title',
          'conversations.created_by',
          'users.name as owner_name',
        ])
        .where(
          'conversations.id',
          'in',
          onPage.map((key) => key.id),
        )
        .execute();
      const byId = new Map(rows.map((row) => [row.id, row]));
      const conversations = onPage.flatMap((key) => {
        const row = byId.get(key.id);
        // Deleted between the two reads: left out of this page.
        return row
          ? [
              {
                id: row.id,
                title: row.title,
                role: roles.get(row.id)!,
                owner: { id: row.created_by, name: row.owner_name },
                updatedAt: new Date(key.at).toISOString(),
              },
            ]
          : [];
      });
      return { conversations, nextCursor };
    },

    /**
     * The conversation with `page.limit` messages: its latest, or those before `page.before`;
     * oldest first, and the cursor of the ones before them.
     */
    async get(viewer: Viewer, id: string, page: { limit: number; before?: Position }): Promise<Conversation> {
      const role = await roleOn(db, viewer, id);
      const conversation = role
        ? await db.selectFrom('conversations').select(['id', 'title']).where('id', '=', id).executeTakeFirst()
        : undefined;
      if (!role || !conversation) throw conversationNotFound();
      const { before } = page;
      const newest = await db
        .selectFrom('messages')
        .innerJoin('users', 'users.id', 'messages.author_id')
        .select(['messages.id', 'messages.text', 'messages.created_at', 'messages.author_id', 'users.name'])
        .where('messages.conversation_id', '=', id)
        .$if(before !== undefined, (query) =>
          query.where((eb) =>
            eb.or([
              eb('messages.created_at', '<', before!.at),
              eb.and([eb('messages.created_at', '=', before!.at), eb('messages.id', '<', before!.id)]),
            ]),
          ),
        )
        .orderBy('messages.created_at', 'desc')
        .orderBy('messages.id', 'desc')
        .limit(page.limit + 1)
        .execute();
      const onPage = newest.slice(0, page.limit).reverse();
      const first = onPage[0];
      return {
        id: conversation.id,
        title: conversation.title,
        role,
        messages: onPage.map<Message>((m) => ({
          id: m.id,
          author: { id: m.author_id, name: m.name },
          text: m.text,
          createdAt: new Date(Number(m.created_at)).toISOString(),
        })),
        earlierCursor:
          first && newest.length > page.limit
            ? encodeCursor({ at: Number(first.created_at), id: first.id })
            : null,
      };
    },

    async postMessage(viewer: Viewer, authorName: string, id: string, text: string): Promise<Message> {
      await requireRole(db, viewer, id, 'editor', 'post in this conversation');
      const now = clock.now();
      const message = {
        id: randomUUID(),
        conversation_id: id,
        author_id: viewer.userId,
        text,
        created_at: now,
      };
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('messages').values(message).execute();
        await trx.updateTable('conversations').set({ updated_at: now }).where('id', '=', id).execute();
      });
      return {
        id: message.id,
        author: { id: viewer.userId, name: authorName },
        text,
        createdAt: new Date(now).toISOString(),
      };
    },

    async delete(viewer: Viewer, id: string): Promise<void> {
      const attachmentIds = await db.transaction().execute(async (trx) => {
        await requireRole(trx, viewer, id, 'owner', 'delete this conversation');
        let query = trx.selectFrom('conversations').select('title').where('id', '=', id);
        if (deps.lockRows) query = query.forUpdate();
        const conversation = await query.executeTakeFirst();
        if (!conversation) throw conversationNotFound();
        const attachments = await trx
          .selectFrom('attachments')
          .select('id')
          .where('conversation_id', '=', id)
          .execute();
        await recordAudit(trx, {
          actorId: viewer.userId,
          action: 'conversation.delete',
          subjectType: 'conversation',
          subjectId: id,
          details: { title: conversation.title },
          at: clock.now(),
        });
        // Messages, grants, attachment rows and jobs go with it (ON DELETE CASCADE); the audit
        // entries stay. Attachment files are deleted only once this has committed.
        await trx.deleteFrom('conversations').where('id', '=', id).execute();
        return attachments.map((row) => row.id);
      });
      await deps.afterDelete?.({ conversationId: id, attachmentIds });
    },
  };
}

export type ConversationService = ReturnType<typeof createConversationService>;
