import { randomUUID } from 'node:crypto';
import { createMemorySessionStore } from './memory-session-store';
import { describeSessionStoreContract } from './session-store.contract';

describeSessionStoreContract('memory', async () => ({
  store: createMemorySessionStore(),
  newUserId: async () => randomUUID(),
  cleanup: async () => {},
}));
