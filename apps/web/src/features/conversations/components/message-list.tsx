import type { Message } from '@gatehouse/contracts';
import { Avatar } from '../../../components/ui/avatar';
import { formatDateTime } from '../../../lib/format-time';

/** The conversation's messages, oldest first, each with its author and time. */
export function MessageList({ messages, emptyText }: { messages: Message[]; emptyText: string }) {
  if (messages.length === 0) return <p className="gh-messages__empty">{emptyText}</p>;
  return (
    <ol className="gh-messages" aria-label="Messages">
      {messages.map((message) => (
        <li key={message.id} className="gh-message">
          <Avatar name={message.author.name} size="sm" />
          <div className="gh-message__body">
            <p className="gh-message__meta">
              <span className="gh-message__author">{message.author.name}</span>{' '}
              <time dateTime={message.createdAt}>{formatDateTime(message.createdAt)}</time>
            </p>
            <p className="gh-message__text">{message.text}</p>
          </div>
        </li>
      ))}
    </ol>
  );
}
