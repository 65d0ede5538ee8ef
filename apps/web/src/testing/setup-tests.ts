import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { resetBff } from './mocks/bff';
import { server } from './mocks/server';
import { disposeRenderedApps } from './test-utils';

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));

afterEach(() => {
  cleanup();
  disposeRenderedApps();
  server.resetHandlers();
  resetBff();
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
