import { registerEnumType } from 'type-graphql';

/** What a person or an API key may do in a workspace. */
export enum Role {
  ADMIN = 'ADMIN',
  STRATEGY_OWNER = 'STRATEGY_OWNER',
  AUDITOR = 'AUDITOR',
  CLIENT = 'CLIENT',
}
registerEnumType(Role, {
  name: 'Role',
  description:
    'ADMIN: everything, users and keys included; STRATEGY_OWNER: edit and publish; AUDITOR: read everything, change nothing; CLIENT: score and read published versions.',
  valuesConfig: {
    ADMIN: { description: 'Everything, users, memberships and API keys included.' },
    STRATEGY_OWNER: { description: 'Edits ICPs and their parts and publishes versions.' },
    AUDITOR: { description: 'Reads everything, history included; changes nothing.' },
    CLIENT: { description: 'Scores accounts and reads published versions (the role of most API keys).' },
  },
});

export const ROLES = Object.values(Role);
