import type { SearchResult } from '@gatehouse/contracts';

/** A search hit before merging: the wire result plus what de-duplication needs. */
export interface Candidate extends SearchResult {
  /** The Entra object id this hit stands for (an Entra hit's id; a local user signed in through Entra). */
  objectId?: string;
  /**
   * Whether `email` is a directory address that may merge this hit with another one: Graph's answers,
   * and local users signed in through Entra. A local account of another provider never merges by
   * email with a directory entry, since an address proves nothing about who holds it.
   */
  trustedEmail: boolean;
  /** Where it came from; earlier origins win a tie and survive de-duplication. */
  origin: 'local' | 'users' | 'groups' | 'people';
}

/** 0 exact, 1 prefix (of the name, a word of the name, or the email), 2 contains, 3 other (Graph's fuzzier match). */
export function rankOf(query: string, candidate: Pick<SearchResult, 'name' | 'email'>): 0 | 1 | 2 | 3 {
  const q = query.toLowerCase();
  const name = candidate.name.toLowerCase();
  const email = (candidate.email ?? '').toLowerCase();
  const localPart = email.split('@')[0] ?? '';
  if (name === q || email === q || localPart === q) return 0;
  if (
    name.startsWith(q) ||
    email.startsWith(q) ||
    name.split(/[\s.\-_]+/).some((word) => word.startsWith(q))
  ) {
    return 1;
  }
  if (name.includes(q) || email.includes(q)) return 2;
  return 3;
}

const originOrder: Record<Candidate['origin'], number> = { local: 0, users: 1, groups: 2, people: 3 };

/**
 * Merges local and directory hits into one list: de-duplicated (by object id, and by email among
 * directory addresses), then ranked exact > prefix > contains; within a rank local hits come first,
 * then users before groups, then by name. The first hit of a duplicate pair in origin order is kept,
 * so a local account wins over the same person's directory entry.
 */
export function mergeResults(query: string, candidates: readonly Candidate[], limit: number): SearchResult[] {
  const ordered = [...candidates].sort((a, b) => originOrder[a.origin] - originOrder[b.origin]);
  const seenIds = new Set<string>();
  const seenEmails = new Set<string>();
  const kept: { candidate: Candidate; rank: number }[] = [];
  for (const candidate of ordered) {
    const idKey = `${candidate.type}:${candidate.source}:${candidate.id}`;
    const objectKey = candidate.objectId
      ? `${candidate.type}:oid:${candidate.objectId.toLowerCase()}`
      : undefined;
    const emailKey =
      candidate.trustedEmail && candidate.email
        ? `${candidate.type}:mail:${candidate.email.toLowerCase()}`
        : undefined;
    if (
      seenIds.has(idKey) ||
      (objectKey && seenIds.has(objectKey)) ||
      (emailKey && seenEmails.has(emailKey))
    ) {
      continue;
    }
    seenIds.add(idKey);
    if (objectKey) seenIds.add(objectKey);
    if (emailKey) seenEmails.add(emailKey);
    kept.push({ candidate, rank: rankOf(query, candidate) });
  }
  kept.sort(
    (a, b) =>
      a.rank - b.rank ||
      Number(a.candidate.source !== 'local') - Number(b.candidate.source !== 'local') ||
      Number(a.candidate.type !== 'user') - Number(b.candidate.type !== 'user') ||
      a.candidate.name.localeCompare(b.candidate.name),
  );
  return kept.slice(0, limit).map(({ candidate }) => toResult(candidate));
}

function toResult(candidate: Candidate): SearchResult {
  const { type, source, id, name, email, memberCount } = candidate;
  return { type, source, id, name, email, ...(memberCount === undefined ? {} : { memberCount }) };
}
