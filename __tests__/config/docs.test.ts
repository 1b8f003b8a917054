import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configSchema, defaultConfig } from '../../src/config/schema.js';
import { unknownKeys } from '../../src/config/load.js';

const ROOT = join(import.meta.dirname, '..', '..');

/** Every field path of the config, e.g. `run.time`, from the defaults (all sections filled). */
function fieldPaths(value: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(value).flatMap(([key, inner]) =>
    inner && typeof inner === 'object' && !Array.isArray(inner) && key !== 'thresholds'
      ? fieldPaths(inner as Record<string, unknown>, `${prefix}${key}.`)
      : [`${prefix}${key}`],
  );
}

describe('docs/configuration.md', () => {
  it('documents every config field (table row per field)', () => {
    const doc = readFileSync(join(ROOT, 'docs/configuration.md'), 'utf8');
    const paths = [...fieldPaths(defaultConfig()), 'node'];
    const missing = paths.filter((path) => !doc.includes(`| \`${path}\``));
    expect(missing).toEqual([]);
    // And each documented field is a real one.
    const documented = [...doc.matchAll(/^\| `([\w.]+)`\s*\|/gm)].map((m) => m[1]);
    for (const path of documented.filter((p) => !p.startsWith('perfgate.config'))) {
      const data = path
        .split('.')
        .reduceRight<unknown>((inner, key) => ({ [key]: inner }), null) as object;
      expect(unknownKeys(configSchema, data), path).toEqual([]);
    }
  });
});
