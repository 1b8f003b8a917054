import { defineConfig } from 'vitest/config';

/**
 * Test files whose verdict comes from timing real bench processes (a slowdown must fail, an
 * unchanged head must pass). They run after the rest, one file at a time: alongside other test
 * files on a 2-core machine their fork medians spread by 100 % and more, and a 12× slowdown was
 * then left unconfirmed (fresh-clone CI, 2026-12-02/03).
 */
const TIMED = [
  '__tests__/action/against-base.test.ts',
  '__tests__/action/edge.test.ts',
  '__tests__/action/flow.test.ts',
  '__tests__/action/local.test.ts',
  '__tests__/action/profiles.test.ts',
  '__tests__/cli/against.test.ts',
  '__tests__/cli/confirm.test.ts',
  '__tests__/cli/run.test.ts',
];

const shared = { testTimeout: 60_000, hookTimeout: 120_000 };

export default defineConfig({
  test: {
    // Once for the whole run (the projects below do not inherit it): dist/ is built before the
    // tests (bench children and the action e2e tests run it) and one Azurite serves them all.
    globalSetup: ['__tests__/setup/build-dist.ts', '__tests__/setup/azurite.ts'],
    projects: [
      {
        test: {
          ...shared,
          name: 'parallel',
          include: ['__tests__/**/*.test.ts'],
          exclude: TIMED,
          // The machine has 2 cores; bench children measure time, so keep files from fighting.
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          ...shared,
          name: 'timed',
          include: TIMED,
          maxWorkers: 1,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
