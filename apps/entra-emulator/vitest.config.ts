import { defineProject } from 'vitest/config';

export default defineProject({
  test: { name: 'entra-emulator', environment: 'node', include: ['src/**/*.test.ts', 'test/**/*.test.ts'] },
});
