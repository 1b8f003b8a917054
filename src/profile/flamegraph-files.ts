/** Writes differential flame graphs (SVG + speedscope JSON) for the regressed benchmarks. */
import { readdir, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Comparison } from '../model/comparison.js';
import type { ProfileAttachment } from '../model/profile.js';
import type { Run } from '../model/run.js';
import { writeFileAtomic } from '../model/io.js';
import { treeFromAttachment } from './attachment.js';
import { flameGraphSvg, flameViews } from './flamegraph.js';
import { toSpeedscope, type NamedTree } from './speedscope-export.js';
import { totalTime, type ProfileTree } from './tree.js';
import { benchmarkFileBase } from './file-base.js';

export interface FlameGraphFile {
  label: string;
  /** Absolute path of the written file. */
  file: string;
}

export { benchmarkFileBase };

/** ns per op per sampled ns of an attachment's stacks. */
function perOpScale(attachment: ProfileAttachment, tree: ProfileTree): number {
  const sampled = totalTime(tree);
  const opNs =
    attachment.opNs ??
    (attachment.ops > 0 ? (attachment.durationMs * 1e6) / attachment.ops : sampled);
  return sampled > 0 ? opNs / sampled : 0;
}

/**
 * For every regressed benchmark whose head and base Runs carry profile stacks, writes
 * `<id>.diff.svg` (differential flame graph, per op, base = mean of the base runs) and
 * `<id>.speedscope.json` (base and head profiles) into `outDir`. Returns the files by benchmark
 * id, for the report's links.
 */
export async function writeFlameGraphs(
  comparison: Comparison,
  baseRuns: Run[],
  headRun: Run,
  outDir: string,
  options: { statuses?: ReadonlyArray<string> } = {},
): Promise<Record<string, FlameGraphFile[]>> {
  const statuses = options.statuses ?? ['regression'];
  const written: Record<string, FlameGraphFile[]> = {};
  for (const benchmark of comparison.benchmarks) {
    if (!statuses.includes(benchmark.status)) continue;
    const head = headRun.benchmarks.find((b) => b.id === benchmark.id)?.profile;
    const headTree = head && treeFromAttachment(head);
    if (!head || !headTree) continue;
    const bases = baseRuns
      .map((run) => run.benchmarks.find((b) => b.id === benchmark.id)?.profile)
      .filter((p): p is ProfileAttachment => p !== undefined)
      .map((p) => ({ attachment: p, tree: treeFromAttachment(p) }))
      .filter(
        (b): b is { attachment: ProfileAttachment; tree: ProfileTree } => b.tree !== undefined,
      );
    if (bases.length === 0) continue;
    const { folded, expanded } = flameViews([
      ...bases.map((b) => ({
        tree: b.tree,
        side: 'base' as const,
        scale: perOpScale(b.attachment, b.tree) / bases.length,
      })),
      { tree: headTree, side: 'head', scale: perOpScale(head, headTree) },
    ]);
    const fileBase = join(outDir, benchmarkFileBase(benchmark.id));
    const svgFile = `${fileBase}.diff.svg`;
    await writeFileAtomic(
      svgFile,
      flameGraphSvg(folded, {
        title: `${benchmark.id}: head vs base, per op`,
        expanded,
        // "No change" is the same time per op (not the typical frame's ratio): the timing
        // comparison found this benchmark slower per op, and a change that slows every frame,
        // like an N+1 multiplying a dependency's calls, is what the graph must show.
        noise: { reference: 'exposure' },
      }),
    );
    const profiles: NamedTree[] = [
      {
        name: `base (${bases.length === 1 ? 'newest run' : 'newest base run'})`,
        tree: bases[0].tree,
        scale: perOpScale(bases[0].attachment, bases[0].tree),
      },
      { name: 'head', tree: headTree, scale: perOpScale(head, headTree) },
    ];
    const speedscopeFile = `${fileBase}.speedscope.json`;
    await writeFileAtomic(speedscopeFile, JSON.stringify(toSpeedscope(profiles, benchmark.id)));
    written[benchmark.id] = [
      { label: 'flame graph', file: svgFile },
      { label: 'speedscope', file: speedscopeFile },
    ];
  }
  await pruneFlameGraphs(
    outDir,
    new Set(Object.values(written).flatMap((files) => files.map(({ file }) => basename(file)))),
  );
  return written;
}

/** What writeFlameGraphs names its files (other files in the folder are not ours to remove). */
const FLAME_FILE = /^[A-Za-z0-9._-]+-[0-9a-f]{8}\.(diff\.svg|speedscope\.json)$/;

/**
 * Removes the flame graphs earlier runs left in `outDir` (one project piled up 23 of them), so
 * the folder holds only the current run's, the ones the report links to.
 */
export async function pruneFlameGraphs(outDir: string, keep: ReadonlySet<string>): Promise<void> {
  let names: string[];
  try {
    names = await readdir(outDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  await Promise.all(
    names
      .filter((name) => FLAME_FILE.test(name) && !keep.has(name))
      .map((name) => rm(join(outDir, name), { force: true })),
  );
}
