import type { ShareRole } from '@gatehouse/contracts';

/** How each role reads in the UI, and what it lets someone do (the role menus and badges share these). */
export const shareRoleText: Record<ShareRole, { label: string; can: string }> = {
  viewer: { label: 'Viewer', can: 'can read' },
  editor: { label: 'Editor', can: 'can read and post' },
  owner: { label: 'Owner', can: 'can post, share and delete' },
};
