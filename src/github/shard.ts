/**
 * Splitting a suite across a GitHub Actions matrix: shard k/n runs every n-th bench file (sorted,
 * so every shard agrees), uploads its partial Run, and a `merge` job combines the shards.
 */
import type { Config } from '../config/schema.js';
import { InputError } from '../model/errors.js';
import type { Run } from '../model/run.js';
import { discoverBenchFiles as discover } from '../runner/discover.js';
import type { Shard } from './inputs.js';

export function shardLabel(shard: Shard): string {
  return `${shard.index}/${shard.total}`;
}

export function shardArtifactName(prefix: string, shard: Shard): string {
  return `${prefix}-${shard.index}-of-${shard.total}`;
}

/** The bench files of one shard: round-robin over the sorted list (balanced by count). */
export function selectShard(files: string[], shard: Shard): string[] {
  return [...files].sort().filter((_, i) => i % shard.total === shard.index - 1);
}

/** Bench files of the project, relative to `cwd`, found as the runner finds them. */
export async function discoverBenchFiles(cwd: string, config: Config): Promise<string[]> {
  return (await discover(cwd, config)).map((file) => file.relative);
}

/**
 * Combines the partial Runs of all shards into one. Every shard 1..n must be there exactly once,
 * and a benchmark id must not appear in two shards.
 */
export function mergeShardRuns(runs: Array<{ run: Run; source: string }>): Run {
  if (runs.length === 0) throw new InputError('no shard Runs to merge');
  const seen = new Map<number, string>();
  let total: number | undefined;
  for (const { run, source } of runs) {
    const match = /^(\d+)\/(\d+)$/.exec(run.meta.shard ?? '');
    if (!match) throw new InputError('not a shard Run (meta.shard is missing)', source);
    const [index, count] = [Number(match[1]), Number(match[2])];
    if (total !== undefined && count !== total) {
      throw new InputError(
        `shard ${index}/${count} does not match the other shards (of ${total})`,
        source,
      );
    }
    total = count;
    if (seen.has(index))
      throw new InputError(
        `shard ${index}/${count} appears twice (also ${seen.get(index)})`,
        source,
      );
    seen.set(index, source);
  }
  const missing = Array.from({ length: total! }, (_, i) => i + 1).filter((i) => !seen.has(i));
  if (missing.length > 0) {
    throw new InputError(
      `missing shard(s) ${missing.map((i) => `${i}/${total}`).join(', ')}: did every matrix job succeed?`,
    );
  }
  const sorted = [...runs].sort(
    (a, b) => Number(a.run.meta.shard!.split('/')[0]) - Number(b.run.meta.shard!.split('/')[0]),
  );
  const ids = new Map<string, string>();
  const benchmarks = sorted.flatMap(({ run, source }) =>
    run.benchmarks.map((b) => {
      const other = ids.get(b.id);
      if (other)
        throw new InputError(`benchmark ${JSON.stringify(b.id)} is also in ${other}`, source);
      ids.set(b.id, source);
      return b;
    }),
  );
  const { shard: _shard, ...meta } = sorted[0]!.run.meta;
  return { ...sorted[0]!.run, meta, benchmarks };
}
