/**
 * Prints how many Vitest tests ran on each database, from the JSON report `pnpm test:unit` writes.
 * Tests that run per database name it in a describe title ("… on postgres", "(sqlite)"), as
 * `testDatabases()` suggests. Fails when PostgreSQL was demanded (GATEHOUSE_TEST_DB) but none ran
 * there: a quietly skipped database is the failure this summary exists to show.
 */
import { readFileSync } from 'node:fs';

interface Report {
  testResults: { assertionResults: { ancestorTitles: string[]; fullName: string; status: string }[] }[];
}

const file = process.argv[2] ?? 'reports/vitest.json';
const report = JSON.parse(readFileSync(file, 'utf8')) as Report;
const counts: Record<'sqlite' | 'postgres', Record<string, number>> = { sqlite: {}, postgres: {} };
for (const suite of report.testResults) {
  for (const test of suite.assertionResults) {
    const titles = test.ancestorTitles.join(' › ');
    for (const db of ['sqlite', 'postgres'] as const) {
      if (new RegExp(`\\b${db}\\b`, 'i').test(titles))
        counts[db][test.status] = (counts[db][test.status] ?? 0) + 1;
    }
  }
}
const line = (db: 'sqlite' | 'postgres') => {
  const c = counts[db];
  const parts = Object.entries(c).map(([status, n]) => `${n} ${status}`);
  return `${db.padEnd(8)} ${parts.length ? parts.join(', ') : 'none ran'}`;
};
console.log(`\nTests per database:\n  ${line('sqlite')}\n  ${line('postgres')}`);

const demanded = (process.env.GATEHOUSE_TEST_DB ?? '').split(',').map((s) => s.trim());
for (const db of ['sqlite', 'postgres'] as const) {
  if (demanded.includes(db) && !counts[db].passed) {
    console.error(`${db} was demanded by GATEHOUSE_TEST_DB but no test passed on it.`);
    process.exitCode = 1;
  }
}
