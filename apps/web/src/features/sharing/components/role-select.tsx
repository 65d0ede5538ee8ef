import { type ShareRole, shareRoles } from '@gatehouse/contracts';
import { shareRoleText } from '../../../lib/share-roles';

/** The role menu: a native select, so every keyboard and screen reader already knows how to use it. */
export function RoleSelect({
  value,
  onChange,
  label,
  id,
}: {
  value: ShareRole;
  onChange: (role: ShareRole) => void;
  label: string;
  id?: string;
}) {
  return (
    <select
      id={id}
      className="gh-select gh-select--sm"
      aria-label={label}
      value={value}
      onChange={(event) => onChange(event.target.value as ShareRole)}
    >
      {shareRoles.map((role) => (
        <option key={role} value={role}>
          {shareRoleText[role].label}
        </option>
      ))}
    </select>
  );
}
