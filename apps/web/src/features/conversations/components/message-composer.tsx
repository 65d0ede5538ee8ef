import { conversationLimits } from '@gatehouse/contracts';
import { type FormEvent, type KeyboardEvent, useId, useState } from 'react';
import { Alert } from '../../../components/ui/alert';
import { Button } from '../../../components/ui/button';
import { usePostMessage } from '../api/post-message';

/** Write and post a message. Enter posts, Shift+Enter starts a new line; a failed post keeps the text. */
export function MessageComposer({ conversationId }: { conversationId: string }) {
  const [text, setText] = useState('');
  const [posted, setPosted] = useState(0);
  const inputId = useId();
  const hintId = useId();
  const post = usePostMessage(conversationId);

  const send = () => {
    const trimmed = text.trim();
    if (!trimmed || post.isPending) return;
    post.mutate(trimmed, {
      onSuccess: () => {
        setText('');
        setPosted((count) => count + 1);
      },
    });
  };
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    send();
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      send();
    }
  };

  return (
    <form className="gh-composer" onSubmit={onSubmit}>
      <label htmlFor={inputId} className="gh-visually-hidden">
        Message
      </label>
      <textarea
        id={inputId}
        className="gh-textarea"
        rows={3}
        value={text}
        maxLength={conversationLimits.maxMessage}
        placeholder="Write a message…"
        aria-describedby={hintId}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={onKeyDown}
      />
      <div className="gh-composer__bar">
        <p id={hintId} className="gh-field__hint">
          Enter to post, Shift+Enter for a new line
        </p>
        <Button type="submit" isLoading={post.isPending} disabled={!text.trim()}>
          Post
        </Button>
      </div>
      {post.isError ? (
        <Alert variant="error" live="alert" title="Your message wasn't posted">
          {post.error.code === 'forbidden'
            ? 'You can no longer post here: your access to this conversation changed.'
            : post.error.message}
        </Alert>
      ) : null}
      <p className="gh-visually-hidden" role="status">
        {posted > 0 ? 'Message posted' : ''}
      </p>
    </form>
  );
}
