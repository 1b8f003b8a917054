/** The plugin's tracemalloc pass → the memory attachment, judged by perfgate's leak rule. Pure. */
import { median } from '../../stats/median.js';
import type { AllocationSite, MemoryAttachment } from '../../model/memory.js';
import { judgeLeak } from '../../memory/leak.js';
import type { SidecarBenchmark, SidecarSite } from './sidecar.js';

type SidecarMemory = NonNullable<SidecarBenchmark['memory']>;

const TOP = 10;

function sites(list: readonly SidecarSite[], ops: number): AllocationSite[] {
  return list
    .filter((s) => s.size_diff > 0)
    .map((s) => ({
      name: `${s.file.slice(s.file.lastIndexOf('/') + 1)}:${s.line}`,
      file: s.file,
      line: s.line,
      bytesPerOp: s.size_diff / ops,
    }))
    .sort((a, b) => b.bytesPerOp - a.bytesPerOp)
    .slice(0, TOP);
}

export function pythonMemoryAttachment(
  memory: SidecarMemory,
  options: { leakAlpha: number },
): MemoryAttachment {
  const heap = memory.heap_after_rounds;
  const roundOps = memory.round_ops;
  if (heap.length !== roundOps.length || memory.alloc_per_op.length !== roundOps.length)
    throw new Error(
      `round_ops, heap_after_rounds and alloc_per_op differ in length (${roundOps.length}, ${heap.length}, ${memory.alloc_per_op.length})`,
    );
  // Median over rounds, as in the Node pass.
  const allocBytesPerOp = median(memory.alloc_per_op);
  const judgement = judgeLeak(heap, roundOps, options.leakAlpha, allocBytesPerOp);
  const grown = sites(memory.sites, memory.site_ops);
  return {
    allocBytesPerOp,
    allocSamples: [...memory.alloc_per_op],
    retainedBytesPerOp: judgement.bytesPerOp,
    retained: {
      stderr: judgement.stderr,
      pValue: judgement.pValue,
      heapAfterRounds: heap,
      roundOps,
    },
    leak: judgement.leak
      ? {
          bytesPerOp: judgement.bytesPerOp,
          stderr: judgement.stderr,
          heapAfterRounds: heap,
          opsPerRound: Math.min(...roundOps),
          roundOps,
          pValue: judgement.pValue,
          sites: grown,
        }
      : null,
    peakRss: memory.max_rss,
    peakHeap: memory.peak,
    // One op's holdings near its peak: bytes of that one op.
    topAllocations: sites(memory.top, 1),
    method: 'tracemalloc',
  };
}
