/** Writes differential flame graphs (SVG + speedscope JSON) for the regressed benchmarks. */
import { join } from 'node:path';
import type { Comparison } from '../model/comparison.js';
import type { ProfileAttachment } from '../model/profile.js';
import type { Run } from '../model/run.js';
import { writeFileAtomic } from '../model/io.js';
import { treeFromAttachment } from './attachment.js';
import { addToFlame, flameGraphSvg, flameRoot } from './flamegraph.js';
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
    const root = flameRoot();
    for (const b of bases)
      addToFlame(root, b.tree, 'base', perOpScale(b.attachment, b.tree) / bases.length);
    addToFlame(root, headTree, 'head', perOpScale(head, headTree));
    const fileBase = join(outDir, benchmarkFileBase(benchmark.id));
    const svgFile = `${fileBase}.diff.svg`;
    await writeFileAtomic(
      svgFile,
      flameGraphSvg(root, { title: `${benchmark.id}: head vs base, per op` }),
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
  return written;
}
