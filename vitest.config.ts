import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['__tests__/**/*.test.ts'],
    // dist/ is built once before the tests: bench children and the action e2e tests run it.
    globalSetup: ['__tests__/setup/build-dist.ts', '__tests__/setup/azurite.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // The machine has 2 cores; bench children measure time, so keep files from fighting.
    fileParallelism: true,
    maxWorkers: 2,
  },
});
