import type { Selectable } from 'kysely';

/**
 * `entra_principals`: the name and email Microsoft Graph returned for an Entra user or group when
 * the BFF resolved it by object id (at share time). Nothing here ever comes from the browser.
 */
export interface EntraPrincipalsTable {
  type: 'user' | 'group';
  id: string;
  name: string;
  email: string | null;
  resolved_at: number;
}

export type EntraPrincipalRow = Selectable<EntraPrincipalsTable>;
