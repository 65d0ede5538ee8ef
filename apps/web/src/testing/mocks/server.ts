import { setupServer } from 'msw/node';
import { authHandlers } from './handlers/auth';
import { configHandlers } from './handlers/config';
import { meHandlers } from './handlers/me';

export const server = setupServer(...authHandlers, ...configHandlers, ...meHandlers);
