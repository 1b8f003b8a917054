import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { PassContext } from '../../src/model/task.js';
import { queriesOptionsSchema, type QueriesOptions } from '../../src/queries/options.js';

export const projectRoot = resolve(import.meta.dirname, '../..');

export function passContext(name: string): PassContext {
  return {
    benchmarkId: `__tests__/queries > ${name}`,
    benchFile: join(projectRoot, '__tests__/queries/helpers.ts'),
    projectRoot,
    outDir: mkdtempSync(join(tmpdir(), 'perfgate-queries-')),
    medianNs: 1e6,
  };
}

export function options(overrides: Partial<QueriesOptions> = {}): QueriesOptions {
  return queriesOptionsSchema.parse({ iterations: 2, ...overrides });
}
