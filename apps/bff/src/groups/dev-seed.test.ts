import { contosoSeed } from '@gatehouse/entra-emulator';
import { describe, expect, it } from 'vitest';
import { devLocalGroups } from './dev-seed';

describe('development local groups', () => {
  it('name demo users by the object ids the emulator gives them', () => {
    for (const member of devLocalGroups.flatMap((g) => g.members)) {
      const user = contosoSeed.users.find((u) => u.id === member.oid);
      expect(user, member.email).toBeDefined();
      expect({ name: user!.displayName, email: user!.mail }).toEqual({
        name: member.name,
        email: member.email,
      });
    }
  });
});
