/** Writes differential flame graphs (SVG + speedscope JSON) for the regressed benchmarks. */
import { readdir, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { CallsAttachment } from '../model/calls.js';
import type { Comparison } from '../model/comparison.js';
import type { ProfileAttachment } from '../model/profile.js';
import type { Run } from '../model/run.js';
import { writeFileAtomic } from '../model/io.js';
import { treeFromAttachment } from './attachment.js';
import { flameGraphSvg, flameViews } from './flamegraph.js';
import { toSpeedscope, type NamedTree } from './speedscope-export.js';
import { totalTime, type ProfileTree } from './tree.js';
import { benchmarkFileBase } from './file-base.js';
import { hasCallers, stitchAsync, type StitchStats } from './stitch.js';
import { priorVariance } from './spread.js';

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

interface Side {
  attachment: ProfileAttachment;
  tree: ProfileTree;
  calls?: CallsAttachment;
}

const percent = (part: number, whole: number) =>
  `${whole > 0 ? ((100 * part) / whole).toFixed(1) : '0.0'} %`;

/** What the stitching of one side attributed, in words, for the graph's notes. */
export function stitchNote(side: string, stats: StitchStats): string {
  return (
    `${side}: ${percent(stats.attributedTime, stats.time)} of the time stitched under ` +
    `its project callers, ${percent(stats.unknownTime, stats.time)} under (async, caller unknown).`
  );
}

/**
 * The sides' trees with async continuations stitched under their project callers (stitch.ts),
 * when every side carries the exact view's call edges; else as they are (a side stitched and
 * one not would differ by the stitching, not by the code). With the notes saying what it did.
 */
export function stitchSides(
  sides: Side[],
  taskFile: string,
): { trees: ProfileTree[]; notes: string[] } {
  if (!sides.every((s) => hasCallers(s.calls)))
    return { trees: sides.map((s) => s.tree), notes: [] };
  const stitched = sides.map((s) => stitchAsync(s.tree, s.calls!, taskFile));
  const head = stitched[stitched.length - 1]!.stats;
  const base = stitched[0]!.stats;
  return {
    trees: stitched.map((s) => s.tree),
    notes: [
      'Async stitching: continuations after an await are put under the project function ' +
        'that awaited, where the exact calls name a single chain of callers.',
      stitchNote('head', head),
      stitchNote(stitched.length > 2 ? 'newest base run' : 'base', base),
    ],
  };
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
    const headBenchmark = headRun.benchmarks.find((b) => b.id === benchmark.id);
    const head = headBenchmark?.profile;
    const headTree = head && treeFromAttachment(head);
    if (!head || !headTree) continue;
    const bases: Side[] = baseRuns
      .map((run) => run.benchmarks.find((b) => b.id === benchmark.id))
      .flatMap((b) => {
        const tree = b?.profile && treeFromAttachment(b.profile);
        return tree ? [{ attachment: b.profile!, tree, calls: b.calls }] : [];
      });
    if (bases.length === 0) continue;
    // Base runs newest first (as given), head last.
    const { trees, notes } = stitchSides(
      [...bases, { attachment: head, tree: headTree, calls: headBenchmark.calls }],
      headBenchmark.file,
    );
    const { folded, expanded } = flameViews([
      ...bases.map((b, i) => ({
        tree: trees[i]!,
        side: 'base' as const,
        scale: perOpScale(b.attachment, b.tree) / bases.length,
      })),
      { tree: trees[bases.length]!, side: 'head', scale: perOpScale(head, headTree) },
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
        noise: {
          reference: 'exposure',
          // A frame moves between processes as a function does (spread.ts).
          extraVariance: priorVariance(head.source, bases.length),
        },
        notes,
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
