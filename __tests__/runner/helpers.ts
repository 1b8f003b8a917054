import { fileURLToPath } from 'node:url';
import { configSchema, type Config, type ConfigInput } from '../../src/config/schema.js';

export const FIXTURES = fileURLToPath(new URL('../fixtures/benches/', import.meta.url));

/** Short measurements and no instrumented passes: tests check behaviour, not speed. */
export function testConfig(overrides: Partial<ConfigInput> = {}): Config {
  return configSchema.parse({
    profile: { enabled: false },
    queries: { enabled: false },
    memory: { enabled: false },
    ...overrides,
    run: { time: 50, warmup: 10, timeout: 60_000, ...overrides.run },
  });
}
