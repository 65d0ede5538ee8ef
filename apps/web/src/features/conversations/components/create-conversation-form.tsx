import { conversationLimits } from '@gatehouse/contracts';
import { type FormEvent, useId, useState } from 'react';
import { useNavigate } from 'react-router';
import { Alert } from '../../../components/ui/alert';
import { Button } from '../../../components/ui/button';
import { paths } from '../../../config/paths';
import { useCreateConversation } from '../api/create-conversation';

/** "New conversation": a title, then straight into the new conversation. */
export function CreateConversationForm() {
  const [title, setTitle] = useState('');
  const [invalid, setInvalid] = useState(false);
  const inputId = useId();
  const errorId = useId();
  const create = useCreateConversation();
  const navigate = useNavigate();

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = title.trim();
    if (!trimmed) {
      setInvalid(true);
      return;
    }
    create.mutate(trimmed, {
      onSuccess: (created) => navigate(paths.conversation.getHref(created.id)),
    });
  };

  return (
    <form className="gh-create-conv" onSubmit={onSubmit} noValidate>
      <label htmlFor={inputId} className="gh-field__label">
        New conversation
      </label>
      <div className="gh-create-conv__row">
        <input
          id={inputId}
          className="gh-input"
          value={title}
          maxLength={conversationLimits.maxTitle}
          placeholder="Title, e.g. Q3 launch plan"
          aria-invalid={invalid || undefined}
          aria-describedby={invalid ? errorId : undefined}
          onChange={(event) => {
            setTitle(event.target.value);
            setInvalid(false);
          }}
        />
        <Button type="submit" isLoading={create.isPending}>
          Create
        </Button>
      </div>
      {invalid ? (
        <p id={errorId} className="gh-field__error">
          Give the conversation a title.
        </p>
      ) : null}
      {create.isError ? (
        <Alert variant="error" live="alert" title="The conversation wasn't created">
          {create.error.message}
        </Alert>
      ) : null}
    </form>
  );
}
