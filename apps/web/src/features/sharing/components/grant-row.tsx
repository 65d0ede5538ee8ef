import type { Grant, ShareRole } from '@gatehouse/contracts';
import { useId, useState } from 'react';
import { Button } from '../../../components/ui/button';
import { GroupMembers } from './group-members';
import { PrincipalAvatar, principalDetail, SourceBadge } from './principal-avatar';
import { RoleSelect } from './role-select';

/** One principal with access: who, where from, their role (editable) and Remove; groups list their members. */
export function GrantRow({
  grant,
  isYou,
  onRoleChange,
  onRemove,
}: {
  grant: Grant;
  isYou: boolean;
  onRoleChange: (role: ShareRole) => void;
  onRemove: () => void;
}) {
  const { principal } = grant;
  const [showMembers, setShowMembers] = useState(false);
  const membersId = useId();
  const name = isYou ? `${principal.name} (you)` : principal.name;
  return (
    <li className="gh-grant">
      <div className="gh-grant__main">
        <PrincipalAvatar principal={principal} name={principal.name} size="md" />
        <div className="gh-grant__who">
          <span className="gh-grant__name">
            {/* Long names and emails end in an ellipsis (the whole text in the tooltip), never wrap mid-word. */}
            <span className="gh-grant__name-text" title={name}>
              {name}
            </span>
            <SourceBadge source={principal.source} />
          </span>
          <span className="gh-grant__detail" title={principalDetail(principal)}>
            {principalDetail(principal)}
          </span>
          {principal.type === 'group' ? (
            <button
              type="button"
              className="gh-link-button"
              aria-expanded={showMembers}
              aria-controls={showMembers ? membersId : undefined}
              onClick={() => setShowMembers((shown) => !shown)}
            >
              {showMembers ? `Hide the members of ${principal.name}` : `Who is in ${principal.name}?`}
            </button>
          ) : null}
        </div>
        <div className="gh-grant__controls">
          <RoleSelect value={grant.role} onChange={onRoleChange} label={`Role for ${principal.name}`} />
          <Button variant="ghost" onClick={onRemove} aria-label={`Remove ${principal.name}`}>
            Remove
          </Button>
        </div>
      </div>
      {showMembers ? <GroupMembers id={membersId} group={principal} /> : null}
    </li>
  );
}
