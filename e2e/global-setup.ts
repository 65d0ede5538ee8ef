import { assertChromium } from './support/chromium';
import { startStack } from './support/stack';

/** Starts the emulator and the production BFF serving the built SPA (see `support/stack.ts`). */
export default async function globalSetup() {
  assertChromium();
  const stack = await startStack();
  process.env.GATEHOUSE_E2E_URL = stack.appUrl;
  process.env.GATEHOUSE_E2E_EMULATOR_URL = stack.emulator.url;
  return () => stack.close();
}
