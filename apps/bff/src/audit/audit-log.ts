import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/database';

type Db = Kysely<Database> | Transaction<Database>;

export type AuditAction =
  | 'conversation.create'
  | 'conversation.delete'
  | 'grants.replace'
  | 'local_group.create'
  | 'local_group.delete'
  | 'local_group.members.replace';

export interface AuditEntry {
  /** The user who made the change. */
  actorId: string;
  action: AuditAction;
  subjectType: 'conversation' | 'local_group';
  subjectId: string;
  /** What changed (before/after lists, a title); never a token or secret. */
  details: Record<string, unknown>;
  at: number;
}

let sequence = 0;

/**
 * Ids sort in the order entries were written: the time, then a per-process counter (several
 * changes may share a millisecond), then randomness so processes never collide.
 */
function auditId(at: number): string {
  sequence = (sequence + 1) % 1_000_000;
  return `${String(at).padStart(15, '0')}-${String(sequence).padStart(6, '0')}-${randomUUID()}`;
}

/** Appends one entry; pass the transaction of the change so both are written or neither. */
export async function recordAudit(db: Db, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      id: auditId(entry.at),
      at: entry.at,
      actor_id: entry.actorId,
      action: entry.action,
      subject_type: entry.subjectType,
      subject_id: entry.subjectId,
      details: JSON.stringify(entry.details),
    })
    .execute();
}

/** The entries about one subject, oldest first. */
export async function auditTrail(
  db: Db,
  subjectType: AuditEntry['subjectType'],
  subjectId: string,
): Promise<AuditEntry[]> {
  const rows = await db
    .selectFrom('audit_log')
    .selectAll()
    .where('subject_type', '=', subjectType)
    .where('subject_id', '=', subjectId)
    .orderBy('id')
    .execute();
  return rows.map((row) => ({
    actorId: row.actor_id,
    action: row.action as AuditAction,
    subjectType: row.subject_type as AuditEntry['subjectType'],
    subjectId: row.subject_id,
    details: JSON.parse(row.details) as Record<string, unknown>,
    at: Number(row.at),
  }));
}
