/**
 * The base name of a benchmark's files (its .cpuprofile in the child, its flame graphs in the
 * parent): apart from the flame graph code so that the bench child does not bundle it.
 */
import { createHash } from 'node:crypto';

/** Base name for a benchmark's files: readable, safe on every file system, unique. */
export function benchmarkFileBase(benchmarkId: string): string {
  const slug = benchmarkId
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[._]+|_+$/g, '')
    .slice(0, 80);
  const hash = createHash('sha256').update(benchmarkId).digest('hex').slice(0, 8);
  return `${slug || 'benchmark'}-${hash}`;
}
