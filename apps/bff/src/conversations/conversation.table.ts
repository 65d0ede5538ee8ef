import type { Selectable } from 'kysely';

/** `conversations`: a title and who started it. Who may read or change it is in `grants`. */
export interface ConversationsTable {
  id: string;
  title: string;
  /** The user who created it (shown as its owner while they still own it). */
  created_by: string;
  /** Epoch ms. */
  created_at: number;
  /** Epoch ms: creation, the latest message or a rename. */
  updated_at: number;
}

/** `messages`: plain text a user posted (there is no AI model). */
export interface MessagesTable {
  id: string;
  conversation_id: string;
  author_id: string;
  text: string;
  created_at: number;
}

export type ConversationRow = Selectable<ConversationsTable>;
export type MessageRow = Selectable<MessagesTable>;
