import { ConversationsEmpty } from './conversations-empty';

export default function ConversationsRoute() {
  return (
    <div className="gh-page">
      <title>Conversations · Gatehouse</title>
      <ConversationsEmpty headingLevel={1} />
    </div>
  );
}
