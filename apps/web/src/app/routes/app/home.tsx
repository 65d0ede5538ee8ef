import { useMsal } from '@azure/msal-react';
import { Link } from 'react-router';
import { Card } from '../../../components/ui/card';
import { paths } from '../../../config/paths';
import { useSession } from '../../../features/auth/use-session';
import { ConversationList } from '../../../features/conversations/components/conversation-list';
import { formatDateTime, formatFromNow } from '../../../lib/format-time';

/** The signed-in home: who you are to Gatehouse, how long the session lasts, and what is coming. */
export default function HomeRoute() {
  const { accounts } = useMsal();
  const { session } = useSession();
  if (!session) return null;
  const { user } = session;
  const name = accounts[0]?.name ?? user.name;
  const firstName = name.split(/\s+/)[0] || name;
  return (
    <div className="gh-page">
      <title>Home · Gatehouse</title>
      <div className="gh-page__intro">
        <h1>Welcome, {firstName}</h1>
        <p className="gh-page__lead">You're signed in with your organisation's Microsoft account.</p>
      </div>
      <div className="gh-grid">
        <Card title="Your identity" titleId="identity-title">
          <dl className="gh-facts">
            <div>
              <dt>Name</dt>
              <dd>{user.name}</dd>
            </div>
            <div>
              <dt>Email</dt>
              <dd>{user.email || '—'}</dd>
            </div>
            <div>
              <dt>Username</dt>
              <dd>{user.username}</dd>
            </div>
            <div>
              <dt>Tenant</dt>
              <dd>
                <code>{user.tenantId || '—'}</code>
              </dd>
            </div>
            <div>
              <dt>Roles</dt>
              <dd>
                {user.roles.length > 0 ? (
                  <ul className="gh-role-list">
                    {user.roles.map((role) => (
                      <li key={role} className="gh-chip">
                        {role}
                      </li>
                    ))}
                  </ul>
                ) : (
                  'No app roles'
                )}
              </dd>
            </div>
          </dl>
        </Card>
        <Card title="Session" titleId="session-title">
          <dl className="gh-facts">
            <div>
              <dt>Active until</dt>
              <dd>
                {formatDateTime(session.expiresAt)}{' '}
                <span className="gh-muted">
                  ({formatFromNow(session.expiresAt)}, extended while you use Gatehouse)
                </span>
              </dd>
            </div>
            <div>
              <dt>Ends at the latest</dt>
              <dd>{formatDateTime(session.absoluteExpiresAt)}</dd>
            </div>
          </dl>
          <p className="gh-note">
            Your Microsoft tokens stay on the Gatehouse server. This browser holds only a session cookie that
            scripts cannot read.
          </p>
        </Card>
        <Card
          title="Your conversations"
          titleId="home-conversations-title"
          className="gh-grid__wide"
          actions={<Link to={paths.conversations.getHref()}>All conversations</Link>}
        >
          <ConversationList filter="mine" label="Your conversations" />
        </Card>
      </div>
    </div>
  );
}
