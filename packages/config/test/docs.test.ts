/**
 * `.env.example` and docs/configuration.md describe the schema; these tests fail when they drift apart.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ignoredLibreChatVariables } from '../src/known-variables';
import { checkConfig } from '../src/load';
import { type EnvVariable, envSchema, envVariables, variableGroups } from '../src/schema';

const read = (path: string) => readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8');
const envExample = read('.env.example');
const reference = read('docs/configuration.md');

/** `# NAME=value` and `NAME=value` lines of .env.example, in order. */
const variableLines = [...envExample.matchAll(/^(#\s?)?([A-Z][A-Z0-9_]*)=(.*)$/gm)].map((match) => ({
  commented: match[1] !== undefined,
  name: match[2] ?? '',
  value: match[3] ?? '',
}));

/** Defaults that depend on another variable: the example shows them in prose. */
const dependentDefaults = new Set<EnvVariable>([
  'DOMAIN_CLIENT',
  'OPENID_POST_LOGOUT_REDIRECT_URI',
  'OPENID_GRAPH_SCOPES',
]);

describe('.env.example', () => {
  it('lists every variable once, in the order and groups of the schema', () => {
    expect(variableLines.map((line) => line.name)).toEqual(
      variableGroups.flatMap((group) => group.variables),
    );
  });

  it('has a heading for each group', () => {
    for (const group of variableGroups) expect(envExample).toContain(`# ${group.title}`);
  });

  it('changes nothing when copied to .env: every line is commented out', () => {
    expect(variableLines.filter((line) => !line.commented)).toEqual([]);
  });

  it('shows each static default as the schema has it', () => {
    for (const line of variableLines) {
      const name = line.name as EnvVariable;
      const fallback = envSchema.shape[name].safeParse(undefined);
      const hasDefault =
        fallback.success &&
        fallback.data !== undefined &&
        !(Array.isArray(fallback.data) && fallback.data.length === 0) &&
        !dependentDefaults.has(name);
      if (!hasDefault || line.value === '') continue;
      expect({ name, value: envSchema.shape[name].parse(line.value) }).toEqual({
        name,
        value: fallback.data,
      });
    }
  });

  it('uncommented with the values it shows and the required ones filled, is a valid configuration', () => {
    const env = Object.fromEntries(variableLines.map((line) => [line.name, line.value]));
    const filled = {
      ...env,
      OPENID_CLIENT_ID: '4a1c9f0e-2b7d-4e55-9c3a-7f1e8d2b6a90',
      OPENID_CLIENT_SECRET: 'Qx8Q~f3JkLmN0pQrStUvWxYz.AbCdEfGhIjKlMnOp',
      OPENID_ISSUER: 'https://login.microsoftonline.com/0f9e8d7c-6b5a-4c3d-2e1f-0a9b8c7d6e5f/v2.0',
      OPENID_SESSION_SECRET: 'q3Vt0s8wB2yJm6ZrX1kF9nH4cL7eA5pD0gT2uW8iR6oY',
      SHAREPOINT_BASE_URL: 'https://contoso.sharepoint.com',
      SHAREPOINT_PICKER_SHAREPOINT_SCOPE: 'https://contoso.sharepoint.com/AllSites.Read',
    };
    expect(checkConfig(filled).issues.filter((issue) => issue.severity === 'error')).toEqual([]);
  });
});

describe('docs/configuration.md', () => {
  it('describes every variable in a table row', () => {
    for (const name of envVariables) expect(reference).toMatch(new RegExp(`^\\| \`${name}\` +\\|`, 'm'));
  });

  it('has a section for each group', () => {
    for (const group of variableGroups) expect(reference).toContain(`### ${group.title}`);
  });

  it('names every LibreChat variable it ignores', () => {
    for (const name of Object.keys(ignoredLibreChatVariables)) {
      const family = name.replace(/(ADMIN_ROLE|ROLE_SYNC_|DISCOVERY_RETRY_).*$/, '$1');
      expect(
        reference.includes(`\`${name}\``) || reference.includes(`\`${family}`) || /USERINFRO/.test(name),
      ).toBe(true);
    }
  });
});
