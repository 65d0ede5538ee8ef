import { Card } from '../../../components/ui/card';

/** Honest about what exists: conversations arrive with sharing, in a later release. */
export function ConversationsEmpty({ headingLevel = 2 }: { headingLevel?: 1 | 2 }) {
  return (
    <Card
      title="Conversations"
      titleId="conversations-title"
      headingLevel={headingLevel}
      className="gh-empty"
    >
      <div className="gh-empty__body">
        <svg className="gh-empty__art" viewBox="0 0 64 64" aria-hidden="true" focusable="false">
          <rect x="6" y="10" width="40" height="28" rx="8" />
          <rect x="20" y="26" width="38" height="26" rx="8" />
        </svg>
        <p className="gh-empty__title">No conversations yet</p>
        <p className="gh-empty__text">
          Conversations arrive with sharing: you'll find the ones you start here, and the ones colleagues and
          groups share with you.
        </p>
      </div>
    </Card>
  );
}
