import { defineConfig } from 'vitest/config';

/** The pure core's tests alone: no emulators, so Stryker can run them in its sandboxes. */
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
  },
});
