import { fileURLToPath } from 'node:url';
import { configSchema, type Config, type ConfigInput } from '../../src/config/schema.js';

export const FIXTURES = fileURLToPath(new URL('../fixtures/benches/', import.meta.url));

/** Short measurements and no instrumented passes: tests check behaviour, not speed. */
export function testConfig(overrides: Partial<ConfigInput> = {}): Config {
  return configSchema.parse({
    profile: { enabled: false },
    queries: { enabled: false },
    memory: { enabled: false },
    calls: { enabled: false },
    ...overrides,
    // One fork: these tests are about one child process; forks have their own tests.
    run: { time: 50, warmup: 10, timeout: 60_000, forks: 1, ...overrides.run },
  });
}
