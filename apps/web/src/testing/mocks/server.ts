import { setupServer } from 'msw/node';
import { attachmentHandlers } from './handlers/attachments';
import { authHandlers } from './handlers/auth';
import { configHandlers } from './handlers/config';
import { conversationHandlers } from './handlers/conversations';
import { meHandlers } from './handlers/me';
import { principalHandlers } from './handlers/principals';

export const server = setupServer(
  ...authHandlers,
  ...configHandlers,
  ...meHandlers,
  ...conversationHandlers,
  ...principalHandlers,
  ...attachmentHandlers,
);
