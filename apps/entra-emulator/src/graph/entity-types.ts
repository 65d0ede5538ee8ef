import type { EntityType } from './odata';
import { PERSON_PROPERTIES } from './people';
import {
  GROUP_DEFAULT_PROPERTIES,
  GROUP_PROPERTIES,
  USER_DEFAULT_PROPERTIES,
  USER_PROPERTIES,
} from './representations';

export const USER_TYPE: EntityType = {
  name: 'microsoft.graph.user',
  properties: USER_PROPERTIES,
  defaultProperties: USER_DEFAULT_PROPERTIES,
  searchable: [
    'displayName',
    'givenName',
    'surname',
    'mail',
    'userPrincipalName',
    'mailNickname',
    'jobTitle',
    'department',
    'officeLocation',
    'companyName',
    'employeeId',
  ],
};

export const GROUP_TYPE: EntityType = {
  name: 'microsoft.graph.group',
  properties: GROUP_PROPERTIES,
  defaultProperties: GROUP_DEFAULT_PROPERTIES,
  searchable: ['displayName', 'description', 'mail', 'mailNickname'],
};

export const PERSON_TYPE: EntityType = {
  name: 'microsoft.graph.person',
  properties: PERSON_PROPERTIES,
  defaultProperties: PERSON_PROPERTIES,
  searchable: ['displayName'],
};
