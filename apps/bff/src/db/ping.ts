import { type Kysely, sql } from 'kysely';

/** For `/readyz`: resolves when the database answers `select 1` within `timeoutMs`, else rejects. */
export async function ping<DB>(db: Kysely<DB>, timeoutMs = 2000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`database did not answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([sql`select 1`.execute(db), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
