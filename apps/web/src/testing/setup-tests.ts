import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { resetAttachmentsBff } from './mocks/attachments-bff';
import { resetBff } from './mocks/bff';
import { server } from './mocks/server';
import { resetSharingBff } from './mocks/sharing-bff';
import { disposeRenderedApps } from './test-utils';

// Pages are lazy chunks: the first import of each is transformed on demand, which can take a while.
configure({ asyncUtilTimeout: 5_000 });

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));

afterEach(() => {
  cleanup();
  disposeRenderedApps();
  server.resetHandlers();
  resetBff();
  resetSharingBff();
  resetAttachmentsBff();
  // The SPA never writes browser storage or JS-visible cookies, in any test, whatever the flow.
  expect({
    localStorage: localStorage.length,
    sessionStorage: sessionStorage.length,
    cookie: document.cookie,
  }).toEqual({
    localStorage: 0,
    sessionStorage: 0,
    cookie: '',
  });
});

afterAll(() => server.close());
