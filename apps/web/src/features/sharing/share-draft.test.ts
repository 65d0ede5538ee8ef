import type { Grant, SearchResult } from '@gatehouse/contracts';
import { describe, expect, it } from 'vitest';
import { emptyDraft, hasChanges, shareDraftReducer, toPutRequest } from './share-draft';

const megan: Grant = {
  principal: {
    type: 'user',
    source: 'local',
    id: 'u-megan',
    name: 'Megan Bowen',
    email: 'megan@contoso.test',
  },
  role: 'owner',
};
const marketing: SearchResult = {
  type: 'group',
  source: 'entra',
  id: 'g-marketing',
  name: 'Marketing',
  email: 'marketing@contoso.test',
  memberCount: 12,
};
const adele: SearchResult = {
  type: 'user',
  source: 'entra',
  id: 'e-adele',
  name: 'Adele Vance',
  email: null,
};

describe('shareDraftReducer', () => {
  const loaded = shareDraftReducer(emptyDraft, { type: 'load', grants: [megan] });

  it('adds a picked principal once, and never one that already has access', () => {
    let draft = shareDraftReducer(loaded, { type: 'add', principal: marketing });
    draft = shareDraftReducer(draft, { type: 'add', principal: marketing });
    draft = shareDraftReducer(draft, { type: 'add', principal: { ...megan.principal } });
    expect(draft.pending).toEqual([marketing]);
  });

  it('removes the last picked principal (Backspace), and nothing when none is picked', () => {
    let draft = shareDraftReducer(loaded, { type: 'add', principal: marketing });
    draft = shareDraftReducer(draft, { type: 'add', principal: adele });
    draft = shareDraftReducer(draft, { type: 'remove-last-pending' });
    expect(draft.pending.map((picked) => picked.name)).toEqual(['Marketing']);
    expect(shareDraftReducer(loaded, { type: 'remove-last-pending' })).toBe(loaded);
  });

  it('builds the PUT body from references only, with the role chosen for the picked ones', () => {
    let draft = shareDraftReducer(loaded, { type: 'add', principal: marketing });
    draft = shareDraftReducer(draft, { type: 'set-pending-role', role: 'editor' });
    expect(toPutRequest(draft)).toEqual({
      grants: [
        { principal: { type: 'user', source: 'local', id: 'u-megan' }, role: 'owner' },
        { principal: { type: 'group', source: 'entra', id: 'g-marketing' }, role: 'editor' },
      ],
    });
  });

  it('knows when there is something to save', () => {
    expect(hasChanges(loaded, [megan])).toBe(false);
    const demoted = shareDraftReducer(loaded, {
      type: 'set-role',
      principal: megan.principal,
      role: 'viewer',
    });
    expect(hasChanges(demoted, [megan])).toBe(true);
    expect(
      hasChanges(shareDraftReducer(loaded, { type: 'remove', principal: megan.principal }), [megan]),
    ).toBe(true);
  });
});
