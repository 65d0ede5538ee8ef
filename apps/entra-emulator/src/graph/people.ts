import type { Directory } from '../directory/directory';
import type { SeedUser } from '../seed/types';
import type { GraphObject } from './representations';

/**
 * `/me/people`: the people (and Microsoft 365 groups) most relevant to the user. The emulator's
 * relevance is the number of groups shared with the user (the organisation-wide group aside), then name.
 */
export function peopleFor(directory: Directory, me: SeedUser): GraphObject[] {
  const myGroups = directory
    .memberOf(me.id)
    .filter((g) => directory.members(g.id).length < directory.users().length);
  const mine = new Set(myGroups.map((g) => g.id));
  const scored = directory
    .users()
    .filter((u) => u.id !== me.id && u.accountEnabled !== false)
    .map((u) => ({ user: u, score: directory.memberOf(u.id).filter((g) => mine.has(g.id)).length }))
    .sort((a, b) => b.score - a.score || a.user.displayName.localeCompare(b.user.displayName));
  const people: GraphObject[] = scored.map(({ user, score }) => personOf(user, score));
  const groups = directory
    .transitiveMemberOf(me.id)
    .filter((g) => g.groupTypes.includes('Unified'))
    .map<GraphObject>((g) => ({
      id: g.id,
      displayName: g.displayName,
      givenName: null,
      surname: null,
      birthday: '',
      personNotes: '',
      isFavorite: false,
      jobTitle: null,
      companyName: null,
      yomiCompany: '',
      department: null,
      officeLocation: null,
      profession: '',
      userPrincipalName: null,
      imAddress: null,
      scoredEmailAddresses: g.mail
        ? [{ address: g.mail, relevanceScore: 5, selectionLikelihood: 'notSpecified' }]
        : [],
      phones: [],
      postalAddresses: [],
      websites: [],
      personType: { class: 'Group', subclass: 'UnifiedGroup' },
    }));
  return [...people.slice(0, 10), ...groups, ...people.slice(10)];
}

function personOf(user: SeedUser, score: number): GraphObject {
  return {
    id: user.id,
    displayName: user.displayName,
    givenName: user.givenName ?? null,
    surname: user.surname ?? null,
    birthday: '',
    personNotes: '',
    isFavorite: false,
    jobTitle: user.jobTitle ?? null,
    companyName: user.companyName ?? null,
    yomiCompany: '',
    department: user.department ?? null,
    officeLocation: user.officeLocation ?? null,
    profession: '',
    userPrincipalName: user.userPrincipalName,
    imAddress: `sip:${user.userPrincipalName}`,
    scoredEmailAddresses: user.mail
      ? [{ address: user.mail, relevanceScore: 10 + score, selectionLikelihood: 'notSpecified' }]
      : [],
    phones: (user.businessPhones ?? []).map((number) => ({ type: 'business', number })),
    postalAddresses: [],
    websites: [],
    personType: { class: 'Person', subclass: 'OrganizationUser' },
  };
}

export const PERSON_PROPERTIES = Object.keys(
  personOf({ id: '', userPrincipalName: 'x@y', displayName: '', password: '' }, 0),
);
