import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest, readMigrationStatus } from './migrate';
import { migrations } from './migrations';
import { readSchemaSnapshot, type SchemaSnapshot } from './schema-snapshot';
import { testDatabases } from './test-databases';
import { insertUpgradeRows } from './upgrade-rows';

// Generic over the list: every prefix of it is a schema some earlier build left behind (the empty
// prefix is a new database), so a migration added later is covered here without editing this file.
const ordered = Object.entries(migrations).sort(([a], [b]) => (a < b ? -1 : 1));
const names = ordered.map(([name]) => name);
const earlierSchemas = names.map((_, count) => ({
  label: count === 0 ? 'an empty database' : `the schema after ${names[count - 1]}`,
  migrations: Object.fromEntries(ordered.slice(0, count)),
  pending: names.slice(count),
}));

for (const target of await testDatabases()) {
  describe(`migrations on ${target.name}`, () => {
    let fresh: SchemaSnapshot;
    let cleanupFresh: (() => Promise<void>) | undefined;
    beforeAll(async () => {
      const opened = await target.open();
      cleanupFresh = opened.cleanup;
      fresh = await readSchemaSnapshot(opened.database);
    });
    afterAll(() => cleanupFresh?.());

    it.each(earlierSchemas.map((schema) => [schema.label, schema] as const))(
      'upgrades %s, keeping its rows, to the schema of a new database',
      async (_label, { migrations: earlier, pending }) => {
        const { database, cleanup } = await target.open({ migrations: earlier });
        try {
          const before = await readSchemaSnapshot(database);
          const written = await insertUpgradeRows(database.db, before, target.name);

          expect(await migrateToLatest(database.db)).toEqual(pending);

          const after = await readSchemaSnapshot(database);
          expect(after).toEqual(fresh);
          expect((await readMigrationStatus(database.db)).pending).toEqual([]);
          // Every row is still there with every value, in the columns that still exist.
          for (const [table, rows] of written) {
            const columns = after.tables.find((t) => t.name === table)?.columns.map((c) => c.name);
            if (!columns) continue; // dropped on purpose by a later migration
            const kept = (row: Record<string, unknown>) =>
              Object.fromEntries(Object.entries(row).filter(([column]) => columns.includes(column)));
            const now = await database.db
              .selectFrom(table as 'users')
              .selectAll()
              .execute();
            expect(sortRows(now.map((row) => kept(row))), table).toEqual(sortRows(rows.map(kept)));
          }
        } finally {
          await cleanup();
        }
      },
    );

    it('covers every table of the latest schema with rows', async () => {
      // A guard on the fixtures: a table that could not be given a row would not be tested above.
      const { database, cleanup } = await target.open({ migrations: {} });
      try {
        await migrateToLatest(database.db);
        const written = await insertUpgradeRows(database.db, await readSchemaSnapshot(database), target.name);
        const appTables = fresh.tables.map((t) => t.name).filter((name) => !name.startsWith('kysely_'));
        expect([...written.keys()].sort()).toEqual(appTables);
        for (const [table, rows] of written) expect(rows.length, table).toBeGreaterThan(0);
      } finally {
        await cleanup();
      }
    });
  });
}

/** Rows as comparable strings, in a stable order; JSON read back as an object compares as its text. */
function sortRows(rows: Record<string, unknown>[]): string[] {
  const value = (v: unknown) =>
    v !== null && typeof v === 'object' && !(v instanceof Date) && !Buffer.isBuffer(v)
      ? JSON.stringify(v)
      : v;
  return rows
    .map((row) =>
      JSON.stringify(
        Object.entries(row)
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([k, v]) => [k, value(v)]),
      ),
    )
    .sort();
}
